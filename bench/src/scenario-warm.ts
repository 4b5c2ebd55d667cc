import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, TRIVIAL_HANDLER, zipIndexJs } from './functions.js';
import type { WarmLevel } from './report.js';
import { ratio } from '@stratus/loadgen';

/** The trivial function scenario 1 deploys and keeps warm; the open loop (1b) and the profiled run call it too. */
export const WARM_FUNCTION = 'bench-warm';

/** What the peak run left for the billing check: how many calls the cluster had answered when it ended. */
export interface PeakMark {
  readonly functionName: string;
  readonly requestsAtEnd: number;
  readonly endedAt: number;
}

/**
 * Scenario 1: a trivial handler at each concurrency, against the echo
 * baseline at the same concurrency with the same generator. Each level is
 * warmed up first (not measured) so it measures warm isolates.
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
    const warmup = await measure(ctx, `1 warm-up c=${concurrency}${labelNote}`, { target: stratusTarget, concurrency, durationMs: ctx.sizes.warmupMs });
    callsOfFunction += warmup.run.ok;
    const stratus = await measure(ctx, `1 warm c=${concurrency}${labelNote}`, { target: stratusTarget, concurrency, durationMs: ctx.sizes.warmDurationMs });
    callsOfFunction += stratus.run.ok;
    if (concurrency === peak) await onPeakEnd({ functionName, requestsAtEnd: callsOfFunction, endedAt: performance.now() });
    const s = stratus.measurement.stats;
    const e = echo.measurement.stats;
    levels.push({
      concurrency,
      stratus: stratus.measurement,
      echo: echo.measurement,
      ratios: {
        throughput: ratio(s.throughputPerSec, e.throughputPerSec),
        p50: ratio(s.latency.p50Ms, e.latency.p50Ms),
        p99: ratio(s.latency.p99Ms, e.latency.p99Ms),
      },
    });
  }
  return levels;
}
