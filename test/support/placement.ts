import { rendezvousScore } from '@stratus/contracts';
import type { StratusClient } from '@stratus/client';
import { eventually } from './code.js';

/** A function name (`<prefix>-<n>`) whose consistent-hash home, where its cold start goes, is `nodeId` of `nodeIds`. */
export function homedOn(prefix: string, nodeId: string, nodeIds: readonly string[] = ['node-1', 'node-2']): string {
  for (let i = 0; ; i += 1) {
    const name = `${prefix}-${i}`;
    const [home] = [...nodeIds].sort((a, b) => (rendezvousScore(name, '$LATEST', a) < rendezvousScore(name, '$LATEST', b) ? -1 : 1));
    if (home === nodeId) return name;
  }
}

/** Waits until the frontend lists `count` nodes and has a heartbeat from each, so placement sees them all. */
export async function heartbeatsFrom(client: StratusClient, count: number): Promise<void> {
  await eventually(async () => {
    const nodes = await client.listNodes();
    return nodes.length === count && nodes.every((n) => n.lastHeartbeatMs > 0) ? true : undefined;
  }, `heartbeats from ${count} nodes`);
}
