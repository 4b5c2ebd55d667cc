import type { Etcd3 } from 'etcd3';
import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import {
  decodeJson,
  nodeHeartbeatSchema,
  nodeRecordSchema,
  type Namespace,
  type NodeHeartbeat,
  type NodeRecord,
} from '@stratus/contracts';
import { PrefixMirror } from '@stratus/registry';

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
export interface NodeSnapshot {
  readonly record: NodeRecord;
  /** The node's latest heartbeat, unless stale. */
  readonly heartbeat: NodeHeartbeat | undefined;
  /** Calls this frontend has sent to the node and not yet seen answered. */
  readonly outstanding: number;
}

/**
 * The frontend's live view of worker nodes: membership and capacity from
 * etcd (a node is listed exactly while its lease lives), load from the
 * nodes' NATS heartbeats, and the calls this frontend itself has in flight.
 */
export class NodeView {
  readonly #heartbeatStaleMs: number;
  readonly #now: () => number;
  readonly #heartbeats = new Map<string, NodeHeartbeat>();
  readonly #outstanding = new Map<string, number>();
  readonly #goneListeners = new Map<string, Set<() => void>>();
  #members: PrefixMirror<NodeRecord> | undefined;
  #subscription: Subscription | undefined;
  #sweeper: NodeJS.Timeout | undefined;

  private constructor(options: NodeViewOptions) {
    this.#heartbeatStaleMs = options.heartbeatStaleMs ?? 3000;
    this.#now = options.now ?? Date.now;
  }

  static async start(options: NodeViewOptions): Promise<NodeView> {
    const view = new NodeView(options);
    view.#subscription = options.nc.subscribe(options.ns.subjects.allHeartbeats(), {
      callback: (err, msg) => {
        if (err) return;
        const parsed = nodeHeartbeatSchema.safeParse(safeDecode(msg.data));
        if (parsed.success) view.#heartbeats.set(parsed.data.nodeId, parsed.data);
      },
    });
    // Heartbeats of nodes that left (or never registered) are forgotten once long silent.
    view.#sweeper = setInterval(() => view.#forgetSilent(), 30_000);
    view.#sweeper.unref();
    view.#members = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.nodesPrefix(),
      decode: (value) => nodeRecordSchema.parse(JSON.parse(value.toString('utf8'))),
      log: options.log,
      onChange: (nodeId, record) => {
        if (record) return;
        // Listeners stay subscribed: a node that comes back and leaves again must be noticed again.
        for (const listener of [...(view.#goneListeners.get(nodeId) ?? [])]) listener();
      },
    });
    return view;
  }

  /** Every registered node, in id order. */
  nodes(): NodeSnapshot[] {
    const snapshots: NodeSnapshot[] = [];
    for (const [nodeId, record] of this.#members?.entries() ?? []) {
      snapshots.push({ record, heartbeat: this.#freshHeartbeat(nodeId), outstanding: this.#outstanding.get(nodeId) ?? 0 });
    }
    return snapshots.sort((a, b) => a.record.nodeId.localeCompare(b.record.nodeId));
  }

  /** The latest heartbeat even when stale, for display. */
  lastHeartbeat(nodeId: string): NodeHeartbeat | undefined {
    return this.#heartbeats.get(nodeId);
  }

  isMember(nodeId: string): boolean {
    return this.#members?.get(nodeId) !== undefined;
  }

  /** Counts a call sent to a node until `release` is called. */
  track(nodeId: string): () => void {
    this.#outstanding.set(nodeId, (this.#outstanding.get(nodeId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#outstanding.get(nodeId) ?? 1) - 1;
      if (left > 0) this.#outstanding.set(nodeId, left);
      else this.#outstanding.delete(nodeId);
    };
  }

  /**
   * Calls `listener` once the node is dead: gone from the registry and
   * silent for longer than the heartbeat window. Leaving the registry alone
   * is not enough: a node whose event loop stalls past its lease TTL is
   * still running its calls, and re-registers once it catches up.
   * Returns an unsubscribe function.
   */
  onNodeDead(nodeId: string, listener: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const check = (): void => {
      timer = undefined;
      if (this.isMember(nodeId)) return;
      const heartbeat = this.#heartbeats.get(nodeId);
      const silentForMs = heartbeat ? this.#now() - heartbeat.atMs : Infinity;
      if (silentForMs > this.#heartbeatStaleMs) {
        unsubscribe();
        listener();
        return;
      }
      timer = setTimeout(check, Math.min(500, this.#heartbeatStaleMs - silentForMs + 10));
    };
    const stopWatching = this.#onNodeGone(nodeId, check);
    const unsubscribe = (): void => {
      stopWatching();
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    return unsubscribe;
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
  }

  #forgetSilent(): void {
    const cutoff = this.#now() - 60_000;
    for (const [nodeId, heartbeat] of this.#heartbeats) {
      if (heartbeat.atMs < cutoff && !this.isMember(nodeId)) this.#heartbeats.delete(nodeId);
    }
  }

  #freshHeartbeat(nodeId: string): NodeHeartbeat | undefined {
    const heartbeat = this.#heartbeats.get(nodeId);
    if (!heartbeat || this.#now() - heartbeat.atMs > this.#heartbeatStaleMs) return undefined;
    return heartbeat;
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
