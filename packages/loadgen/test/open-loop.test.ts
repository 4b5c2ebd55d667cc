import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../src/callers.js';
import { driveOpenLoop, mergeOpenLoopShares } from '../src/open-loop.js';

const RESULT: CallOutcome = { coldStart: false, billedMs: 1, initMs: 0, functionError: false };
const settings = { ratePerSec: 1000, durationMs: 30, maxOutstanding: 1, threads: 1, channels: 1, clientCpuMs: 0 };

describe('the open-loop schedule', () => {
  it('never sends more than maxOutstanding at once, and counts every call it could not send as dropped', async () => {
    const waiting: Array<(outcome: CallOutcome) => void> = [];
    const answerAll = setTimeout(() => waiting.forEach((answer) => answer(RESULT)), 80);
    const share = await driveOpenLoop(() => new Promise<CallOutcome>((resolve) => waiting.push(resolve)), {
      ratePerSec: 1000,
      durationMs: 50,
      maxOutstanding: 3,
    });
    clearTimeout(answerAll);
    expect(share.scheduled).toBe(50);
    expect(share.sent).toBe(3);
    expect(share.dropped).toBe(47);
    expect(share.ok).toBe(3);
  });

  it('sends a call that found no free slot once one frees, as late, and times it from its scheduled send', async () => {
    // Each call takes 25 ms and only one may be out, so call k cannot leave before 25k ms although it is due at 10k ms.
    const share = await driveOpenLoop(() => new Promise<CallOutcome>((resolve) => setTimeout(() => resolve(RESULT), 25)), {
      ratePerSec: 100,
      durationMs: 200,
      maxOutstanding: 1,
    });
    expect(share.scheduled).toBe(20);
    expect(share.sent + share.dropped).toBe(20);
    expect(share.late).toBeGreaterThan(0);
    expect(share.dropped).toBeGreaterThan(0);
    const run = mergeOpenLoopShares([share], settings);
    expect(run.latency.count).toBe(share.ok);
    // The wait for a slot (at least 15k ms for call k) is in the latency from the schedule, not in the time from the send.
    expect(run.latency.meanMs - run.serviceLatency.meanMs).toBeGreaterThan(5);
  });

  it('counts failures by code and throttles apart, with no latency for calls without a result', async () => {
    let n = 0;
    const share = await driveOpenLoop(
      () => {
        n += 1;
        if (n % 2 === 0) return Promise.reject(Object.assign(new Error('busy'), { code: n % 4 === 0 ? 'THROTTLED' : 'INVOCATION_LOST' }));
        return Promise.resolve(RESULT);
      },
      { ratePerSec: 1000, durationMs: 8, maxOutstanding: 100 },
    );
    expect(share.sent).toBe(8);
    expect(share.ok).toBe(4);
    expect(share.throttles).toBe(2);
    expect(share.errors).toEqual({ INVOCATION_LOST: 2 });
    expect(mergeOpenLoopShares([share], settings).latency.count).toBe(4);
  });
});

describe('merging thread shares', () => {
  it('adds counts, merges the histograms and derives the rate offered from the calls sent', async () => {
    const one = await driveOpenLoop(() => Promise.resolve(RESULT), { ratePerSec: 500, durationMs: 10, maxOutstanding: 10 });
    const two = await driveOpenLoop(() => Promise.resolve(RESULT), { ratePerSec: 500, durationMs: 10, maxOutstanding: 10 });
    const run = mergeOpenLoopShares([one, two], { ...settings, durationMs: 10 });
    expect(run.sent).toBe(10);
    expect(run.latency.count).toBe(10);
    expect(run.achievedRatePerSec).toBeCloseTo(1000);
    expect(run.billedMs).toBe(10);
    expect(run.latency.p999Ms).toBeLessThanOrEqual(run.latency.maxMs);
  });
});
