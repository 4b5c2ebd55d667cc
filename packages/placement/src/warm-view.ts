import type { EnvironmentHeld, NodeHeartbeat } from '@stratus/contracts';

/** A call this frontend sent to a node, until its reply comes back. */
export interface SentCall {
  readonly nodeId: string;
  readonly functionKey: string;
  /** The node process and heartbeat this frontend had last heard of when it sent the call. */
  readonly instance: NodeInstance;
  readonly seqAtSend: number;
}

/** Finished calls of one function on one node with the same `environmentHeld`, merged. */
interface FinishedCalls {
  readonly fromSeq: number;
  readonly toSeq: number;
  calls: number;
  /** Those that started a new environment (now idle), which no heartbeat before `fromSeq + 1` knew of. */
  cold: number;
}

interface FunctionOnNode {
  /** Calls sent since the node's latest heartbeat arrived (`sentSeq`), still unanswered. */
  sentSinceHeartbeat: number;
  sentSeq: number;
  finished: FinishedCalls[];
}

/** One node process, as its heartbeats say: a restarted node is a new instance, its heartbeat numbers start over. */
interface NodeInstance {
  readonly instanceId: string | undefined;
  seq: number;
  idle: ReadonlyMap<string, number>;
  readonly functions: Map<string, FunctionOnNode>;
}

/** The key of a function version in the warm view. */
export function functionKeyOf(name: string, version: string): string {
  return `${name}\0${version}`;
}

/**
 * How many idle warm environments of a function each node has, as best this
 * frontend knows it at every moment: the node's latest heartbeat, corrected
 * by the calls this frontend sent since and the replies it has had. Pure (no
 * I/O, no clock), so its rules are tested on their own.
 *
 * Nodes number their heartbeats (`seq`) and each reply says between which
 * heartbeats the call held its environment (`environmentHeld`), all on the
 * node's side, so no two machines' clocks are ever compared. Given the latest
 * heartbeat H, a call this frontend made:
 * - answered, that held its environment from before H until after it (H
 *   counted it busy): one more idle environment now;
 * - answered, that took its environment after H: as many idle as before if it
 *   took a warm one, one more if it started a cold one;
 * - answered, that gave its environment back before H: H already counts it;
 * - unanswered, sent after H arrived: it has taken an idle environment if
 *   there was one, so one fewer;
 * - unanswered, sent before H arrived: H counted it busy, unless it was still
 *   on its way to the node (a call lasts far longer than its trip), until its
 *   reply says which.
 * Other frontends' calls show only through heartbeats.
 */
export class WarmView {
  readonly #nodes = new Map<string, NodeInstance>();

  /** A node's heartbeat arrived: its counts become the base, and what it already covers is dropped. */
  heartbeat(heartbeat: NodeHeartbeat): void {
    const idle = new Map<string, number>();
    for (const f of heartbeat.functions) {
      const key = functionKeyOf(f.functionName, f.version);
      idle.set(key, (idle.get(key) ?? 0) + f.idle);
    }
    const known = this.#nodes.get(heartbeat.nodeId);
    // Another process has the node's id (its heartbeat numbers start over): nothing known of the old one holds.
    if (known === undefined || heartbeat.instanceId !== known.instanceId || heartbeat.seq < known.seq || heartbeat.seq === 0) {
      this.#nodes.set(heartbeat.nodeId, { instanceId: heartbeat.instanceId, seq: heartbeat.seq, idle, functions: new Map() });
      return;
    }
    known.seq = heartbeat.seq;
    known.idle = idle;
    for (const [key, fn] of known.functions) {
      fn.finished = fn.finished.filter((f) => f.toSeq >= heartbeat.seq);
      if (fn.finished.length === 0 && fn.sentSeq !== known.seq) known.functions.delete(key);
    }
  }

  /** This frontend is sending a call of the function to the node. */
  sent(nodeId: string, functionKey: string): SentCall | undefined {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return undefined;
    const fn = functionOn(node, functionKey);
    if (fn.sentSeq !== node.seq) {
      fn.sentSeq = node.seq;
      fn.sentSinceHeartbeat = 0;
    }
    fn.sentSinceHeartbeat += 1;
    return { nodeId, functionKey, instance: node, seqAtSend: node.seq };
  }

  /**
   * The call's reply came back: `held` from a reply that ran it, absent when
   * it never started or failed (its environment may be gone, so it is not
   * counted idle).
   */
  returned(call: SentCall, held: EnvironmentHeld | undefined, cold: boolean): void {
    const node = this.#nodes.get(call.nodeId);
    if (node === undefined || node !== call.instance) return;
    const fn = node.functions.get(call.functionKey);
    if (fn === undefined) {
      if (held === undefined || held.toSeq < node.seq) return;
    }
    const entry = fn ?? functionOn(node, call.functionKey);
    if (call.seqAtSend === node.seq && entry.sentSeq === node.seq && entry.sentSinceHeartbeat > 0) entry.sentSinceHeartbeat -= 1;
    if (held === undefined || held.toSeq < node.seq) return;
    const same = entry.finished.find((f) => f.fromSeq === held.fromSeq && f.toSeq === held.toSeq);
    if (same) {
      same.calls += 1;
      if (cold) same.cold += 1;
    } else {
      entry.finished.push({ fromSeq: held.fromSeq, toSeq: held.toSeq, calls: 1, cold: cold ? 1 : 0 });
    }
  }

  /** Idle warm environments of the function on the node now, as best known; 0 for a node never heard from. */
  idle(nodeId: string, functionKey: string): number {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return 0;
    let idle = node.idle.get(functionKey) ?? 0;
    const fn = node.functions.get(functionKey);
    if (fn === undefined) return idle;
    const seq = node.seq;
    for (const f of fn.finished) {
      if (f.toSeq < seq) continue;
      idle += f.fromSeq < seq ? f.calls : f.cold;
    }
    if (fn.sentSeq === seq) idle -= fn.sentSinceHeartbeat;
    return idle > 0 ? idle : 0;
  }

  /** Forgets a node (it left and went silent). */
  forget(nodeId: string): void {
    this.#nodes.delete(nodeId);
  }
}

function functionOn(node: NodeInstance, functionKey: string): FunctionOnNode {
  let fn = node.functions.get(functionKey);
  if (fn === undefined) {
    fn = { sentSinceHeartbeat: 0, sentSeq: node.seq, finished: [] };
    node.functions.set(functionKey, fn);
  }
  return fn;
}
