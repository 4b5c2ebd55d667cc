import type { Etcd3 } from 'etcd3';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Namespace } from '@stratus/contracts';
import { StratusError } from '@stratus/errors';
import { NodeView, type NodeSnapshot } from '@stratus/placement';
import type { NodeProvider } from './node-provider.js';
import { ScalingPolicy, type ScalingDecision, type ScalingPolicyOptions } from './scaling-policy.js';

/** The tunables of a scaler, without its connections (what a launcher or CLI passes through). */
export interface AutoscaleOptions extends ScalingPolicyOptions {
  /** How often the scaler samples the cluster's load and decides. Default 1000 ms. */
  readonly tickMs?: number;
}

export interface AutoscalerOptions extends AutoscaleOptions {
  readonly provider: NodeProvider;
  readonly etcd: Etcd3;
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Default Date.now. */
  readonly now?: () => number;
}

export type AutoscalerAction = 'idle' | 'adding' | 'removing';

/** What the scaler sees and wants, for observability. */
export interface AutoscalerState {
  readonly currentNodes: number;
  readonly desiredNodes: number;
  readonly panic: boolean;
  /** Average cluster in-flight invocations over the stable and the panic window. */
  readonly stableInFlight: number;
  readonly panicInFlight: number;
  readonly action: AutoscalerAction;
  /** The latest decision's reason. */
  readonly reason: string;
}

/** After a failed add or remove, the scaler waits this many ticks before acting again. */
const FAILED_ACTION_BACKOFF_TICKS = 5;

/**
 * Keeps the number of worker nodes between a minimum and a maximum as load
 * changes. Every tick it samples the cluster (in flight from the nodes'
 * heartbeats, capacity from their registry records), asks the
 * `ScalingPolicy` for a node count and, unless an add or remove is still
 * running, adds or removes nodes through the provider. It removes the nodes
 * with the least work in flight, newest first, and the provider drains them.
 */
export class Autoscaler {
  readonly #options: AutoscalerOptions;
  readonly #log: Logger;
  readonly #policy: ScalingPolicy;
  readonly #tickMs: number;
  readonly #now: () => number;
  readonly #view: NodeView;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #action: Promise<void> | undefined;
  #actionKind: AutoscalerAction = 'idle';
  #quietUntilMs = 0;
  #decision: ScalingDecision | undefined;
  #closed: Promise<void> | undefined;

  private constructor(options: AutoscalerOptions, view: NodeView, policy: ScalingPolicy, tickMs: number) {
    this.#options = options;
    this.#log = options.log;
    this.#view = view;
    this.#policy = policy;
    this.#tickMs = tickMs;
    this.#now = options.now ?? Date.now;
  }

  /** Validates the options, starts watching the cluster and ticking. Rejects with INVALID_ARGUMENT on a bad option. */
  static async create(options: AutoscalerOptions): Promise<Autoscaler> {
    const policy = new ScalingPolicy(options);
    const tickMs = options.tickMs ?? 1000;
    if (!Number.isInteger(tickMs) || tickMs < 1) {
      throw new StratusError('INVALID_ARGUMENT', `tickMs: must be an integer >= 1, got ${tickMs}`);
    }
    const log = options.log.child({ component: 'autoscaler' });
    const view = await NodeView.start({ etcd: options.etcd, nc: options.nc, ns: options.ns, log, ...(options.now ? { now: options.now } : {}) });
    const scaler = new Autoscaler({ ...options, log }, view, policy, tickMs);
    log.info({ policy: policy.policy, tickMs }, 'autoscaler running');
    scaler.#schedule();
    return scaler;
  }

  get state(): AutoscalerState {
    const d = this.#decision;
    return {
      currentNodes: d?.currentNodes ?? 0,
      desiredNodes: d?.desiredNodes ?? 0,
      panic: d?.panic ?? false,
      stableInFlight: d?.stableInFlight ?? 0,
      panicInFlight: d?.panicInFlight ?? 0,
      action: this.#actionKind,
      reason: d?.reason ?? 'no decision yet',
    };
  }

  /** Stops ticking, waits for an add or remove under way, and stops watching. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.#tick;
      await this.#action;
      await this.#view.close();
      this.#log.info('autoscaler stopped');
    })();
    return this.#closed;
  }

  #schedule(): void {
    if (this.#closed !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#runTick().finally(() => {
        this.#tick = undefined;
        this.#schedule();
      });
    }, this.#tickMs);
  }

  async #runTick(): Promise<void> {
    let nodeIds: readonly string[];
    try {
      nodeIds = await this.#options.provider.nodes();
    } catch (err) {
      this.#log.warn({ err }, 'could not list the provider’s nodes');
      return;
    }
    const registered = this.#view.nodes();
    const previous = this.#decision;
    const decision = this.#policy.observe({
      atMs: this.#now(),
      currentNodes: nodeIds.length,
      inFlight: registered.reduce((sum, node) => sum + (node.heartbeat?.inFlight ?? 0), 0),
      capacity: registered.reduce((sum, node) => sum + node.record.maxInFlight, 0),
      capacityNodes: registered.length,
    });
    this.#decision = decision;
    const summary = summarize(decision);
    if (decision.panic !== (previous?.panic ?? false)) {
      this.#log.info(summary, decision.panic ? 'entering panic mode' : 'leaving panic mode');
    }
    if (this.#closed !== undefined || this.#action !== undefined || decision.desiredNodes === nodeIds.length) {
      this.#log.debug(summary, 'autoscaler decision');
      return;
    }
    if (decision.atMs < this.#quietUntilMs) {
      this.#log.debug(summary, 'autoscaler decision (backing off after a failed action)');
      return;
    }
    this.#action = this.#act(decision, nodeIds, registered).finally(() => {
      this.#action = undefined;
      this.#actionKind = 'idle';
    });
  }

  async #act(decision: ScalingDecision, nodeIds: readonly string[], registered: readonly NodeSnapshot[]): Promise<void> {
    const { provider } = this.#options;
    const summary = summarize(decision);
    const delta = decision.desiredNodes - nodeIds.length;
    let failures: unknown[];
    if (delta > 0) {
      this.#actionKind = 'adding';
      this.#log.info(summary, `scaling up from ${nodeIds.length} to ${decision.desiredNodes} nodes`);
      const results = await Promise.allSettled(Array.from({ length: delta }, () => provider.addNode()));
      for (const result of results) if (result.status === 'fulfilled') this.#log.info({ nodeId: result.value }, 'node added');
      failures = rejections(results);
    } else {
      this.#actionKind = 'removing';
      const victims = chooseVictims(nodeIds, registered, -delta);
      this.#log.info({ ...summary, nodes: victims }, `scaling down from ${nodeIds.length} to ${decision.desiredNodes} nodes`);
      const results = await Promise.allSettled(victims.map((nodeId) => provider.removeNode(nodeId)));
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') this.#log.info({ nodeId: victims[i] }, 'node removed');
      });
      failures = rejections(results);
    }
    if (failures.length > 0) {
      for (const err of failures) this.#log.error({ err }, `could not ${delta > 0 ? 'add' : 'remove'} a node`);
      this.#quietUntilMs = this.#now() + FAILED_ACTION_BACKOFF_TICKS * this.#tickMs;
    }
  }
}

/**
 * The nodes to remove: those with the least in flight (an unregistered one,
 * still starting or already leaving, counts as idle), newest first, so the
 * long-lived nodes keep their warm isolates and code caches.
 */
function chooseVictims(nodeIds: readonly string[], registered: readonly NodeSnapshot[], count: number): string[] {
  const byId = new Map(registered.map((node) => [node.record.nodeId, node]));
  const rank = (nodeId: string): { inFlight: number; registeredAtMs: number } => {
    const node = byId.get(nodeId);
    return { inFlight: node?.heartbeat?.inFlight ?? 0, registeredAtMs: node?.record.registeredAtMs ?? Infinity };
  };
  return [...nodeIds]
    .sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      return ra.inFlight - rb.inFlight || rb.registeredAtMs - ra.registeredAtMs || b.localeCompare(a);
    })
    .slice(0, count);
}

function rejections(results: readonly PromiseSettledResult<unknown>[]): unknown[] {
  return results.flatMap((result): unknown[] => (result.status === 'rejected' ? [result.reason] : []));
}

function summarize(decision: ScalingDecision): Record<string, unknown> {
  return {
    currentNodes: decision.currentNodes,
    desiredNodes: decision.desiredNodes,
    panic: decision.panic,
    stableInFlight: round2(decision.stableInFlight),
    panicInFlight: round2(decision.panicInFlight),
    reason: decision.reason,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
