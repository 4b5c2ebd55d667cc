import type { StratusClient } from '@stratus/client';
import { latencyDistribution, loadStats, runLoad, runOpenLoop, type LoadOptions, type LoadRun, type OpenLoopOptions } from '@stratus/loadgen';
import { startCpuMeter, type ProcessTable } from './process-cpu.js';
import type { Progress } from './progress.js';
import type { Measurement, OpenLoopMeasurement } from './report.js';
import type { BenchSizes } from './sizes.js';

/** Every call the harness made through the cluster, to check the billing aggregator against. */
export class Ledger {
  requests = 0;
  billedMs = 0;
  /** Calls that ended without a result but may have run (and so been billed): INVOCATION_LOST, timeouts, unknown errors. */
  unknownOutcome = 0;

  add(run: Pick<LoadRun, 'ok' | 'billedMs'> & { readonly errors?: Readonly<Record<string, number>> }): void {
    this.requests += run.ok;
    this.billedMs += run.billedMs;
    for (const [code, n] of Object.entries(run.errors ?? {})) if (!NEVER_RAN.has(code)) this.unknownOutcome += n;
  }
}

/** Error codes that mean the call never reached a handler, so nothing can have been billed. */
const NEVER_RAN = new Set(['THROTTLED', 'NO_CAPACITY', 'NODE_UNAVAILABLE', 'FUNCTION_NOT_FOUND', 'INVALID_ARGUMENT', 'PAYLOAD_TOO_LARGE']);

/** What every scenario gets. */
export interface BenchContext {
  readonly client: StratusClient;
  readonly endpoint: string;
  /** The cluster's admin key, sent by every load run (to the echo baseline too, so both carry the same metadata). */
  readonly apiKey: string;
  readonly echoEndpoint: string;
  readonly processes: ProcessTable;
  /** Where the cluster's worker nodes serve their metrics (a combined process's included), for what they made during a run. */
  readonly nodeMetrics: readonly string[];
  readonly sizes: BenchSizes;
  readonly ledger: Ledger;
  readonly progress: Progress;
  readonly threads: number;
  readonly keepWarmMs: number;
}

/**
 * One load run with the CPU of every process measured around it. Runs
 * against the cluster (not the echo server) go into the ledger.
 */
export async function measure(
  ctx: BenchContext,
  label: string,
  options: Omit<LoadOptions, 'threads' | 'onProgress'>,
  progressTotal?: { readonly kind: 'time' } | { readonly kind: 'count' },
): Promise<{ readonly measurement: Measurement; readonly run: LoadRun }> {
  const threads = Math.min(ctx.threads, options.concurrency);
  const startedAt = performance.now();
  const byTime = progressTotal?.kind !== 'count' && options.durationMs !== undefined;
  ctx.progress.phase(label, byTime ? Math.round((options.durationMs ?? 0) / 1000) : (options.requests ?? 0), byTime ? 's' : 'calls');
  const stopMeter = await startCpuMeter(ctx.processes);
  const target = options.target.kind === 'stratus' && options.target.apiKey === undefined ? { ...options.target, apiKey: ctx.apiKey } : options.target;
  const run = await runLoad({
    ...options,
    target,
    threads,
    onProgress: (completed) =>
      ctx.progress.update(byTime ? Math.round((performance.now() - startedAt) / 1000) : completed, `${completed} calls`),
  });
  const cpu = await stopMeter();
  if (options.target.kind === 'stratus' && options.target.endpoint === ctx.endpoint) ctx.ledger.add(run);
  const stats = loadStats(run, {
    concurrency: options.concurrency,
    threads,
    channels: options.channels ?? defaultChannelsFor(options.concurrency, threads),
  });
  return { measurement: { label, stats, cpu, distribution: latencyDistribution(run.latenciesMs) }, run };
}

/** One open-loop run with the CPU of every process measured around it; runs against the cluster go into the ledger. */
export async function measureOpenLoop(
  ctx: BenchContext,
  label: string,
  options: Omit<OpenLoopOptions, 'threads' | 'onProgress'>,
): Promise<OpenLoopMeasurement> {
  const startedAt = performance.now();
  ctx.progress.phase(label, Math.round(options.durationMs / 1000), 's');
  const stopMeter = await startCpuMeter(ctx.processes);
  const target = options.target.kind === 'stratus' && options.target.apiKey === undefined ? { ...options.target, apiKey: ctx.apiKey } : options.target;
  const run = await runOpenLoop({
    ...options,
    target,
    threads: ctx.threads,
    onProgress: (completed) => ctx.progress.update(Math.round((performance.now() - startedAt) / 1000), `${completed} calls`),
  });
  const cpu = await stopMeter();
  if (options.target.kind === 'stratus' && options.target.endpoint === ctx.endpoint) ctx.ledger.add(run);
  return { label, run, cpu };
}

function defaultChannelsFor(concurrency: number, threads: number): number {
  return Math.max(1, Math.min(8, Math.ceil(Math.ceil(concurrency / threads) / 100)));
}
