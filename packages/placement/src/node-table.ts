import type { NodeHeartbeat, NodeRecord } from '@stratus/contracts';

/** A node's latest heartbeat and when this process received it, by its own clock. */
export interface ReceivedHeartbeat {
  readonly heartbeat: NodeHeartbeat;
  readonly receivedAtMs: number;
}

/** A node placement may use: its record, its load unless stale, and whether etcd lists it now. */
export interface NodeCandidate {
  readonly record: NodeRecord;
  readonly heartbeat: NodeHeartbeat | undefined;
  /** False while a node that still heartbeats is restoring its registration (say, after an etcd stall expired its lease). */
  readonly registered: boolean;
}

interface KnownNode {
  record: NodeRecord;
  registered: boolean;
}

/**
 * What a frontend knows about each worker node, without I/O, so the rules
 * are tested on their own (NodeView feeds it from etcd and NATS):
 *
 * - Freshness is measured from when a heartbeat was received, by this
 *   process's clock, never from the `atMs` the node stamped it with: two
 *   machines' clocks need not agree.
 * - A node is a candidate while etcd lists it, and also while it has left
 *   etcd but still heartbeats (fresh and not draining): an etcd stall can
 *   expire every lease at once while every node is fine, and each node
 *   registers again by itself within seconds.
 */
export class NodeTable {
  readonly #staleMs: number;
  readonly #nodes = new Map<string, KnownNode>();
  readonly #heartbeats = new Map<string, ReceivedHeartbeat>();
  #version = 0;
  #sortedIds: readonly string[] = [];

  /** @param staleMs A heartbeat older than this no longer counts. */
  constructor(staleMs: number) {
    this.#staleMs = staleMs;
  }

  get staleMs(): number {
    return this.#staleMs;
  }

  /** etcd lists the node (again), with this record. */
  registered(nodeId: string, record: NodeRecord): void {
    const known = this.#nodes.get(nodeId);
    if (known) {
      known.record = record;
      known.registered = true;
    } else {
      this.#nodes.set(nodeId, { record, registered: true });
      this.#nodeSetChanged();
    }
  }

  /**
   * Changes whenever a node joins or is forgotten (not when it merely
   * unregisters while it heartbeats), so what is derived from the set of
   * nodes, such as each function's rendezvous order, is kept until it does.
   */
  get version(): number {
    return this.#version;
  }

  /** Every known node's id, in code-unit order, the same array until the set changes. */
  nodeIds(): readonly string[] {
    return this.#sortedIds;
  }

  #nodeSetChanged(): void {
    this.#version += 1;
    // Code-unit order: collation (`localeCompare`) costs far more while ordering no better.
    this.#sortedIds = [...this.#nodes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** etcd no longer lists the node: its lease expired or was revoked. Its record is kept while it heartbeats. */
  unregistered(nodeId: string): void {
    const known = this.#nodes.get(nodeId);
    if (known) known.registered = false;
  }

  heartbeat(heartbeat: NodeHeartbeat, receivedAtMs: number): void {
    this.#heartbeats.set(heartbeat.nodeId, { heartbeat, receivedAtMs });
  }

  isRegistered(nodeId: string): boolean {
    return this.#nodes.get(nodeId)?.registered === true;
  }

  /** The machine the node said it runs on (its record's `host`), while its record is known. */
  hostOf(nodeId: string): string | undefined {
    return this.#nodes.get(nodeId)?.record.host;
  }

  /** The latest heartbeat even when stale, for display. */
  lastHeartbeat(nodeId: string): ReceivedHeartbeat | undefined {
    return this.#heartbeats.get(nodeId);
  }

  /** How long since the node's last heartbeat arrived; Infinity when none ever did. */
  silentForMs(nodeId: string, nowMs: number): number {
    const received = this.#heartbeats.get(nodeId);
    return received ? nowMs - received.receivedAtMs : Infinity;
  }

  freshHeartbeat(nodeId: string, nowMs: number): NodeHeartbeat | undefined {
    const received = this.#heartbeats.get(nodeId);
    return received && nowMs - received.receivedAtMs <= this.#staleMs ? received.heartbeat : undefined;
  }

  /** Every node placement may use now, in id order. */
  candidates(nowMs: number): NodeCandidate[] {
    const candidates: NodeCandidate[] = [];
    // Already in id order: this runs on every call, so nothing is sorted here.
    for (const nodeId of this.#sortedIds) {
      const known = this.#nodes.get(nodeId);
      if (known === undefined) continue;
      const heartbeat = this.freshHeartbeat(nodeId, nowMs);
      if (known.registered) candidates.push({ record: known.record, heartbeat, registered: true });
      // A draining node left the registry on purpose; one restoring its registration is still taking work.
      else if (heartbeat && heartbeat.state !== 'draining') candidates.push({ record: known.record, heartbeat, registered: false });
    }
    return candidates;
  }

  /** Forgets nodes out of the registry and silent for longer than `afterMs`, so departed nodes do not pile up; returns the ids it forgot (a record, a heartbeat or both). */
  forgetSilent(nowMs: number, afterMs: number): string[] {
    const forgotten: string[] = [];
    for (const [nodeId, received] of this.#heartbeats) {
      if (nowMs - received.receivedAtMs > afterMs && !this.isRegistered(nodeId)) {
        this.#heartbeats.delete(nodeId);
        forgotten.push(nodeId);
      }
    }
    let removed = false;
    for (const [nodeId, known] of this.#nodes) {
      if (!known.registered && !this.#heartbeats.has(nodeId)) {
        this.#nodes.delete(nodeId);
        if (!forgotten.includes(nodeId)) forgotten.push(nodeId);
        removed = true;
      }
    }
    if (removed) this.#nodeSetChanged();
    return forgotten;
  }
}
