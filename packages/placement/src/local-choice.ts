import type { LocalOutlook } from '@stratus/contracts';

/**
 * Default for `DispatcherOptions.maxLocalWaitMs`: how long a call may be
 * expected to wait for an environment on the frontend's own node before a
 * node with an idle one is worth the NATS hop. A hop costs about 1 ms of
 * latency at low load, but its CPU (encoding, nats-server, a second process's
 * decoding and reply) is what bounds throughput on a busy machine, so the
 * bias toward the local queue is large: overflow leaves only once the local
 * queue is far longer than a hop. On a cluster of several machines the other
 * node's share of that CPU is on another machine, so sending overflow away
 * sooner can pay (`STRATUS_LOCAL_MAX_WAIT_MS`).
 */
export const DEFAULT_MAX_LOCAL_WAIT_MS = 20;

/**
 * Default for `DispatcherOptions.maxQueuedWaitMs`: the longest expected wait
 * a call is queued in-process for while every node's queue is long (rule 5 of
 * {@link chooseLocal}): half the 1 s a node holds a call back for a busy
 * environment before it starts another. A closed-loop load of 1000 kept
 * wholly on one node waited about a second there, so its calls outlived the
 * hold-back and started environments (28 cold starts in 2000 warm calls);
 * beyond this the call goes to placement, which spreads it. On a cluster of
 * several machines, where placement can reach nodes whose queues are merely
 * shorter, a lower bound spreads such load sooner
 * (`STRATUS_LOCAL_MAX_QUEUED_WAIT_MS`).
 */
export const DEFAULT_MAX_QUEUED_WAIT_MS = 500;

/**
 * Where a call arriving at a combined process goes:
 * - `now`: an idle warm environment here takes it at once;
 * - `queue`: it runs here, waiting for one of the function's busy
 *   environments (the node's own rules apply: held back at most 1 s while
 *   the function's calls queue for isolate slots, then a cold start);
 * - `elsewhere`: placement ranks the nodes as for any call (this node may
 *   still be chosen, and then runs it through its full path).
 */
export type LocalChoice = 'now' | 'queue' | 'elsewhere';

export interface LocalChoiceOptions {
  /** See {@link DEFAULT_MAX_LOCAL_WAIT_MS}. */
  readonly maxLocalWaitMs: number;
  /** See {@link DEFAULT_MAX_QUEUED_WAIT_MS}. */
  readonly maxQueuedWaitMs: number;
  /** Whether another node has an idle warm environment of the function (the frontend's view): only then is leaving a long local queue any shorter. */
  readonly idleElsewhere: () => boolean;
}

/**
 * Join-the-shortest-queue with a bias toward the local node. Pure, so it is
 * tested on its own:
 * 1. a node that would refuse the call (draining, at its in-flight limit,
 *    holding back for usage) gets nothing here: placement decides;
 * 2. an idle environment here: run now;
 * 3. no environment of the function here (none busy to come back, or none
 *    that has come back yet, so its hold time is unknown): placement decides,
 *    as for a cold function (a warm node elsewhere, or a cold start at home);
 * 4. the expected wait here, (calls waiting + 1) × mean hold time ÷ busy
 *    environments (one of the busy environments comes back every hold ÷ busy
 *    ms, and the calls already waiting take the first ones), within
 *    `maxLocalWaitMs`: queue here;
 * 5. longer, but within `maxQueuedWaitMs`, while the call would
 *    wait here for a busy environment (the function's calls queue for
 *    isolate slots) and no other node has an idle environment of the
 *    function: every queue is long, and the local one costs no hop: queue
 *    here;
 * 6. otherwise placement decides: a node with an idle environment, or, where
 *    a call would start an environment anyway (or outwait the node's
 *    hold-back and start one), the function's home within the load bound, so
 *    load that needs more environments still spreads.
 */
export function chooseLocal(outlook: LocalOutlook, options: LocalChoiceOptions): LocalChoice {
  if (!outlook.accepting) return 'elsewhere';
  if (outlook.idle > 0) return 'now';
  const { busy, meanHoldMs } = outlook;
  if (busy <= 0 || meanHoldMs === undefined) return 'elsewhere';
  const expectedWaitMs = ((outlook.waiting + 1) * meanHoldMs) / busy;
  if (expectedWaitMs <= options.maxLocalWaitMs) return 'queue';
  return expectedWaitMs <= options.maxQueuedWaitMs && outlook.slotsQueued && !options.idleElsewhere() ? 'queue' : 'elsewhere';
}
