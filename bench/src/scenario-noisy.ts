import { readFile } from 'node:fs/promises';
import { ratio } from '@stratus/loadgen';
import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, TRIVIAL_HANDLER, zipIndexJs } from './functions.js';
import type { NoisyNeighbourResult, RssSample } from './report.js';

const silent = { phase: () => undefined, update: () => undefined, stop: () => undefined };

/** Busy for 200 ms of wall clock: holds an isolate slot and a core the whole time. */
const BUSY_HANDLER = `exports.handler = async () => { const end = Date.now() + 200; while (Date.now() < end) {} return 'done'; };`;
const BUSY_WORK_MS = 200;
const BUSY_CONCURRENCY = 50;

/** Logs 10 KB lines for 3 s: what once starved the nodes' lease keep-alives. */
const LOG_FLOOD_HANDLER = `exports.handler = async () => {
  const line = 'x'.repeat(10240);
  const end = Date.now() + 3000;
  let n = 0;
  while (Date.now() < end) { console.log(line); n++; }
  return n;
};`;

/** Grows a WebAssembly memory until the function's memory size stops it. */
const WASM_GROWTH_HANDLER = `exports.handler = async () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  for (;;) { memory.grow(256); new Uint8Array(memory.buffer).fill(1); }
};`;

const HOSTILE_CALLS = 10;
const SETTLE_MS = 3_000;

/** VmRSS of each worker node process, summed (MB). */
async function nodesRssMb(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }
  return total;
}

/** Runs `load` while sampling the nodes' RSS; reports it before, at peak, and SETTLE_MS after. */
async function withRss<T>(pids: readonly number[], load: () => Promise<T>): Promise<{ result: T; rss: RssSample }> {
  const beforeMb = await nodesRssMb(pids);
  let peakMb = beforeMb;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakMb = Math.max(peakMb, await nodesRssMb(pids));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    const result = await load();
    return { result, rss: { beforeMb, peakMb, afterMb: 0 } };
  } finally {
    sampling = false;
    await sampler;
  }
}

/**
 * Scenario 8, noisy neighbour: a trivial function's latency alone, then
 * beside 50 concurrent 200 ms CPU-bound calls of another function, in the
 * same run; what each busy call was billed; and the worker nodes' RSS
 * around a log flood and WebAssembly memory growth (each of those with the
 * trivial function still being called beside it).
 */
export async function runNoisyNeighbourScenario(ctx: BenchContext, nodePids: readonly number[]): Promise<NoisyNeighbourResult> {
  const names = { hello: 'bench-noisy-hello', busy: 'bench-noisy-busy', flood: 'bench-noisy-logs', wasm: 'bench-noisy-wasm' };
  await ctx.client.createFunction({ functionName: names.hello, zipFile: zipIndexJs(TRIVIAL_HANDLER) });
  await ctx.client.createFunction({ functionName: names.busy, zipFile: zipIndexJs(BUSY_HANDLER) });
  await ctx.client.createFunction({ functionName: names.flood, zipFile: zipIndexJs(LOG_FLOOD_HANDLER), timeoutSec: 60 });
  await ctx.client.createFunction({ functionName: names.wasm, zipFile: zipIndexJs(WASM_GROWTH_HANDLER), memorySizeMb: 128, timeoutSec: 60 });
  const target = (functionName: string) => ({ kind: 'stratus', endpoint: ctx.endpoint, functionName, payload: BENCH_PAYLOAD }) as const;
  const durationMs = ctx.sizes.noisyDurationMs;

  await measure(ctx, '8 noisy: hello warm-up', { target: target(names.hello), concurrency: 1, durationMs: ctx.sizes.warmupMs });
  await measure(ctx, '8 noisy: busy warm-up', { target: target(names.busy), concurrency: BUSY_CONCURRENCY, requests: BUSY_CONCURRENCY });
  const alone = await measure(ctx, '8 noisy: hello alone', { target: target(names.hello), concurrency: 1, durationMs });
  const quiet = { ...ctx, progress: silent };
  ctx.progress.phase(`8 noisy: hello beside ${BUSY_CONCURRENCY} busy calls`, Math.round(durationMs / 1000), 's');
  const [beside, busy] = await Promise.all([
    measure(quiet, '8 noisy: hello beside busy calls', { target: target(names.hello), concurrency: 1, durationMs }),
    measure(quiet, `8 noisy: ${BUSY_CONCURRENCY} busy calls (200 ms each)`, {
      target: target(names.busy),
      concurrency: BUSY_CONCURRENCY,
      durationMs,
    }),
  ]);

  ctx.progress.phase(`8 noisy: log flood (${HOSTILE_CALLS} calls of 3 s)`, 1, 'runs');
  const flood = await withRss(nodePids, () =>
    Promise.all([
      measure(quiet, '8 noisy: log flood', { target: target(names.flood), concurrency: HOSTILE_CALLS, requests: HOSTILE_CALLS }),
      measure(quiet, '8 noisy: hello beside the log flood', { target: target(names.hello), concurrency: 1, durationMs: 3_000 }),
    ]),
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  flood.rss.afterMb = await nodesRssMb(nodePids);

  ctx.progress.phase(`8 noisy: WebAssembly growth (${HOSTILE_CALLS} calls)`, 1, 'runs');
  const wasm = await withRss(nodePids, () =>
    measure(quiet, '8 noisy: WebAssembly growth', { target: target(names.wasm), concurrency: HOSTILE_CALLS, requests: HOSTILE_CALLS }),
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  wasm.rss.afterMb = await nodesRssMb(nodePids);

  const busyRun = busy.run;
  return {
    busyConcurrency: BUSY_CONCURRENCY,
    busyWorkMs: BUSY_WORK_MS,
    helloAlone: alone.measurement,
    helloBeside: beside.measurement,
    busy: busy.measurement,
    ratios: {
      p50: ratio(beside.measurement.stats.latency.p50Ms, alone.measurement.stats.latency.p50Ms),
      p99: ratio(beside.measurement.stats.latency.p99Ms, alone.measurement.stats.latency.p99Ms),
    },
    billedMsPerBusyCall: busyRun.ok > 0 ? busyRun.billedMs / busyRun.ok : null,
    logFlood: { calls: HOSTILE_CALLS, helloBeside: flood.result[1].measurement, errors: flood.result[0].run.errors, rss: flood.rss },
    wasmGrowth: {
      calls: HOSTILE_CALLS,
      outOfMemory: wasm.result.run.functionErrors,
      errors: wasm.result.run.errors,
      rss: wasm.rss,
    },
  };
}
