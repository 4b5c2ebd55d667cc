import { describe, expect, it } from 'vitest';
import { loadStats, mergeRuns, splitEvenly, type LoadRun } from '../src/load-generator.js';
import {
  latencyDistribution,
  parseDurationMs,
  percentile,
  percentileOfSorted,
  ratio,
  summarizeLatencies,
  throughputPerSec,
} from '../src/stats.js';

describe('percentiles', () => {
  it('interpolates between the closest ranks', () => {
    const values = [1, 2, 3, 4];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 50)).toBe(2.5);
    expect(percentile(values, 100)).toBe(4);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
  });

  it('does not depend on input order and leaves the input alone', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('gives a single value for every percentile of one sample, NaN for none', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('rejects percentiles outside 0..100', () => {
    expect(() => percentileOfSorted([1], 101)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], -1)).toThrow(RangeError);
  });

  it('summarizes 1..100 as expected', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    const s = summarizeLatencies(values);
    expect(s).toMatchObject({ count: 100, minMs: 1, maxMs: 100, meanMs: 50.5 });
    expect(s.p50Ms).toBeCloseTo(50.5);
    expect(s.p90Ms).toBeCloseTo(90.1);
    expect(s.p99Ms).toBeCloseTo(99.01);
  });

  it('gives a distribution from p0 to p100 with p99.9 in order', () => {
    const points = latencyDistribution(Array.from({ length: 1000 }, (_, i) => i));
    const pcts = points.map((p) => p.pct);
    expect(pcts[0]).toBe(0);
    expect(pcts.at(-1)).toBe(100);
    expect(pcts).toContain(99.9);
    expect([...pcts].sort((a, b) => a - b)).toEqual(pcts);
    expect(latencyDistribution([])).toEqual([]);
  });
});

describe('ratios and rates', () => {
  it('divides by the baseline', () => {
    expect(ratio(50, 200)).toBe(0.25);
    expect(ratio(3, 1.5)).toBe(2);
  });

  it('is null rather than Infinity or NaN when it cannot be computed', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
    expect(ratio(1, null)).toBeNull();
    expect(ratio(undefined, 1)).toBeNull();
  });

  it('counts calls per second', () => {
    expect(throughputPerSec(500, 250)).toBe(2000);
    expect(throughputPerSec(10, 0)).toBe(0);
  });

  it('parses durations', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1.5')).toBe(1500);
    expect(() => parseDurationMs('soon')).toThrow(RangeError);
    expect(() => parseDurationMs('0s')).toThrow(RangeError);
  });
});

describe('load results', () => {
  const run = (latencies: number[], extra: Partial<LoadRun> = {}): LoadRun => ({
    latenciesMs: Float64Array.from(latencies),
    initMs: new Float64Array(),
    ok: latencies.length,
    functionErrors: 0,
    coldStarts: 0,
    throttles: 0,
    errors: {},
    billedMs: latencies.length,
    elapsedMs: 1000,
    clientCpuMs: 0,
    ...extra,
  });

  it('merges thread results: sums counts, joins latencies, keeps the longest elapsed', () => {
    const merged = mergeRuns([
      run([1, 2], { throttles: 1, errors: { INVOCATION_LOST: 2 }, elapsedMs: 900 }),
      run([3], { errors: { INVOCATION_LOST: 1, UNKNOWN: 1 }, elapsedMs: 1100 }),
    ]);
    expect([...merged.latenciesMs]).toEqual([1, 2, 3]);
    expect(merged).toMatchObject({ ok: 3, throttles: 1, billedMs: 3, elapsedMs: 1100, errors: { INVOCATION_LOST: 3, UNKNOWN: 1 } });
  });

  it('computes throughput from results only, and counts every call', () => {
    const stats = loadStats(run([1, 2, 3, 4], { throttles: 2, errors: { X: 1 }, elapsedMs: 2000, clientCpuMs: 500 }), {
      concurrency: 4,
      threads: 1,
      channels: 1,
    });
    expect(stats).toMatchObject({ requests: 7, ok: 4, throttles: 2, errorCount: 1, throughputPerSec: 2, clientCpuPct: 25 });
    expect(stats.latency.p50Ms).toBe(2.5);
  });

  it('splits work evenly across threads', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3]);
    expect(splitEvenly(2, 2)).toEqual([1, 1]);
  });
});
