import type { Etcd3 } from 'etcd3';
import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { decodeJson, nodeHeartbeatSchema, nodeRecordSchema, type Namespace, type NodeInvokeReply, type NodeRecord } from '@stratus/contracts';
import { PrefixMirror } from '@stratus/registry';
import { NodeTable, type NodeCandidate, type ReceivedHeartbeat } from './node-table.js';
import { WarmView } from './warm-view.js';

export interface NodeViewOptions {
  readonly etcd: Etcd3;
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** A heartbeat older than this no longer counts as the node's load. Default 3000 ms. */
  readonly heartbeatStaleMs?: number;
  readonly now?: () => number;
}

/** What a frontend knows about one worker node. */
export interface NodeSnapshot extends NodeCandidate {
  /** Calls this frontend has sent to the node and not yet seen answered. */
  readonly outstanding: number;
}

const FORGET_SILENT_AFTER_MS = 60_000;

/**
 * The frontend's live view of worker nodes: membership and capacity from
 * etcd, load from the nodes' NATS heartbeats, and the calls this frontend
 * itself has in flight. The rules (freshness by receive time, nodes kept
 * while they restore their registration) are in {@link NodeTable}.
 */
export class NodeView {
  readonly #now: () => number;
  readonly #table: NodeTable;
  readonly #warm = new WarmView();
  readonly #outstanding = new Map<string, number>();
  readonly #goneListeners = new Map<string, Set<() => void>>();
  readonly #reconnectListeners = new Set<(nodeId: string) => void>();
  #members: PrefixMirror<NodeRecord> | undefined;
  #subscription: Subscription | undefined;
  #sweeper: NodeJS.Timeout | undefined;

  private constructor(options: NodeViewOptions) {
    this.#table = new NodeTable(options.heartbeatStaleMs ?? 3000);
    this.#now = options.now ?? Date.now;
  }

  static async start(options: NodeViewOptions): Promise<NodeView> {
    const view = new NodeView(options);
    view.#subscription = options.nc.subscribe(options.ns.subjects.allHeartbeats(), {
      callback: (err, msg) => {
        if (err) return;
        const parsed = nodeHeartbeatSchema.safeParse(safeDecode(msg.data));
        if (!parsed.success) return;
        const heartbeat = parsed.data;
        const before = view.#table.lastHeartbeat(heartbeat.nodeId)?.heartbeat;
        view.#table.heartbeat(heartbeat, view.#now());
        // Compared with the last heartbeat seen, not the one before it: a heartbeat missed while this frontend was away changes nothing.
        if (before !== undefined && (before.natsReconnects !== heartbeat.natsReconnects || before.instanceId !== heartbeat.instanceId)) {
          for (const listener of [...view.#reconnectListeners]) listener(heartbeat.nodeId);
        }
        view.#warm.heartbeat(heartbeat);
      },
    });
    // Nodes that left (or never registered) are forgotten once long silent.
    view.#sweeper = setInterval(() => {
      for (const nodeId of view.#table.forgetSilent(view.#now(), FORGET_SILENT_AFTER_MS)) view.#warm.forget(nodeId);
    }, 30_000);
    view.#sweeper.unref();
    view.#members = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.nodesPrefix(),
      decode: (value) => nodeRecordSchema.parse(JSON.parse(value.toString('utf8'))),
      log: options.log,
      onChange: (nodeId, record) => {
        if (record) {
          view.#table.registered(nodeId, record);
          return;
        }
        view.#table.unregistered(nodeId);
        // Listeners stay subscribed: a node that comes back and leaves again must be noticed again.
        for (const listener of [...(view.#goneListeners.get(nodeId) ?? [])]) listener();
      },
    });
    return view;
  }

  /** Every node placement may use (registered, or heartbeating while it registers again), in id order. */
  nodes(): NodeSnapshot[] {
    return this.#table.candidates(this.#now()).map((candidate) => ({ ...candidate, outstanding: this.#outstanding.get(candidate.record.nodeId) ?? 0 }));
  }

  /** The latest heartbeat even when stale, and when it arrived (this process's clock), for display. */
  lastHeartbeat(nodeId: string): ReceivedHeartbeat | undefined {
    return this.#table.lastHeartbeat(nodeId);
  }

  isMember(nodeId: string): boolean {
    return this.#table.isRegistered(nodeId);
  }

  /** The machine the node runs on (its registration's host name), while its record is known. */
  hostOf(nodeId: string): string | undefined {
    return this.#table.hostOf(nodeId);
  }

  /** Changes when a node joins or is forgotten; see {@link NodeTable.version}. */
  get nodeSetVersion(): number {
    return this.#table.version;
  }

  /** Every known node's id in code-unit order, the same array while `nodeSetVersion` stays. */
  nodeIds(): readonly string[] {
    return this.#table.nodeIds();
  }

  /** Idle warm environments of the function (`functionKeyOf`) on the node now: its last heartbeat merged with this frontend's own calls. */
  warmIdle(nodeId: string, functionKey: string): number {
    return this.#warm.idle(nodeId, functionKey);
  }

  /**
   * Counts a call sent to a node until `release` is called, with the node's
   * reply when there is one: given the function (`functionKeyOf`), the call
   * and its reply also correct the node's warm count at once, not a
   * heartbeat later.
   */
  track(nodeId: string, functionKey?: string): (reply?: NodeInvokeReply) => void {
    this.#outstanding.set(nodeId, (this.#outstanding.get(nodeId) ?? 0) + 1);
    const sent = functionKey === undefined ? undefined : this.#warm.sent(nodeId, functionKey);
    let released = false;
    return (reply) => {
      if (released) return;
      released = true;
      if (sent !== undefined) this.#warm.returned(sent, reply?.ok === true ? reply.environmentHeld : undefined, reply?.ok === true && reply.result.cold);
      const left = (this.#outstanding.get(nodeId) ?? 1) - 1;
      if (left > 0) this.#outstanding.set(nodeId, left);
      else this.#outstanding.delete(nodeId);
    };
  }

  /**
   * Calls `listener` once the node is dead: gone from the registry and
   * silent for longer than the heartbeat window. Leaving the registry alone
   * is not enough: a node whose lease expired (its event loop stalled, or
   * etcd did) is still running its calls, and registers again.
   * Returns an unsubscribe function.
   */
  onNodeDead(nodeId: string, listener: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const staleMs = this.#table.staleMs;
    const check = (): void => {
      timer = undefined;
      if (this.isMember(nodeId)) return;
      const silentForMs = this.#table.silentForMs(nodeId, this.#now());
      if (silentForMs > staleMs) {
        unsubscribe();
        listener();
        return;
      }
      timer = setTimeout(check, Math.min(500, staleMs - silentForMs + 10));
    };
    const stopWatching = this.#onNodeGone(nodeId, check);
    const unsubscribe = (): void => {
      stopWatching();
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    return unsubscribe;
  }

  /**
   * Calls `listener` with a node's id when its heartbeat says its NATS
   * connection came back, or that another process now has its id: a request
   * to it or a reply from it may have been dropped with the server it lost.
   * Returns an unsubscribe function.
   */
  onNodeReconnected(listener: (nodeId: string) => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  /** The node process whose heartbeat came last, when its heartbeats say. */
  instanceOf(nodeId: string): string | undefined {
    return this.#table.lastHeartbeat(nodeId)?.heartbeat.instanceId;
  }

  #onNodeGone(nodeId: string, listener: () => void): () => void {
    let listeners = this.#goneListeners.get(nodeId);
    if (!listeners) {
      listeners = new Set();
      this.#goneListeners.set(nodeId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#goneListeners.get(nodeId) === listeners) this.#goneListeners.delete(nodeId);
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    await this.#members?.close();
    this.#goneListeners.clear();
    this.#reconnectListeners.clear();
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
