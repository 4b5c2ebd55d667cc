import type { Command } from 'commander';
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
}

/**
 * `stratus bench`: closed-loop load on one deployed function, with the
 * load generator and statistics the bench harness uses (@stratus/loadgen),
 * imported only when the command runs, so other commands never load it.
 */
export function registerBench(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('bench')
      .description('load-test a deployed function: N calls in flight for a while, then throughput and latency percentiles')
      .requiredOption('--function <name>', 'function name, optionally name:qualifier')
      .option('--concurrency <n>', 'calls in flight at once', positiveInt, 100)
      .option('--duration <d>', 'how long to keep the load on, e.g. 30s, 500ms, 2m', '10s')
      .option('--payload <json>', 'the event of every call, as JSON', '{}')
      .option('--channels <n>', 'HTTP/2 connections to spread calls over (default: one per 100 in flight, up to 8)', positiveInt)
      .option('--threads <n>', 'load generator threads, for machines where one core cannot make the load', positiveInt, 1)
      .option('--retries <n>', 'retry a call that failed retryably this many times, with one client token per call so none runs twice (default 0: every failure counts)', nonNegativeInt, 0),
    ctx,
  ).action(async (options: BenchOptions) => {
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
    if (options.threads > options.concurrency) throw usageError('--threads must not exceed --concurrency');
    const channels = options.channels ?? bench.defaultChannels(Math.ceil(options.concurrency / options.threads));
    const run = await bench.runLoad({
      target: {
        kind: 'stratus',
        endpoint: options.endpoint,
        functionName: options.function,
        payload: options.payload,
        ...(ctx.apiKey === undefined ? {} : { apiKey: ctx.apiKey }),
        ...(options.retries > 0 ? { retries: options.retries } : {}),
      },
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
