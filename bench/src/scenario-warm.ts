import type { LoadOptions } from '@stratus/loadgen';
import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, TRIVIAL_HANDLER, zipIndexJs } from './functions.js';
import { startChurnMeter } from './node-churn.js';
import type { WarmLevel } from './report.js';
import { ratio } from '@stratus/loadgen';

/** The trivial function scenario 1 deploys and keeps warm; the open loop (1b) and the profiled run call it too. */
export const WARM_FUNCTION = 'bench-warm';

/**
 * Warm-up rounds at most per level. Each round is `warmupMs`; the warm-up
 * ends with the first round in which the nodes made no environment (cold or
 * spare, from their metrics; without them, no call was cold), so the measured
 * run finds the pools at the size its load needs. One round was not enough:
 * the echo run before each level leaves the function idle past the quick
 * run's keep-warm, and a node needs an environment for every call waiting
 * there for an isolate slot, so its pools grew through the measured run.
 */
export const MAX_WARM_UP_ROUNDS = 8;

/**
 * Runs warm-up rounds of `options` until one in which the nodes made no
 * environment (see MAX_WARM_UP_ROUNDS). Returns the calls that got a result.
 */
export async function warmUp(ctx: BenchContext, label: string, options: Omit<LoadOptions, 'threads' | 'onProgress'>, countsCold = true): Promise<number> {
  let ok = 0;
  for (let round = 0; round < MAX_WARM_UP_ROUNDS; round += 1) {
    const stopChurn = await startChurnMeter(ctx.nodeMetrics);
    const { run } = await measure(ctx, label, options);
    const churn = await stopChurn();
    ok += run.ok;
    // Without the nodes' figures, cold calls are all there is to go by (and an HTTP client cannot tell them apart).
    if (churn === null ? countsCold && run.coldStarts === 0 : churn.cold + churn.spare === 0) break;
  }
  return ok;
}

/** What the peak run left for the billing check: how many calls the cluster had answered when it ended. */
export interface PeakMark {
  readonly functionName: string;
  readonly requestsAtEnd: number;
  readonly endedAt: number;
}

/**
 * Scenario 1: a trivial handler at each concurrency, against the echo
 * baseline at the same concurrency with the same generator. Each level is
 * warmed up first (not measured, up to MAX_WARM_UP_ROUNDS rounds until the
 * nodes make no environment) so it measures warm isolates; what the nodes made
 * during the measured run is counted from their metrics.
 */
export async function runWarmScenario(
  ctx: BenchContext,
  onPeakEnd: (mark: PeakMark) => Promise<void>,
  /** Told apart in the progress and the run labels, for the second layout's cluster. Default none. */
  labelNote = '',
): Promise<WarmLevel[]> {
  const functionName = WARM_FUNCTION;
  await ctx.client.createFunction({ functionName, zipFile: zipIndexJs(TRIVIAL_HANDLER) });
  const stratusTarget = { kind: 'stratus', endpoint: ctx.endpoint, functionName, payload: BENCH_PAYLOAD } as const;
  const echoTarget = { kind: 'stratus', endpoint: ctx.echoEndpoint, functionName, payload: BENCH_PAYLOAD } as const;
  const levels: WarmLevel[] = [];
  const peak = Math.max(...ctx.sizes.warmLevels);
  let callsOfFunction = 0;
  for (const concurrency of ctx.sizes.warmLevels) {
    const echo = await measure(ctx, `1 echo baseline c=${concurrency}${labelNote}`, {
      target: echoTarget,
      concurrency,
      durationMs: ctx.sizes.warmDurationMs,
    });
    callsOfFunction += await warmUp(ctx, `1 warm-up c=${concurrency}${labelNote}`, { target: stratusTarget, concurrency, durationMs: ctx.sizes.warmupMs });
    const stopChurn = await startChurnMeter(ctx.nodeMetrics);
    const stratus = await measure(ctx, `1 warm c=${concurrency}${labelNote}`, { target: stratusTarget, concurrency, durationMs: ctx.sizes.warmDurationMs });
    const churn = await stopChurn();
    callsOfFunction += stratus.run.ok;
    if (concurrency === peak) await onPeakEnd({ functionName, requestsAtEnd: callsOfFunction, endedAt: performance.now() });
    const s = stratus.measurement.stats;
    const e = echo.measurement.stats;
    levels.push({
      concurrency,
      stratus: stratus.measurement,
      echo: echo.measurement,
      churn,
      ratios: {
        throughput: ratio(s.throughputPerSec, e.throughputPerSec),
        p50: ratio(s.latency.p50Ms, e.latency.p50Ms),
        p99: ratio(s.latency.p99Ms, e.latency.p99Ms),
      },
    });
  }
  return levels;
}
