import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, CPU_HANDLER, WAIT_HANDLER, zipIndexJs } from './functions.js';
import type { IsolateSample, MixedResult } from './report.js';

const silent = { phase: () => undefined, update: () => undefined, stop: () => undefined };

/**
 * Scenario 4: half the concurrency on a CPU-bound handler, half on one that
 * waits 50 ms on a timer, both at once, while the nodes' warm isolates are
 * sampled; sampling goes on after the load stops to watch the pools shrink
 * after the keep-warm period.
 */
export async function runMixedScenario(ctx: BenchContext): Promise<MixedResult> {
  const cpuName = 'bench-mixed-cpu';
  const waitName = 'bench-mixed-wait';
  await ctx.client.createFunction({ functionName: cpuName, zipFile: zipIndexJs(CPU_HANDLER) });
  await ctx.client.createFunction({ functionName: waitName, zipFile: zipIndexJs(WAIT_HANDLER) });
  const { mixedConcurrency, mixedLoadMs, mixedTailMs, sampleIntervalMs } = ctx.sizes;
  const half = Math.ceil(mixedConcurrency / 2);
  const samples: IsolateSample[] = [];
  const start = performance.now();
  let stopSampling = false;
  const totalMs = mixedLoadMs + mixedTailMs;
  ctx.progress.phase(`4 mixed c=${mixedConcurrency}, then idle`, Math.round(totalMs / 1000), 's');
  const sampler = (async () => {
    while (!stopSampling) {
      const tMs = performance.now() - start;
      try {
        const nodes = await ctx.client.listNodes();
        const byFunction: Record<string, number> = {};
        let busy = 0;
        for (const node of nodes) {
          for (const fn of node.functions) {
            byFunction[fn.functionName] = (byFunction[fn.functionName] ?? 0) + fn.idle + fn.busy;
            if (fn.functionName === cpuName || fn.functionName === waitName) busy += fn.busy;
          }
        }
        samples.push({
          tMs,
          warmIsolates: (byFunction[cpuName] ?? 0) + (byFunction[waitName] ?? 0),
          totalWarmIsolates: nodes.reduce((n, node) => n + node.warmIsolates, 0),
          busy,
          byFunction,
        });
      } catch {
        // A sample missed under load is a gap in the chart, not a failure of the run.
      }
      ctx.progress.update(Math.round((performance.now() - start) / 1000), `${samples.at(-1)?.warmIsolates ?? 0} warm isolates`);
      await new Promise((resolve) => setTimeout(resolve, sampleIntervalMs));
    }
  })();
  const quiet = { ...ctx, progress: silent };
  let loadEnd = 0;
  const [cpuBound, waiting] = await Promise.all([
    measure(quiet, '4 mixed: CPU-bound', {
      target: { kind: 'stratus', endpoint: ctx.endpoint, functionName: cpuName, payload: BENCH_PAYLOAD },
      concurrency: half,
      durationMs: mixedLoadMs,
    }),
    measure(quiet, '4 mixed: 50 ms timer', {
      target: { kind: 'stratus', endpoint: ctx.endpoint, functionName: waitName, payload: BENCH_PAYLOAD },
      concurrency: mixedConcurrency - half,
      durationMs: mixedLoadMs,
    }),
  ]).finally(() => {
    loadEnd = performance.now() - start;
  });
  const tailEnd = performance.now() + mixedTailMs;
  while (performance.now() < tailEnd) {
    await new Promise((resolve) => setTimeout(resolve, sampleIntervalMs));
    if ((samples.at(-1)?.warmIsolates ?? 1) === 0 && (samples.at(-1)?.tMs ?? 0) > loadEnd) break;
  }
  stopSampling = true;
  await sampler;
  const zeroAfter = samples.find((s) => s.tMs > loadEnd && s.warmIsolates === 0);
  return {
    concurrency: mixedConcurrency,
    loadMs: mixedLoadMs,
    keepWarmMs: ctx.keepWarmMs,
    cpuBound: cpuBound.measurement,
    waiting: waiting.measurement,
    isolates: samples,
    peakIsolates: Math.max(0, ...samples.map((s) => s.warmIsolates)),
    scaleDownMs: zeroAfter === undefined ? null : zeroAfter.tMs - loadEnd,
  };
}
