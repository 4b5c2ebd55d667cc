import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WarmFunction } from '@stratus/contracts';
import type { OutboxStats } from '@stratus/registry';

export interface NodeMetricsSources {
  readonly inFlight: () => number;
  readonly memoryUsedMb: () => number;
  readonly memoryBudgetMb: number;
  readonly pools: () => readonly WarmFunction[];
  /** Environments the pool made (by why) and disposed, and isolate shells made (each environment starts from one). */
  readonly churn: () => { readonly created: Readonly<Record<'cold' | 'spare' | 'provisioned', number>>; readonly disposed: number; readonly shells: number };
  /** The usage and logs outboxes. */
  readonly outboxes: () => Readonly<Record<'usage' | 'logs', OutboxStats>>;
}

/** What a worker node exports to Prometheus: its invocations, cold starts and pools. */
export class NodeMetrics {
  readonly #invocations: Counter<'function' | 'outcome'>;
  readonly #coldStarts: Counter<'function'>;
  readonly #queued: Histogram<'function'>;
  readonly #local: Counter<'function'>;

  constructor(registry: Registry, sources: NodeMetricsSources) {
    const registers = [registry];
    this.#invocations = new Counter({
      name: 'stratus_node_invocations_total',
      help: 'Invocations run on this node, by outcome (success, function_error, timeout, crashed).',
      labelNames: ['function', 'outcome'],
      registers,
    });
    this.#coldStarts = new Counter({ name: 'stratus_node_cold_starts_total', help: 'Execution environments this node started.', labelNames: ['function'], registers });
    this.#queued = new Histogram({
      name: 'stratus_node_isolate_queue_seconds',
      help: 'Time each invocation waited for an isolate slot (the node runs at most as many isolates as it has cores); not billed.',
      labelNames: ['function'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#local = new Counter({
      name: 'stratus_node_local_invocations_total',
      help: "Invocations that came from the frontend in this node's own process (the combined role) and ran without crossing NATS; also counted in stratus_node_invocations_total.",
      labelNames: ['function'],
      registers,
    });
    new Gauge({
      name: 'stratus_node_in_flight',
      help: 'Invocations running on this node.',
      registers,
      collect() {
        this.set(sources.inFlight());
      },
    });
    new Gauge({
      name: 'stratus_node_memory_used_mb',
      help: 'Sum of the memory sizes of live execution environments.',
      registers,
      collect() {
        this.set(sources.memoryUsedMb());
      },
    });
    new Gauge({ name: 'stratus_node_memory_budget_mb', help: 'The node memory budget for execution environments.', registers }).set(sources.memoryBudgetMb);
    new Gauge({
      name: 'stratus_node_pool_isolates',
      help: 'Execution environments by function and state (idle, busy).',
      labelNames: ['function', 'state'],
      registers,
      collect() {
        this.reset();
        for (const pool of sources.pools()) {
          this.inc({ function: pool.functionName, state: 'idle' }, pool.idle);
          this.inc({ function: pool.functionName, state: 'busy' }, pool.busy);
        }
      },
    });
    // Counted by the pool and the shell pool; read when scraped, so the call path pays nothing for them.
    new Counter({
      name: 'stratus_node_environments_created_total',
      help: 'Execution environments made, by why: cold (a call found none idle), spare (ahead of demand), provisioned. Steady load should make none.',
      labelNames: ['reason'],
      registers,
      collect() {
        const { created } = sources.churn();
        this.reset();
        for (const reason of ['cold', 'spare', 'provisioned'] as const) this.inc({ reason }, created[reason]);
      },
    });
    new Counter({
      name: 'stratus_node_environments_disposed_total',
      help: 'Execution environments disposed (idle past keep-warm, evicted for room, broken, or at shutdown).',
      registers,
      collect() {
        this.reset();
        this.inc(sources.churn().disposed);
      },
    });
    new Counter({
      name: 'stratus_node_isolate_shells_created_total',
      help: "Isolate shells made (isolate, context, runtime bootstrap): one per environment a cold start made itself, plus the shell pool's spares; 2-3 ms of the main thread's CPU each.",
      registers,
      collect() {
        this.reset();
        this.inc(sources.churn().shells);
      },
    });
    const outboxGauge = (name: string, help: string, value: (stats: OutboxStats) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['outbox'],
        registers,
        collect() {
          const outboxes = sources.outboxes();
          for (const outbox of NodeMetrics.OUTBOXES) this.set({ outbox }, value(outboxes[outbox]));
        },
      });
    };
    outboxGauge('stratus_node_outbox_pending_records', 'Usage records and invocation logs accepted and not yet stored in JetStream.', (s) => s.pending);
    outboxGauge('stratus_node_outbox_full', '1 while an outbox is at its cap: the usage one makes the node refuse calls, the logs one drops new logs.', (s) => (s.full ? 1 : 0));
    // The outboxes keep their own counts; the counters read them when scraped.
    const outboxCounter = (name: string, help: string, value: (stats: OutboxStats) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['outbox'],
        registers,
        collect() {
          const outboxes = sources.outboxes();
          this.reset();
          for (const outbox of NodeMetrics.OUTBOXES) this.inc({ outbox }, value(outboxes[outbox]));
        },
      });
    };
    outboxCounter('stratus_node_outbox_stored_records_total', 'Records stored in JetStream.', (s) => s.stored);
    outboxCounter('stratus_node_outbox_dropped_records_total', 'Records lost: logs past their cap or their attempts, anything abandoned at close.', (s) => s.dropped);
    outboxCounter('stratus_node_outbox_batches_total', 'Batches stored in JetStream (one message each).', (s) => s.batches);
  }

  static readonly OUTBOXES = ['usage', 'logs'] as const;

  invokedLocally(functionName: string): void {
    this.#local.inc({ function: functionName });
  }

  invoked(functionName: string, outcome: string, cold: boolean, queuedMs: number): void {
    this.#invocations.inc({ function: functionName, outcome });
    this.#queued.observe({ function: functionName }, queuedMs / 1000);
    if (cold) this.#coldStarts.inc({ function: functionName });
  }
}
