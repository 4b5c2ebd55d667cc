import type { StratusClient } from '@stratus/client';
import type { BenchContext } from './bench-context.js';
import type { BillingCheck } from './report.js';
import type { PeakMark } from './scenario-warm.js';

const POLL_MS = 50;
const SETTLE_TIMEOUT_MS = 30_000;

/** What the aggregator showed while it caught up with the peak run. */
export interface PeakLag {
  readonly lagMs: number | null;
  readonly backlog: number | null;
}

/**
 * Called as the peak run ends: how far behind the aggregator was (calls not
 * yet counted) and how long until it had counted them all.
 */
export async function measurePeakLag(client: StratusClient, mark: PeakMark): Promise<PeakLag> {
  let backlog: number | null = null;
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const usage = await client.getUsage({ functionName: mark.functionName });
    const counted = usage.functions.find((f) => f.functionName === mark.functionName)?.requests ?? 0;
    backlog ??= Math.max(0, mark.requestsAtEnd - counted);
    if (counted >= mark.requestsAtEnd) return { lagMs: performance.now() - mark.endedAt, backlog };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { lagMs: null, backlog };
}

/**
 * Scenario 7: once the aggregator has caught up, its totals must equal the
 * calls the harness made through the cluster and the billed ms their results
 * reported, exactly: a record lost or counted twice fails the check.
 */
export async function runBillingCheck(ctx: BenchContext, peak: PeakLag | undefined): Promise<BillingCheck> {
  ctx.progress.phase('7 billing check', 1, 'checks');
  const expected = ctx.ledger.requests;
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  let requests = 0;
  let billedMs = 0;
  for (;;) {
    const usage = await ctx.client.getUsage();
    requests = usage.total?.requests ?? usage.functions.reduce((n, f) => n + f.requests, 0);
    billedMs = usage.total?.billedMs ?? usage.functions.reduce((n, f) => n + f.billedMs, 0);
    // Past the expected count is a failure too; waiting longer cannot fix it.
    if (requests >= expected || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
  }
  const notes: string[] = [];
  const unknown = ctx.ledger.unknownOutcome;
  const exact = requests === expected && billedMs === ctx.ledger.billedMs;
  // A call that ended without a result (INVOCATION_LOST, a timeout) may have run and been billed, with billed ms
  // the harness never saw; anything beyond those calls, or fewer than the results, is a billing error.
  const surplus = requests - expected;
  const passed = exact || (unknown > 0 && surplus >= 0 && surplus <= unknown && billedMs >= ctx.ledger.billedMs);
  if (requests !== expected) notes.push(`the aggregator counted ${requests} requests; the harness got ${expected} results`);
  if (billedMs !== ctx.ledger.billedMs) notes.push(`the aggregator billed ${billedMs} ms; the results add up to ${ctx.ledger.billedMs} ms`);
  if (unknown > 0) notes.push(`${unknown} calls ended without a result and may have run (the surplus must be at most that)`);
  if (peak?.lagMs === null) notes.push('the aggregator had not caught up with the peak run within 30 s');
  ctx.progress.update(1, passed ? 'passed' : 'FAILED');
  return {
    passed,
    exact,
    callsWithoutResult: unknown,
    invocationsMade: expected,
    aggregatorRequests: requests,
    billedMsFromResults: ctx.ledger.billedMs,
    aggregatorBilledMs: billedMs,
    usageLagAtPeakMs: peak?.lagMs ?? null,
    usageBacklogAtPeak: peak?.backlog ?? null,
    notes,
  };
}
