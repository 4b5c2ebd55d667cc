import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, TRIVIAL_HANDLER, zipIndexJs } from './functions.js';
import type { BurstResult } from './report.js';
import { ratio, summarizeLatencies } from '@stratus/loadgen';

/**
 * Scenario 2: `burstSize` calls at once on a function just deployed (no warm
 * isolates anywhere): how long until all finish, how many were cold, and
 * what failed. The echo baseline takes the same burst.
 */
export async function runBurstScenario(ctx: BenchContext): Promise<BurstResult> {
  const functionName = 'bench-burst';
  await ctx.client.createFunction({ functionName, zipFile: zipIndexJs(TRIVIAL_HANDLER) });
  const size = ctx.sizes.burstSize;
  const echo = await measure(
    ctx,
    `2 echo burst of ${size}`,
    { target: { kind: 'stratus', endpoint: ctx.echoEndpoint, functionName, payload: BENCH_PAYLOAD }, concurrency: size, requests: size },
    { kind: 'count' },
  );
  const stratus = await measure(
    ctx,
    `2 cold burst of ${size}`,
    { target: { kind: 'stratus', endpoint: ctx.endpoint, functionName, payload: BENCH_PAYLOAD }, concurrency: size, requests: size },
    { kind: 'count' },
  );
  return {
    size,
    stratus: stratus.measurement,
    echo: echo.measurement,
    completionRatio: ratio(stratus.measurement.stats.elapsedMs, echo.measurement.stats.elapsedMs),
    init: summarizeLatencies(stratus.run.initMs),
  };
}
