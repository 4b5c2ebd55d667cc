/** Latency statistics of one run, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * The p-th percentile (0..100) of values already sorted ascending, by linear
 * interpolation between the closest ranks (numpy's default), so p50 of an
 * even count is the mean of the middle two. NaN for no values.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = (p / 100) * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

/** Sorts a copy; the input is left as it is. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileOfSorted(sortedCopy(values), p);
}

/** count, min, mean, p50, p90, p99 and max; every figure NaN (count 0) for no values. */
export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    minMs: n === 0 ? Number.NaN : (sorted[0] as number),
    meanMs: n === 0 ? Number.NaN : sum / n,
    p50Ms: percentileOfSorted(sorted, 50),
    p90Ms: percentileOfSorted(sorted, 90),
    p99Ms: percentileOfSorted(sorted, 99),
    maxMs: n === 0 ? Number.NaN : (sorted[n - 1] as number),
  };
}

/**
 * Points of the latency distribution for charts: the value at each
 * percentile from 0 to 100 in steps of `stepPct`, plus 99.9.
 */
export function latencyDistribution(values: ArrayLike<number>, stepPct = 1): Array<{ readonly pct: number; readonly ms: number }> {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) return [];
  const points: Array<{ pct: number; ms: number }> = [];
  for (let pct = 0; pct <= 100; pct += stepPct) points.push({ pct, ms: percentileOfSorted(sorted, pct) });
  points.splice(points.findIndex((p) => p.pct > 99.9), 0, { pct: 99.9, ms: percentileOfSorted(sorted, 99.9) });
  return points;
}

/**
 * `value / baseline`, or null when either is missing, not finite, or the
 * baseline is 0: a ratio that cannot be computed is reported as absent,
 * never as Infinity or NaN (JSON has neither).
 */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null) return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return value / baseline;
}

/** Completed calls per second over `elapsedMs`; 0 when no time passed. */
export function throughputPerSec(completed: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (completed * 1000) / elapsedMs : 0;
}

/** Parses "30s", "500ms", "2m" or a bare number of seconds into milliseconds. */
export function parseDurationMs(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) throw new RangeError(`expected a duration such as 30s, 500ms or 2m, got ${JSON.stringify(text)}`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 's' ? amount * 1000 : amount * 60_000;
  if (!(ms > 0)) throw new RangeError(`duration must be positive, got ${JSON.stringify(text)}`);
  return ms;
}
