import { InvalidArgumentError, type Command } from 'commander';
// Types only: the module itself is imported when the command runs.
import type * as Loadgen from '@stratus/loadgen';
import { addCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { keyValues, toJson } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface BenchOptions extends CommonOptions {
  readonly function: string;
  readonly concurrency: number;
  readonly duration: string;
  readonly payload: string;
  readonly channels?: number;
  readonly threads: number;
  readonly retries: number;
  readonly rate?: number;
  readonly maxOutstanding: number;
}

function positiveRate(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError('expected a positive number of calls per second');
  return n;
}

/**
 * `stratus bench`: closed-loop load on one deployed function (or open-loop
 * with `--rate`: calls at a fixed rate, timed from their scheduled send), with the
 * load generator and statistics the bench harness uses (@stratus/loadgen),
 * imported only when the command runs, so other commands never load it.
 */
export function registerBench(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('bench')
      .description('load-test a deployed function: N calls in flight (or N calls a second with --rate) for a while, then throughput and latency percentiles')
      .requiredOption('--function <name>', 'function name, optionally name:qualifier')
      .option('--concurrency <n>', 'calls in flight at once (closed loop: each finished call starts the next)', positiveInt, 100)
      .option('--rate <n>', 'open loop instead: start N calls a second whatever the answers, each timed from when it was due, so queueing shows', positiveRate)
      .option('--max-outstanding <n>', 'with --rate: calls in flight at most; a call due beyond it waits (late), one still waiting at the end is dropped', positiveInt, 1000)
      .option('--duration <d>', 'how long to keep the load on, e.g. 30s, 500ms, 2m', '10s')
      .option('--payload <json>', 'the event of every call, as JSON', '{}')
      .option('--channels <n>', 'HTTP/2 connections to spread calls over (default: one per 100 in flight, up to 8)', positiveInt)
      .option('--threads <n>', 'load generator threads, for machines where one core cannot make the load', positiveInt, 1)
      .option('--retries <n>', 'retry a call that failed retryably this many times, with one client token per call so none runs twice (default 0: every failure counts)', nonNegativeInt, 0),
    ctx,
  ).action(async (options: BenchOptions, command: Command) => {
    const bench = await import('@stratus/loadgen');
    let durationMs: number;
    try {
      durationMs = bench.parseDurationMs(options.duration);
    } catch (err) {
      throw usageError(`--duration: ${(err as Error).message}`, err);
    }
    try {
      JSON.parse(options.payload);
    } catch (err) {
      throw usageError(`--payload is not valid JSON: ${(err as Error).message}`, err);
    }
    if (options.rate !== undefined) {
      if (command.getOptionValueSource('concurrency') === 'cli') throw usageError('--concurrency is for the closed loop; with --rate give --max-outstanding');
      await openLoop(ctx, options, { ratePerSec: options.rate, durationMs }, bench);
      return;
    }
    if (command.getOptionValueSource('maxOutstanding') === 'cli') throw usageError('--max-outstanding goes with --rate');
    if (options.threads > options.concurrency) throw usageError('--threads must not exceed --concurrency');
    const channels = options.channels ?? bench.defaultChannels(Math.ceil(options.concurrency / options.threads));
    const run = await bench.runLoad({
      target: stratusTarget(ctx, options),
      concurrency: options.concurrency,
      durationMs,
      channels,
      threads: options.threads,
    });
    const stats = bench.loadStats(run, { concurrency: options.concurrency, threads: options.threads, channels });
    if (options.json) {
      ctx.stdout.write(toJson({ function: options.function, endpoint: options.endpoint, ...stats }));
      return;
    }
    const { fmtMs, fmtPct, fmtRate } = bench;
    const errors = Object.entries(stats.errors).map(([code, n]) => `${code} ${n}`).join(', ');
    ctx.stdout.write(
      keyValues([
        ['function', options.function],
        ['endpoint', options.endpoint],
        ['concurrency', `${stats.concurrency} (${stats.threads} thread(s), ${stats.channels} HTTP/2 connection(s) each)`],
        ['duration', fmtMs(stats.elapsedMs)],
        ['calls', `${stats.requests} (${stats.ok} with a result, ${stats.functionErrors} handler errors, ${stats.coldStarts} cold)`],
        ['throttled', String(stats.throttles)],
        ['errors', errors || '0'],
        ['throughput', fmtRate(stats.throughputPerSec)],
        [
          'latency',
          `p50 ${fmtMs(stats.latency.p50Ms)}  p90 ${fmtMs(stats.latency.p90Ms)}  p99 ${fmtMs(stats.latency.p99Ms)}  max ${fmtMs(stats.latency.maxMs)}`,
        ],
        ['billed', `${stats.billedMs} ms`],
        ['generator CPU', `${fmtPct(stats.clientCpuPct)} of a core`],
      ]),
    );
  });
}


/** `stratus bench --rate N`: the open loop, printed with its late and dropped calls and the tail percentiles. */
async function openLoop(
  ctx: CliContext,
  options: BenchOptions,
  schedule: { readonly ratePerSec: number; readonly durationMs: number },
  bench: typeof Loadgen,
): Promise<void> {
  if (options.threads > options.maxOutstanding) throw usageError('--threads must not exceed --max-outstanding');
  const run = await bench.runOpenLoop({
    target: stratusTarget(ctx, options),
    ...schedule,
    maxOutstanding: options.maxOutstanding,
    threads: options.threads,
    ...(options.channels === undefined ? {} : { channels: options.channels }),
  });
  if (options.json) {
    ctx.stdout.write(toJson({ function: options.function, endpoint: options.endpoint, ...run }));
    return;
  }
  const { fmtMs, fmtPct, fmtRate } = bench;
  const errors = Object.entries(run.errors).map(([code, n]) => `${code} ${n}`).join(', ');
  const percentiles = (l: typeof run.latency): string =>
    `p50 ${fmtMs(l.p50Ms)}  p90 ${fmtMs(l.p90Ms)}  p99 ${fmtMs(l.p99Ms)}  p99.9 ${fmtMs(l.p999Ms)}  max ${fmtMs(l.maxMs)}`;
  ctx.stdout.write(
    keyValues([
      ['function', options.function],
      ['endpoint', options.endpoint],
      ['rate', `${fmtRate(run.ratePerSec)} asked, ${fmtRate(run.achievedRatePerSec)} sent (at most ${run.maxOutstanding} in flight; ${run.threads} thread(s), ${run.channels} HTTP/2 connection(s) each)`],
      ['duration', fmtMs(run.elapsedMs)],
      ['calls', `${run.scheduled} scheduled: ${run.sent} sent (${run.late} late, waiting for a free slot), ${run.dropped} dropped (still waiting at the end)`],
      ['results', `${run.ok} (${run.functionErrors} handler errors, ${run.coldStarts} cold)`],
      ['throttled', String(run.throttles)],
      ['errors', errors || '0'],
      ['throughput', fmtRate(run.throughputPerSec)],
      ['latency from schedule', percentiles(run.latency)],
      ['latency from send', percentiles(run.serviceLatency)],
      ['billed', `${run.billedMs} ms`],
      ['generator CPU', `${fmtPct(run.elapsedMs > 0 ? (run.clientCpuMs / run.elapsedMs) * 100 : 0)} of a core`],
    ]),
  );
}

/** The cluster and function the options name, called with the CLI's API key. */
function stratusTarget(ctx: CliContext, options: BenchOptions): Loadgen.LoadTarget {
  return {
    kind: 'stratus',
    endpoint: options.endpoint,
    functionName: options.function,
    payload: options.payload,
    ...(ctx.apiKey === undefined ? {} : { apiKey: ctx.apiKey }),
    ...(options.retries > 0 ? { retries: options.retries } : {}),
  };
}
