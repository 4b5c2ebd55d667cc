import { fmtRate, ratio } from '@stratus/loadgen';
import { measureOpenLoop, type BenchContext } from './bench-context.js';
import { WARM_FUNCTION } from './scenario-warm.js';
import { BENCH_PAYLOAD } from './functions.js';
import type { OpenLoopLevel, OpenLoopResult, WarmLevel } from './report.js';

/**
 * Scenario 1b: the warm function driven open loop, at fractions of the best
 * closed-loop throughput scenario 1 reached in this run, each rate offered to
 * the echo too. A closed loop slows its own sending when the target slows
 * (coordinated omission); here calls leave on schedule and are timed from
 * it, so queueing near and past capacity shows in the tail.
 */
export async function runOpenLoopScenario(ctx: BenchContext, warm: readonly WarmLevel[]): Promise<OpenLoopResult> {
  // Scenario 1's function, still warm.
  const functionName = WARM_FUNCTION;
  const peak = warm.reduce((a, b) => (b.stratus.stats.throughputPerSec > a.stratus.stats.throughputPerSec ? b : a), warm[0] as WarmLevel);
  const peakPerSec = peak.stratus.stats.throughputPerSec;
  const levels: OpenLoopLevel[] = [];
  const durationMs = ctx.sizes.openLoopDurationMs;
  for (const fraction of ctx.sizes.openLoopFractions) {
    // At least one call a second, so a run that reached almost nothing still offers some load.
    const ratePerSec = Math.max(1, Math.round(peakPerSec * fraction));
    const echo = await measureOpenLoop(ctx, `1b echo open loop ${fmtRate(ratePerSec)}`, {
      target: { kind: 'stratus', endpoint: ctx.echoEndpoint, functionName, payload: BENCH_PAYLOAD },
      ratePerSec,
      durationMs,
    });
    const stratus = await measureOpenLoop(ctx, `1b warm open loop ${fmtRate(ratePerSec)}`, {
      target: { kind: 'stratus', endpoint: ctx.endpoint, functionName, payload: BENCH_PAYLOAD },
      ratePerSec,
      durationMs,
    });
    const s = stratus.run.latency;
    const e = echo.run.latency;
    levels.push({
      fraction,
      ratePerSec,
      stratus,
      echo,
      ratios: { p50: ratio(s.p50Ms, e.p50Ms), p99: ratio(s.p99Ms, e.p99Ms), p999: ratio(s.p999Ms, e.p999Ms) },
    });
  }
  return { closedLoopPeakPerSec: peakPerSec, closedLoopPeakConcurrency: peak.concurrency, durationMs, levels };
}

