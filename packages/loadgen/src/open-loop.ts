import { performance } from 'node:perf_hooks';
import { runWorkerThreads } from './worker-threads.js';
import * as hdr from 'hdr-histogram-js';
import { openCaller, type CallOutcome, type LoadTarget } from './callers.js';
import { errorCode, splitEvenly } from './load-generator.js';

export interface OpenLoopOptions {
  readonly target: LoadTarget;
  /** Calls started per second, on a fixed schedule whatever the target's answers (open loop). */
  readonly ratePerSec: number;
  /** How long calls are scheduled for; calls in flight when it ends are waited for. */
  readonly durationMs: number;
  /**
   * Calls in flight at most. A call that falls due while this many are
   * outstanding waits in the generator for a free slot (counted as late; its
   * latency still runs from its scheduled time), and one still waiting when
   * the duration ends is never sent (counted as dropped). Default 1000, AWS
   * Lambda's default account concurrency.
   */
  readonly maxOutstanding?: number;
  /** HTTP/2 connections to spread calls over. Default: one per 1000 calls/s (per thread), 1 to 8. */
  readonly channels?: number;
  /** Worker threads, each sending an even share of the rate with its own connections. Default 1. */
  readonly threads?: number;
  /** Deadline of each call. Default 60 000. */
  readonly deadlineMs?: number;
  /** Called about every 200 ms with the calls finished so far. */
  readonly onProgress?: (completed: number) => void;
}

/** Latency percentiles from an HDR histogram (3 significant digits), in milliseconds; NaN for no values. */
export interface OpenLoopLatency {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/** What an open-loop run did. */
export interface OpenLoopRun {
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly maxOutstanding: number;
  readonly threads: number;
  readonly channels: number;
  /** Calls the schedule held within the duration. */
  readonly scheduled: number;
  readonly sent: number;
  /** Sent calls that had to wait in the generator for a free slot (maxOutstanding reached). */
  readonly late: number;
  /** Scheduled calls never sent: still waiting for a free slot when the duration ended. scheduled = sent + dropped. */
  readonly dropped: number;
  /** Calls sent per second of the schedule: the rate the target was really offered. */
  readonly achievedRatePerSec: number;
  /** Calls with a result per second, from the first scheduled call to the last one finished. */
  readonly throughputPerSec: number;
  readonly ok: number;
  readonly functionErrors: number;
  readonly coldStarts: number;
  readonly throttles: number;
  /** Calls that got no result (other than throttles), by error code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly billedMs: number;
  /** From the first scheduled call to the last one finished. */
  readonly elapsedMs: number;
  /** Of each call with a result, from its scheduled send time: queueing in the generator and in the target both show. */
  readonly latency: OpenLoopLatency;
  /** Of each call with a result, from when it was actually sent: what a closed-loop generator would have seen. */
  readonly serviceLatency: OpenLoopLatency;
  /** `latency`'s histogram (µs), HdrHistogram's compressed base64 encoding, for tools that plot or merge it. */
  readonly latencyHistogram: string;
  /** CPU this process (every thread) used during the run. */
  readonly clientCpuMs: number;
}

/** One thread's share of an open-loop run, as it crosses back from a worker thread. */
export interface OpenLoopShare {
  readonly scheduled: number;
  readonly sent: number;
  readonly late: number;
  readonly dropped: number;
  readonly ok: number;
  readonly functionErrors: number;
  readonly coldStarts: number;
  readonly throttles: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly billedMs: number;
  readonly elapsedMs: number;
  /** Compressed base64 HdrHistograms of latencies in µs. */
  readonly latencyHistogram: string;
  readonly serviceHistogram: string;
}

/** Per-thread job, sent to open-loop-worker.js. */
export interface OpenLoopJob {
  readonly target: LoadTarget;
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly maxOutstanding: number;
  readonly channels: number;
  readonly deadlineMs: number;
}

const DEFAULT_MAX_OUTSTANDING = 1000;
const READY_TIMEOUT_MS = 10_000;
const PROGRESS_INTERVAL_MS = 200;
/** An hour in µs: a latency above it is clamped rather than lost (the histogram also resizes itself). */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_US, numberOfSignificantValueDigits: 3 });
}

/**
 * Sends calls to `target` at a fixed rate for a duration, whether or not
 * earlier calls have answered, and measures each call from when it was
 * scheduled, so a target that falls behind shows as latency rather than as
 * a slower schedule (no coordinated omission).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopRun> {
  const threads = options.threads ?? 1;
  const maxOutstanding = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
  if (!(options.ratePerSec > 0) || !Number.isFinite(options.ratePerSec)) throw new RangeError(`ratePerSec must be a positive number, got ${options.ratePerSec}`);
  if (!(options.durationMs > 0)) throw new RangeError(`durationMs must be positive, got ${options.durationMs}`);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (!Number.isInteger(maxOutstanding) || maxOutstanding < threads) {
    throw new RangeError(`maxOutstanding must be an integer of at least the thread count, got ${maxOutstanding}`);
  }
  const ratePerThread = options.ratePerSec / threads;
  const channels = options.channels ?? Math.max(1, Math.min(8, Math.ceil(ratePerThread / 1000)));
  const caps = splitEvenly(maxOutstanding, threads);
  const jobs: OpenLoopJob[] = caps.map((cap) => ({
    target: options.target,
    ratePerSec: ratePerThread,
    durationMs: options.durationMs,
    maxOutstanding: cap,
    channels,
    deadlineMs: options.deadlineMs ?? 60_000,
  }));
  const cpuBefore = process.cpuUsage();
  const shares = threads === 1 ? [await runOpenLoopJob(jobs[0] as OpenLoopJob, options.onProgress)] : await runOpenLoopThreads(jobs, options.onProgress);
  const cpu = process.cpuUsage(cpuBefore);
  return mergeOpenLoopShares(shares, {
    ratePerSec: options.ratePerSec,
    durationMs: options.durationMs,
    maxOutstanding,
    threads,
    channels,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  });
}

/** Runs one share in this thread. Exported for open-loop-worker.js. */
export async function runOpenLoopJob(job: OpenLoopJob, onProgress?: (completed: number) => void): Promise<OpenLoopShare> {
  const caller = await openCaller(job.target, {
    channels: job.channels,
    deadlineMs: job.deadlineMs,
    maxSockets: job.maxOutstanding,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  try {
    return await driveOpenLoop(() => caller.call(), job, onProgress);
  } finally {
    await caller.close();
  }
}

/**
 * The schedule itself, on any `call`: call i is due at start + i / rate.
 * Each wake-up sends every call that is due while slots are free; a call
 * that is due but finds no slot is sent as soon as one frees (late).
 */
export function driveOpenLoop(
  call: () => Promise<CallOutcome>,
  schedule: Pick<OpenLoopJob, 'ratePerSec' | 'durationMs' | 'maxOutstanding'>,
  onProgress?: (completed: number) => void,
): Promise<OpenLoopShare> {
  const intervalMs = 1000 / schedule.ratePerSec;
  const scheduled = Math.max(1, Math.ceil((schedule.durationMs * schedule.ratePerSec) / 1000));
  const latency = newHistogram();
  const service = newHistogram();
  const errors: Record<string, number> = {};
  let next = 0;
  let outstanding = 0;
  let completed = 0;
  let late = 0;
  let dropped = 0;
  let ok = 0;
  let functionErrors = 0;
  let coldStarts = 0;
  let throttles = 0;
  let billedMs = 0;
  let lastEnd = 0;
  /** Calls up to this index fell due while every slot was taken. */
  let blockedThrough = -1;
  let schedulingOver = false;
  let timer: NodeJS.Timeout | undefined;
  const start = performance.now();
  const endAt = start + schedule.durationMs;
  const progress = onProgress ? setInterval(() => onProgress(completed), PROGRESS_INTERVAL_MS) : undefined;

  return new Promise<OpenLoopShare>((resolve) => {
    const finishIfDone = (): void => {
      if (!schedulingOver || outstanding > 0) return;
      if (progress) clearInterval(progress);
      onProgress?.(completed);
      resolve({
        scheduled,
        sent: next,
        late,
        dropped,
        ok,
        functionErrors,
        coldStarts,
        throttles,
        errors,
        billedMs,
        elapsedMs: Math.max(lastEnd, performance.now()) - start,
        latencyHistogram: hdr.encodeIntoCompressedBase64(latency),
        serviceHistogram: hdr.encodeIntoCompressedBase64(service),
      });
    };
    const send = (index: number): void => {
      const scheduledAt = start + index * intervalMs;
      const sentAt = performance.now();
      if (index <= blockedThrough) late += 1;
      outstanding += 1;
      void call().then(
        (outcome) => {
          const now = performance.now();
          latency.recordValue(toUs(now - scheduledAt));
          service.recordValue(toUs(now - sentAt));
          ok += 1;
          billedMs += outcome.billedMs;
          if (outcome.functionError) functionErrors += 1;
          if (outcome.coldStart) coldStarts += 1;
        },
        (err: unknown) => {
          const code = errorCode(err);
          if (code === 'THROTTLED') throttles += 1;
          else errors[code] = (errors[code] ?? 0) + 1;
        },
      ).finally(() => {
        outstanding -= 1;
        completed += 1;
        lastEnd = performance.now();
        if (!schedulingOver) pump();
        finishIfDone();
      });
    };
    const pump = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const now = performance.now();
      const due = Math.min(scheduled, Math.floor((now - start) / intervalMs) + 1);
      while (next < due && outstanding < schedule.maxOutstanding) send(next++);
      if (next < due) blockedThrough = due - 1;
      if (next >= scheduled) {
        schedulingOver = true;
      } else if (now >= endAt) {
        dropped = scheduled - next;
        schedulingOver = true;
      } else {
        // Blocked: the next call is already due and a completion will send it; wake at the end to drop what still waits.
        const wakeAt = next < due ? endAt : Math.min(endAt, start + next * intervalMs);
        timer = setTimeout(pump, Math.max(0, wakeAt - now));
      }
      finishIfDone();
    };
    pump();
  });
}

function toUs(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

/** Percentiles of a histogram of µs, in ms. */
export function summarizeHistogram(histogram: hdr.Histogram): OpenLoopLatency {
  const count = histogram.totalCount;
  const at = (p: number): number => (count === 0 ? Number.NaN : histogram.getValueAtPercentile(p) / 1000);
  return {
    count,
    meanMs: count === 0 ? Number.NaN : histogram.mean / 1000,
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    p999Ms: at(99.9),
    maxMs: count === 0 ? Number.NaN : histogram.maxValue / 1000,
  };
}

/** Adds thread shares up; their histograms are merged, elapsed is the longest thread's. */
export function mergeOpenLoopShares(
  shares: readonly OpenLoopShare[],
  settings: Pick<OpenLoopRun, 'ratePerSec' | 'durationMs' | 'maxOutstanding' | 'threads' | 'channels' | 'clientCpuMs'>,
): OpenLoopRun {
  const latency = newHistogram();
  const service = newHistogram();
  const errors: Record<string, number> = {};
  for (const share of shares) {
    latency.add(hdr.decodeFromCompressedBase64(share.latencyHistogram));
    service.add(hdr.decodeFromCompressedBase64(share.serviceHistogram));
    for (const [code, n] of Object.entries(share.errors)) errors[code] = (errors[code] ?? 0) + n;
  }
  const sum = (pick: (share: OpenLoopShare) => number): number => shares.reduce((n, share) => n + pick(share), 0);
  const elapsedMs = Math.max(0, ...shares.map((s) => s.elapsedMs));
  const sent = sum((s) => s.sent);
  const ok = sum((s) => s.ok);
  return {
    ...settings,
    scheduled: sum((s) => s.scheduled),
    sent,
    late: sum((s) => s.late),
    dropped: sum((s) => s.dropped),
    achievedRatePerSec: (sent * 1000) / settings.durationMs,
    throughputPerSec: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
    ok,
    functionErrors: sum((s) => s.functionErrors),
    coldStarts: sum((s) => s.coldStarts),
    throttles: sum((s) => s.throttles),
    errors,
    billedMs: sum((s) => s.billedMs),
    elapsedMs,
    latency: summarizeHistogram(latency),
    serviceLatency: summarizeHistogram(service),
    latencyHistogram: hdr.encodeIntoCompressedBase64(latency),
  };
}

function runOpenLoopThreads(jobs: readonly OpenLoopJob[], onProgress?: (completed: number) => void): Promise<OpenLoopShare[]> {
  return runWorkerThreads<OpenLoopJob, OpenLoopShare>(new URL('./open-loop-worker.js', import.meta.url), jobs, 'an open-loop thread', onProgress);
}
