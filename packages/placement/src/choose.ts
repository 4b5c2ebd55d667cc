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
  /** Where rendezvous scores come from when no `order` is given. Default: computed on each call (`rendezvousScore`). */
  readonly score?: (functionName: string, version: string, nodeId: string) => string;
  /** Each node's rank in the function's rendezvous order (0 its home). Default: computed from `score`; the dispatcher passes a cached one. */
  readonly order?: ReadonlyMap<string, number>;
  /** Idle warm environments of the function on a node. Default: its heartbeat's count less this frontend's calls outstanding there. */
  readonly warmIdle?: (node: NodeSnapshot) => number;
  /**
   * A node put first among those with an idle warm environment of the
   * function, and among those within the load bound: the frontend's own node
   * in the combined role, where a call needs no NATS hop. Above the bound it
   * gets no preference, so load still spreads. Default none.
   */
  readonly preferNodeId?: string | undefined;
}

/**
 * Orders the nodes a call may go to, best first. Pure, so it is tested on
 * its own:
 * 1. nodes with an idle warm environment of the function (the preferred node,
 *    then least loaded first);
 * 2. the function's home nodes: every node in the function's consistent-hash
 *    order (rendezvous hashing), skipping those above the load bound, so a
 *    function's code and isolates concentrate on few nodes and move little
 *    when nodes come and go (the preferred node first);
 * 3. nodes above the bound, least loaded first (spill);
 * 4. nodes with no recent heartbeat, then draining nodes: etcd, not
 *    heartbeats, decides membership, so they are kept as a last resort.
 */
export function rankNodes(nodes: readonly NodeSnapshot[], target: PlacementTarget, options: RankOptions = {}): string[] {
  const epsilon = options.loadBoundEpsilon ?? 0.25;
  const order = options.order ?? rendezvousOrder(nodes, target, options.score ?? rendezvousScore);
  const warmIdle = options.warmIdle ?? ((node: NodeSnapshot) => heartbeatWarmIdle(node, target));
  const preferred = options.preferNodeId;
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
    const nodeId = node.record.nodeId;
    let tier: number;
    if (heartbeat === undefined) tier = 4;
    else if (heartbeat.state === 'draining') tier = 5;
    else if (inFlight >= capacity) tier = 3;
    else if (warmIdle(node) > 0) tier = 0;
    else tier = inFlight < bound ? 1 : 2;
    return { nodeId, tier, first: tier <= 1 && nodeId === preferred, load: inFlight / capacity, rank: order.get(nodeId) ?? Number.MAX_SAFE_INTEGER };
  });
  ranked.sort((a, b) => {
    if (a.tier !== b.tier) return a.tier - b.tier;
    if (a.first !== b.first) return a.first ? -1 : 1;
    if (a.tier === 1) return a.rank - b.rank;
    return a.load - b.load || a.rank - b.rank;
  });
  return ranked.map((n) => n.nodeId);
}

/** Scores are lower-case hex of one length, so code-unit order is their order (and far cheaper than `localeCompare`'s collation). */
function rendezvousOrder(nodes: readonly NodeSnapshot[], target: PlacementTarget, score: NonNullable<RankOptions['score']>): Map<string, number> {
  const scored = nodes.map((node) => ({ nodeId: node.record.nodeId, hash: score(target.name, target.version, node.record.nodeId) }));
  scored.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  return new Map(scored.map((s, rank) => [s.nodeId, rank]));
}

/** What the heartbeat alone says: its idle count, less every call this frontend has outstanding on the node. */
function heartbeatWarmIdle(node: NodeSnapshot, target: PlacementTarget): number {
  const heartbeat = node.heartbeat;
  if (heartbeat === undefined) return 0;
  for (const f of heartbeat.functions) {
    if (f.functionName === target.name && f.version === target.version) return f.idle - node.outstanding;
  }
  return 0;
}
