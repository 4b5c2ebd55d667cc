import { performance } from 'node:perf_hooks';
import { runWorkerThreads } from './worker-threads.js';
import { openCaller, type LoadTarget } from './callers.js';
import { summarizeLatencies, throughputPerSec, type LatencySummary } from './stats.js';

export interface LoadOptions {
  readonly target: LoadTarget;
  /** Calls in flight at once (closed loop: each finished call starts the next). */
  readonly concurrency: number;
  /** Stop starting calls after this long. Default: no time limit (then `requests` must be set). */
  readonly durationMs?: number;
  /** Stop after starting this many calls. Default: no count limit (then `durationMs` must be set). */
  readonly requests?: number;
  /** HTTP/2 connections to spread calls over. Default: one per 100 in flight, 1 to 8. */
  readonly channels?: number;
  /**
   * Worker threads that each run a share of the concurrency with their own
   * connections, for when one core cannot generate the load. Default 1: the
   * calling thread does it alone.
   */
  readonly threads?: number;
  /** Deadline of each call. Default 60 000. */
  readonly deadlineMs?: number;
  /** Called about every 200 ms with the calls finished so far. */
  readonly onProgress?: (completed: number) => void;
  /**
   * Called as each call ends, with when it started and ended and how: for
   * fault tests, which need to know when calls failed and when they
   * succeeded again. Only with `threads` 1. Default none.
   */
  readonly onCall?: (call: CallRecord) => void;
  /** Stops starting calls once aborted (those in flight finish). Only with `threads` 1. Default none. */
  readonly signal?: AbortSignal;
}

/** One call of a load run, as `onCall` reports it. */
export interface CallRecord {
  /** `Date.now()` when the call started. */
  readonly startMs: number;
  /** `Date.now()` when it ended. */
  readonly endMs: number;
  /** 'ok' for a result (a handler error is a result), else the error code ('THROTTLED' included). */
  readonly outcome: string;
}

/** What only a load run in the calling thread can take: callbacks and signals do not cross into worker threads. */
interface InThreadHooks {
  readonly onProgress?: ((completed: number) => void) | undefined;
  readonly onCall?: ((call: CallRecord) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The raw outcome of a load run: every success's latency and counts of the rest. */
export interface LoadRun {
  /** Latency of each call that got a result (a handler error is a result). */
  readonly latenciesMs: Float64Array;
  /** initDurationMs of each cold call. */
  readonly initMs: Float64Array;
  readonly ok: number;
  readonly functionErrors: number;
  readonly coldStarts: number;
  readonly throttles: number;
  /** Calls that got no result (other than throttles), by error code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly billedMs: number;
  /** From the first call started to the last one finished. */
  readonly elapsedMs: number;
  /** CPU this process (every thread) used during the run. */
  readonly clientCpuMs: number;
}

/** A load run's figures, as reports and `stratus bench` print them. */
export interface LoadStats {
  readonly concurrency: number;
  readonly threads: number;
  readonly channels: number;
  readonly requests: number;
  readonly ok: number;
  readonly functionErrors: number;
  readonly coldStarts: number;
  readonly throttles: number;
  readonly errorCount: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly throughputPerSec: number;
  readonly latency: LatencySummary;
  readonly billedMs: number;
  /** The generator's CPU as a share of one core over the run (100 = one core busy). */
  readonly clientCpuPct: number;
}

interface ResolvedLoad {
  readonly target: LoadTarget;
  readonly concurrency: number;
  readonly durationMs: number | undefined;
  readonly requests: number | undefined;
  readonly channels: number;
  readonly threads: number;
  readonly deadlineMs: number;
}

/** Per-thread share, sent to load-worker.js. */
export interface ThreadJob {
  readonly target: LoadTarget;
  readonly concurrency: number;
  readonly durationMs: number | undefined;
  readonly requests: number | undefined;
  readonly channels: number;
  readonly deadlineMs: number;
}

const READY_TIMEOUT_MS = 10_000;
const PROGRESS_INTERVAL_MS = 200;

/** Runs a closed-loop load against `target` and returns what every call did. */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const config = resolveLoad(options);
  const cpuBefore = process.cpuUsage();
  const run =
    config.threads === 1
      ? await runJob(config, { onProgress: options.onProgress, onCall: options.onCall, signal: options.signal })
      : await runThreads(config, options.onProgress);
  const cpu = process.cpuUsage(cpuBefore);
  return { ...run, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}

export function loadStats(run: LoadRun, settings: { concurrency: number; threads: number; channels: number }): LoadStats {
  const errorCount = Object.values(run.errors).reduce((a, b) => a + b, 0);
  return {
    ...settings,
    requests: run.ok + run.throttles + errorCount,
    ok: run.ok,
    functionErrors: run.functionErrors,
    coldStarts: run.coldStarts,
    throttles: run.throttles,
    errorCount,
    errors: run.errors,
    elapsedMs: run.elapsedMs,
    throughputPerSec: throughputPerSec(run.ok, run.elapsedMs),
    latency: summarizeLatencies(run.latenciesMs),
    billedMs: run.billedMs,
    clientCpuPct: run.elapsedMs > 0 ? (run.clientCpuMs / run.elapsedMs) * 100 : 0,
  };
}

/** The channel count runLoad uses for a concurrency when none is given. */
export function defaultChannels(concurrency: number): number {
  return Math.max(1, Math.min(8, Math.ceil(concurrency / 100)));
}

function resolveLoad(options: LoadOptions): ResolvedLoad {
  const concurrency = options.concurrency;
  const threads = options.threads ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!Number.isInteger(threads) || threads < 1 || threads > concurrency) {
    throw new RangeError(`threads must be an integer from 1 to the concurrency, got ${threads}`);
  }
  if (options.durationMs === undefined && options.requests === undefined && options.signal === undefined) {
    throw new RangeError('give durationMs, requests, a signal, or several');
  }
  if (threads > 1 && (options.onCall !== undefined || options.signal !== undefined)) {
    throw new RangeError('onCall and signal work only with threads 1');
  }
  return {
    target: options.target,
    concurrency,
    durationMs: options.durationMs,
    requests: options.requests,
    channels: options.channels ?? defaultChannels(Math.ceil(concurrency / threads)),
    threads,
    deadlineMs: options.deadlineMs ?? 60_000,
  };
}

/** Runs one share of the load in this thread. Exported for load-worker.js. */
export async function runJob(job: ThreadJob, hooks: InThreadHooks = {}): Promise<Omit<LoadRun, 'clientCpuMs'>> {
  const { onProgress, onCall, signal } = hooks;
  const caller = await openCaller(job.target, {
    channels: job.channels,
    deadlineMs: job.deadlineMs,
    maxSockets: job.concurrency,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const latencies: number[] = [];
  const initMs: number[] = [];
  const errors: Record<string, number> = {};
  let started = 0;
  let completed = 0;
  let functionErrors = 0;
  let coldStarts = 0;
  let throttles = 0;
  let billedMs = 0;
  const timer = onProgress ? setInterval(() => onProgress(completed), PROGRESS_INTERVAL_MS) : undefined;
  const start = performance.now();
  const endAt = job.durationMs === undefined ? Number.POSITIVE_INFINITY : start + job.durationMs;
  const more = (): boolean => signal?.aborted !== true && (job.requests === undefined || started < job.requests) && performance.now() < endAt;
  const loop = async (): Promise<void> => {
    while (more()) {
      started += 1;
      const t0 = performance.now();
      const startMs = Date.now();
      let outcomeName = 'ok';
      try {
        const outcome = await caller.call();
        latencies.push(performance.now() - t0);
        billedMs += outcome.billedMs;
        if (outcome.functionError) functionErrors += 1;
        if (outcome.coldStart) {
          coldStarts += 1;
          initMs.push(outcome.initMs);
        }
      } catch (err) {
        const code = errorCode(err);
        outcomeName = code;
        if (code === 'THROTTLED') throttles += 1;
        else errors[code] = (errors[code] ?? 0) + 1;
      }
      completed += 1;
      onCall?.({ startMs, endMs: Date.now(), outcome: outcomeName });
    }
  };
  try {
    await Promise.all(Array.from({ length: job.concurrency }, loop));
  } finally {
    if (timer) clearInterval(timer);
    await caller.close();
  }
  onProgress?.(completed);
  return {
    latenciesMs: Float64Array.from(latencies),
    initMs: Float64Array.from(initMs),
    ok: latencies.length,
    functionErrors,
    coldStarts,
    throttles,
    errors,
    billedMs,
    elapsedMs: performance.now() - start,
  };
}

/** The StratusError code of a failed call, for counting failures by kind; `UNKNOWN` when it has none. */
export function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : 'UNKNOWN';
}

/** Splits `total` into `parts` integers that differ by at most one. */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

async function runThreads(config: ResolvedLoad, onProgress?: (completed: number) => void): Promise<Omit<LoadRun, 'clientCpuMs'>> {
  const concurrencies = splitEvenly(config.concurrency, config.threads);
  const requests = config.requests === undefined ? undefined : splitEvenly(config.requests, config.threads);
  const jobs = concurrencies.map(
    (concurrency, i): ThreadJob => ({
      target: config.target,
      concurrency,
      durationMs: config.durationMs,
      requests: requests?.[i],
      channels: config.channels,
      deadlineMs: config.deadlineMs,
    }),
  );
  const runs = await runWorkerThreads<ThreadJob, Omit<LoadRun, 'clientCpuMs'>>(new URL('./load-worker.js', import.meta.url), jobs, 'a load thread', onProgress);
  return mergeRuns(runs);
}

/** Adds thread results up; elapsed is the longest thread's. */
export function mergeRuns(runs: ReadonlyArray<Omit<LoadRun, 'clientCpuMs'>>): Omit<LoadRun, 'clientCpuMs'> {
  const errors: Record<string, number> = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.errors)) errors[code] = (errors[code] ?? 0) + n;
  const concat = (pick: (run: Omit<LoadRun, 'clientCpuMs'>) => Float64Array): Float64Array => {
    const out = new Float64Array(runs.reduce((n, run) => n + pick(run).length, 0));
    let offset = 0;
    for (const run of runs) {
      out.set(pick(run), offset);
      offset += pick(run).length;
    }
    return out;
  };
  const sum = (pick: (run: Omit<LoadRun, 'clientCpuMs'>) => number): number => runs.reduce((n, run) => n + pick(run), 0);
  return {
    latenciesMs: concat((r) => r.latenciesMs),
    initMs: concat((r) => r.initMs),
    ok: sum((r) => r.ok),
    functionErrors: sum((r) => r.functionErrors),
    coldStarts: sum((r) => r.coldStarts),
    throttles: sum((r) => r.throttles),
    errors,
    billedMs: sum((r) => r.billedMs),
    elapsedMs: Math.max(0, ...runs.map((r) => r.elapsedMs)),
  };
}
