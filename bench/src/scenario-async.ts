import { ratio, summarizeLatencies } from '@stratus/loadgen';
import type { BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, TRIVIAL_HANDLER, zipIndexJs } from './functions.js';
import type { AsyncLoopStats, AsyncScenarioResult } from './report.js';

/** How long the scenario waits for every accepted event to finish before it reports what it has (a full run's 100k take minutes). */
const FINISH_TIMEOUT_MS = 900_000;
/** States read at once while waiting for the events to finish. */
const STATUS_READS_AT_ONCE = 100;

/**
 * Scenario 5: asynchronous (Event) invocations of a trivial function.
 * `asyncEvents` calls at `asyncConcurrency` in flight, first synchronously
 * (the same loop and client, for the ratio), then as Event invokes: how many
 * events a frontend accepts per second (each stored in JetStream before its
 * 202), and, from each event's state, how long it took from acceptance to
 * finishing and how long the whole backlog took to drain. It runs after the
 * billing check: its calls are billed, but not in the ledger.
 */
export async function runAsyncScenario(ctx: BenchContext): Promise<AsyncScenarioResult> {
  const functionName = 'bench-async';
  const events = ctx.sizes.asyncEvents;
  const concurrency = ctx.sizes.asyncConcurrency;
  await ctx.client.createFunction({ functionName, zipFile: zipIndexJs(TRIVIAL_HANDLER) });
  await closedLoop(ctx, '5 sync warm-up', functionName, false, Math.min(events, concurrency * 2), concurrency);
  const sync = await closedLoop(ctx, `5 sync: ${events} calls at c=${concurrency}`, functionName, false, events, concurrency);
  const accepted = await closedLoop(ctx, `5 async: ${events} events accepted at c=${concurrency}`, functionName, true, events, concurrency);

  ctx.progress.phase('5 async: waiting for every accepted event to finish', accepted.requestIds.length, 'events');
  const finished = await finishedStates(ctx, accepted.requestIds);
  const endToEnd = summarizeLatencies(finished.flatMap((s) => (s.finishedAtMs > 0 ? [s.finishedAtMs - s.acceptedAtMs] : [])));
  const firstAccepted = Math.min(...finished.map((s) => s.acceptedAtMs));
  const lastFinished = Math.max(...finished.map((s) => s.finishedAtMs));
  const states: Record<string, number> = {};
  for (const s of finished) states[s.state] = (states[s.state] ?? 0) + 1;
  const unfinished = accepted.requestIds.length - finished.filter((s) => s.finishedAtMs > 0).length;
  return {
    functionName,
    events,
    concurrency,
    sync: sync.stats,
    accepted: accepted.stats,
    acceptedToSync: ratio(accepted.stats.perSec, sync.stats.perSec),
    endToEnd,
    drainMs: finished.length === 0 || unfinished > 0 ? null : lastFinished - firstAccepted,
    drainToSync: finished.length === 0 || unfinished > 0 ? null : ratio(lastFinished - firstAccepted, sync.stats.elapsedMs),
    states,
    attempts: finished.reduce((sum, s) => sum + s.attempts, 0),
    unfinished,
    note:
      `The same trivial function, ${events} calls with ${concurrency} in flight from one client: synchronous Invoke, then Invoke with invocationType EVENT ` +
      '(answered 202 once the event is stored in the async stream). End to end is each event\'s state from acceptance to finishing (the frontends\' clocks); ' +
      'drain is from the first acceptance to the last finish. Run after the billing check.',
  };
}

async function closedLoop(
  ctx: BenchContext,
  label: string,
  functionName: string,
  event: boolean,
  calls: number,
  concurrency: number,
): Promise<{ readonly stats: AsyncLoopStats; readonly requestIds: string[] }> {
  ctx.progress.phase(label, calls, 'calls');
  const requestIds: string[] = [];
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const startedAt = performance.now();
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next += 1;
      const callStarted = performance.now();
      try {
        const result = await ctx.client.invoke({ functionName, payload: BENCH_PAYLOAD, ...(event ? { invocationType: 'EVENT' as const } : {}) });
        latencies.push(performance.now() - callStarted);
        if (event) requestIds.push(result.requestId);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        const key = typeof code === 'string' ? code : 'UNKNOWN';
        errors[key] = (errors[key] ?? 0) + 1;
      }
      ctx.progress.update(latencies.length, `${latencies.length} calls`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  const elapsedMs = performance.now() - startedAt;
  return {
    stats: { calls, ok: latencies.length, errors, elapsedMs, perSec: elapsedMs > 0 ? (latencies.length * 1000) / elapsedMs : 0, latency: summarizeLatencies(latencies) },
    requestIds,
  };
}

interface FinishedState {
  readonly state: string;
  readonly attempts: number;
  readonly acceptedAtMs: number;
  readonly finishedAtMs: number;
}

/** Each event's state once it has finished (or as it is at the timeout), read again only while it has not. */
async function finishedStates(ctx: BenchContext, requestIds: readonly string[]): Promise<FinishedState[]> {
  const done = new Map<string, FinishedState>();
  let pending = [...requestIds];
  const deadline = Date.now() + FINISH_TIMEOUT_MS;
  for (;;) {
    const still: string[] = [];
    for (let i = 0; i < pending.length; i += STATUS_READS_AT_ONCE) {
      const chunk = pending.slice(i, i + STATUS_READS_AT_ONCE);
      const read = await Promise.all(chunk.map((id) => ctx.client.getAsyncInvocation(id).catch(() => undefined)));
      read.forEach((status, j) => {
        const id = chunk[j] as string;
        if (status !== undefined && status.finishedAtMs > 0) done.set(id, status);
        else still.push(id);
      });
    }
    pending = still;
    ctx.progress.update(done.size, `${done.size} finished`);
    if (pending.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return [...done.values()];
}
