import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * What a frontend exports to Prometheus. Label sets stay small (function,
 * outcome, reason) so a thousand functions stay a few thousand series.
 */
export class FrontendMetrics {
  readonly #invocations: Counter<'function' | 'outcome'>;
  readonly #coldStarts: Counter<'function'>;
  readonly #throttles: Counter<'function' | 'reason'>;
  readonly #duration: Histogram<'function'>;
  readonly #streamChunksDropped: Counter;
  readonly #calls = new Map<string, { total: number; warm: number }>();

  constructor(registry: Registry, inFlight: () => number) {
    const registers = [registry];
    this.#invocations = new Counter({
      name: 'stratus_invocations_total',
      help: 'Invocations that reached a node, by outcome (success, function_error) or platform error code.',
      labelNames: ['function', 'outcome'],
      registers,
    });
    this.#coldStarts = new Counter({ name: 'stratus_cold_starts_total', help: 'Invocations that started a new execution environment.', labelNames: ['function'], registers });
    this.#throttles = new Counter({ name: 'stratus_throttles_total', help: 'Invocations refused with THROTTLED.', labelNames: ['function', 'reason'], registers });
    this.#duration = new Histogram({
      name: 'stratus_invocation_duration_seconds',
      help: 'Handler duration as billed, before rounding.',
      labelNames: ['function'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
    this.#streamChunksDropped = new Counter({
      name: 'stratus_response_stream_chunks_dropped_total',
      help: 'Response stream chunks that arrived for no call streaming here (unknown, or already finished).',
      registers,
    });
    new Gauge({
      name: 'stratus_concurrent_executions',
      help: 'Invocations this frontend has admitted and not yet answered.',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    const calls = this.#calls;
    new Gauge({
      name: 'stratus_warm_hit_ratio',
      help: 'Share of invocations that found a warm execution environment; function="" is cluster-wide as this frontend saw it.',
      labelNames: ['function'],
      registers,
      collect() {
        this.reset();
        let total = 0;
        let warm = 0;
        for (const [fn, counts] of calls) {
          this.set({ function: fn }, counts.warm / counts.total);
          total += counts.total;
          warm += counts.warm;
        }
        if (total > 0) this.set({ function: '' }, warm / total);
      },
    });
  }

  invoked(functionName: string, result: { functionError?: string; cold: boolean; durationMs: number }): void {
    this.#invocations.inc({ function: functionName, outcome: result.functionError ? 'function_error' : 'success' });
    this.#duration.observe({ function: functionName }, result.durationMs / 1000);
    if (result.cold) this.#coldStarts.inc({ function: functionName });
    const counts = this.#calls.get(functionName) ?? { total: 0, warm: 0 };
    counts.total += 1;
    if (!result.cold) counts.warm += 1;
    this.#calls.set(functionName, counts);
  }

  /** Exports the HTTP listener's stream budget: what it holds for slow readers now, at most so far, and the answers it cut off. */
  watchStreamBudget(registry: Registry, budget: () => { heldBytes: number; peakBytes: number; cutOffs: number }): void {
    const registers = [registry];
    new Gauge({
      name: 'stratus_response_stream_bytes_held',
      help: 'Streamed response bytes taken from nodes and not yet taken by clients’ sockets, across this frontend.',
      registers,
      collect() {
        this.set(budget().heldBytes);
      },
    });
    new Gauge({
      name: 'stratus_response_stream_bytes_held_peak',
      help: 'The most streamed response bytes this frontend has held at once for slow readers.',
      registers,
      collect() {
        this.set(budget().peakBytes);
      },
    });
    new Counter({
      name: 'stratus_response_streams_cut_off_total',
      help: 'Streamed answers cut off because their clients read too slowly for the stream budget (STRATUS_HTTP_STREAM_BUDGET_MB).',
      registers,
      collect() {
        this.reset();
        this.inc(budget().cutOffs);
      },
    });
  }

  streamChunkDropped(): void {
    this.#streamChunksDropped.inc();
  }

  failed(functionName: string, code: string, reason: string | undefined): void {
    if (code === 'THROTTLED') this.#throttles.inc({ function: functionName, reason: reason ?? '' });
    else this.#invocations.inc({ function: functionName, outcome: code });
  }
}
