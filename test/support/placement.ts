import { connect, type NatsConnection } from 'nats';
import { createNamespace, decodeInvokeRequest, rendezvousScore } from '@stratus/contracts';
import type { StratusClient } from '@stratus/client';
import type { TestCluster } from '@stratus/testing';
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

/** Counts of the calls each node received over NATS, kept up to date until `close`. */
export interface NatsCallWatch {
  /** Per node id; a node that lacks a call's target gets it twice (asked for, then with it), counted once by request id. */
  readonly sentOverNats: Record<string, number>;
  close(): Promise<void>;
}

/** Listens on each node's invoke subject as that node's own user (the only one allowed there besides the node). */
export async function watchNatsCalls(cluster: TestCluster, nodeIds: readonly string[] = ['node-1', 'node-2']): Promise<NatsCallWatch> {
  const sentOverNats: Record<string, number> = Object.fromEntries(nodeIds.map((id) => [id, 0]));
  const seen = new Set<string>();
  const ns = createNamespace(cluster.namespace);
  const connections: NatsConnection[] = [];
  for (const nodeId of nodeIds) {
    const nc = await connect(cluster.natsConnectOptions('node', nodeId));
    connections.push(nc);
    nc.subscribe(ns.subjects.nodeInvoke(nodeId), {
      callback: (_err, msg) => {
        const key = `${nodeId}/${decodeInvokeRequest(msg.data).requestId}`;
        if (seen.has(key)) return;
        seen.add(key);
        sentOverNats[nodeId] = (sentOverNats[nodeId] ?? 0) + 1;
      },
    });
    await nc.flush();
  }
  return {
    sentOverNats,
    close: async () => {
      for (const nc of connections) await nc.close();
    },
  };
}
