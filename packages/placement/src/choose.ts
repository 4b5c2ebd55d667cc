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
  /** Where rendezvous scores come from. Default: computed on each call (`rendezvousScore`); the dispatcher passes a memo. */
  readonly score?: (functionName: string, version: string, nodeId: string) => string;
}

/** Scores are lower-case hex of one length, so code-unit order is their order (and far cheaper than `localeCompare`'s collation). */
const byScore = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
  const score = options.score ?? rendezvousScore;
  // This runs for every call: one object per node, no spreads or intermediate arrays.
  let liveNodes = 0;
  let liveInFlight = 0;
  for (const node of nodes) {
    const heartbeat = node.heartbeat;
    if (heartbeat !== undefined && heartbeat.state !== 'draining') {
      liveNodes += 1;
      liveInFlight += Math.max(heartbeat.inFlight, node.outstanding);
    }
  }
  const bound = liveNodes === 0 ? 0 : Math.ceil(((1 + epsilon) * (liveInFlight + 1)) / liveNodes);
  const ranked = nodes.map((node) => {
    const heartbeat = node.heartbeat;
    const inFlight = Math.max(heartbeat?.inFlight ?? 0, node.outstanding);
    const capacity = node.record.maxInFlight;
    let tier: number;
    if (heartbeat === undefined) tier = 4;
    else if (heartbeat.state === 'draining') tier = 5;
    else if (inFlight >= capacity) tier = 3;
    else if (warmIdle(heartbeat, target) > node.outstanding) tier = 0;
    else tier = inFlight < bound ? 1 : 2;
    return { nodeId: node.record.nodeId, tier, load: inFlight / capacity, hash: score(target.name, target.version, node.record.nodeId) };
  });
  ranked.sort((a, b) => {
    if (a.tier !== b.tier) return a.tier - b.tier;
    if (a.tier === 1) return byScore(a.hash, b.hash);
    return a.load - b.load || byScore(a.hash, b.hash);
  });
  return ranked.map((n) => n.nodeId);
}

function warmIdle(heartbeat: NonNullable<NodeSnapshot['heartbeat']>, target: PlacementTarget): number {
  for (const f of heartbeat.functions) if (f.functionName === target.name && f.version === target.version) return f.idle;
  return 0;
}
