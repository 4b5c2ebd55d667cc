import { createHash } from 'node:crypto';
import type { NodeSnapshot } from './node-view.js';

export interface PlacementTarget {
  readonly name: string;
  readonly version: string;
}

/**
 * Orders the nodes a call may go to, best first. Pure, so it is tested on
 * its own. The order: nodes that are draining or whose heartbeat is missing
 * come last (they may still be fine: etcd, not heartbeats, decides
 * membership); before them, nodes with an idle warm isolate of the function;
 * then the least loaded, with a per-function hash breaking ties so equal
 * nodes do not all receive a function's first calls in the same order.
 */
export function rankNodes(nodes: readonly NodeSnapshot[], target: PlacementTarget): string[] {
  const key = `${target.name}:${target.version}`;
  const scored = nodes.map((node) => {
    const heartbeat = node.heartbeat;
    const draining = heartbeat?.state === 'draining';
    const warmIdle = heartbeat?.functions.find((f) => f.functionName === target.name && f.version === target.version)?.idle ?? 0;
    const inFlight = Math.max(heartbeat?.inFlight ?? 0, node.outstanding);
    return {
      nodeId: node.record.nodeId,
      tier: draining ? 3 : heartbeat === undefined ? 2 : warmIdle > node.outstanding ? 0 : 1,
      load: inFlight / node.record.maxInFlight,
      tieBreak: rendezvous(key, node.record.nodeId),
    };
  });
  scored.sort((a, b) => a.tier - b.tier || a.load - b.load || a.tieBreak.localeCompare(b.tieBreak));
  return scored.map((s) => s.nodeId);
}

function rendezvous(key: string, nodeId: string): string {
  return createHash('sha1').update(key).update('\0').update(nodeId).digest('hex');
}
