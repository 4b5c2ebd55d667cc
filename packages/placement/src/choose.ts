import { rendezvousScore } from '@stratus/contracts';
import type { NodeSnapshot } from './node-view.js';

export interface PlacementTarget {
  readonly name: string;
  readonly version: string;
}

export interface RankOptions {
  /**
   * Bounded-load slack: a node counts as a function's home only while its
   * in-flight calls stay within (1 + ε) × the cluster's average (plus the
   * call being placed). Default 0.25.
   */
  readonly loadBoundEpsilon?: number;
}

/**
 * Orders the nodes a call may go to, best first. Pure, so it is tested on
 * its own:
 * 1. nodes with an idle warm environment of the function (least loaded first);
 * 2. the function's home nodes: every node in the function's consistent-hash
 *    order (rendezvous hashing), skipping those above the load bound, so a
 *    function's code and isolates concentrate on few nodes and move little
 *    when nodes come and go;
 * 3. nodes above the bound, least loaded first (spill);
 * 4. nodes with no recent heartbeat, then draining nodes: etcd, not
 *    heartbeats, decides membership, so they are kept as a last resort.
 */
export function rankNodes(nodes: readonly NodeSnapshot[], target: PlacementTarget, options: RankOptions = {}): string[] {
  const epsilon = options.loadBoundEpsilon ?? 0.25;
  const scored = nodes.map((node) => {
    const heartbeat = node.heartbeat;
    const warmIdle = heartbeat?.functions.find((f) => f.functionName === target.name && f.version === target.version)?.idle ?? 0;
    return {
      nodeId: node.record.nodeId,
      heartbeat,
      warm: warmIdle > node.outstanding,
      inFlight: Math.max(heartbeat?.inFlight ?? 0, node.outstanding),
      capacity: node.record.maxInFlight,
      hash: rendezvousScore(target.name, target.version, node.record.nodeId),
    };
  });
  const live = scored.filter((n) => n.heartbeat !== undefined && n.heartbeat.state !== 'draining');
  const totalInFlight = live.reduce((sum, n) => sum + n.inFlight, 0);
  const bound = live.length === 0 ? 0 : Math.ceil(((1 + epsilon) * (totalInFlight + 1)) / live.length);
  const tier = (n: (typeof scored)[number]): number => {
    if (n.heartbeat === undefined) return 4;
    if (n.heartbeat.state === 'draining') return 5;
    if (n.inFlight >= n.capacity) return 3;
    if (n.warm) return 0;
    return n.inFlight < bound ? 1 : 2;
  };
  const ranked = scored.map((n) => ({ ...n, tier: tier(n), load: n.inFlight / n.capacity }));
  ranked.sort((a, b) => {
    if (a.tier !== b.tier) return a.tier - b.tier;
    if (a.tier === 1) return a.hash.localeCompare(b.hash);
    return a.load - b.load || a.hash.localeCompare(b.hash);
  });
  return ranked.map((n) => n.nodeId);
}
