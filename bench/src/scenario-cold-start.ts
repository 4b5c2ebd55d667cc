import type { BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, coldStartHandler, zipIndexJs } from './functions.js';
import { startCpuMeter } from './process-cpu.js';
import type { ColdStartResult } from './report.js';
import { errorCode, ratio, summarizeLatencies, type LatencySummary } from '@stratus/loadgen';

/**
 * Scenario 3: many functions deployed fresh, each with its own code, then
 * called once (cold: code fetch, compile, new isolate) and once more (warm),
 * one call at a time so the figures are latencies, not queueing.
 */
export async function runColdStartScenario(
  ctx: BenchContext,
  baselines: { readonly ivmCold: LatencySummary; readonly echoC1P50Ms: number | null },
): Promise<ColdStartResult> {
  const count = ctx.sizes.coldFunctions;
  const names = Array.from({ length: count }, (_, i) => `bench-cold-${i}`);
  const deployMs: number[] = [];
  ctx.progress.phase('3 cold start: deploy', count, 'functions');
  for (const [i, functionName] of names.entries()) {
    const t0 = performance.now();
    await ctx.client.createFunction({ functionName, zipFile: zipIndexJs(coldStartHandler(i)) });
    deployMs.push(performance.now() - t0);
    ctx.progress.update(i + 1, functionName);
  }
  const stopMeter = await startCpuMeter(ctx.processes);
  const first: number[] = [];
  const warm: number[] = [];
  const init: number[] = [];
  let coldCalls = 0;
  let errors = 0;
  ctx.progress.phase('3 cold start: first and warm calls', count, 'functions');
  for (const [i, functionName] of names.entries()) {
    for (const phase of ['first', 'warm'] as const) {
      const t0 = performance.now();
      try {
        const result = await ctx.client.invoke({ functionName, payload: BENCH_PAYLOAD });
        const ms = performance.now() - t0;
        ctx.ledger.add({ ok: 1, billedMs: result.billedDurationMs });
        (phase === 'first' ? first : warm).push(ms);
        if (result.coldStart) {
          coldCalls += 1;
          init.push(result.initDurationMs);
        }
      } catch (err) {
        errors += 1;
        ctx.ledger.add({ ok: 0, billedMs: 0, errors: { [errorCode(err)]: 1 } });
      }
    }
    ctx.progress.update(i + 1, functionName);
  }
  const cpu = await stopMeter();
  const firstCall = summarizeLatencies(first);
  const warmCall = summarizeLatencies(warm);
  const initSummary = summarizeLatencies(init);
  return {
    functions: count,
    deployMs: summarizeLatencies(deployMs),
    firstCall,
    warmCall,
    init: initSummary,
    coldCalls,
    errors,
    ratios: {
      coldToWarm: ratio(firstCall.p50Ms, warmCall.p50Ms),
      initToIvmCold: ratio(initSummary.p50Ms, baselines.ivmCold.p50Ms),
      warmToEcho: ratio(warmCall.p50Ms, baselines.echoC1P50Ms),
    },
    cpu,
  };
}
