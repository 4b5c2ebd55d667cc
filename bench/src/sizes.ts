/** How big each scenario is: quick fits in about a minute on two cores, full in about ten. */
export interface BenchSizes {
  readonly warmLevels: readonly number[];
  readonly warmDurationMs: number;
  readonly warmupMs: number;
  readonly burstSize: number;
  readonly coldFunctions: number;
  readonly mixedConcurrency: number;
  readonly mixedLoadMs: number;
  /** How long isolates are watched after the mixed load stops. */
  readonly mixedTailMs: number;
  readonly keepWarmMs: number;
  readonly ivmColdSamples: number;
  readonly ivmWarmSamples: number;
  readonly sampleIntervalMs: number;
  /** How long hello runs alone, and again beside the busy calls (noisy neighbour). */
  readonly noisyDurationMs: number;
  /** Open-loop rates, as fractions of the best closed-loop warm throughput of the same run. */
  readonly openLoopFractions: readonly number[];
  /** How long each open-loop rate is held. */
  readonly openLoopDurationMs: number;
  /** Scenario 5: calls of each loop (sync, then async), and how many are in flight. */
  readonly asyncEvents: number;
  readonly asyncConcurrency: number;
}

export const QUICK_SIZES: BenchSizes = {
  warmLevels: [1, 100, 1000],
  warmDurationMs: 2_000,
  warmupMs: 500,
  burstSize: 300,
  coldFunctions: 8,
  mixedConcurrency: 1000,
  mixedLoadMs: 4_000,
  mixedTailMs: 6_000,
  keepWarmMs: 2_000,
  ivmColdSamples: 20,
  ivmWarmSamples: 500,
  sampleIntervalMs: 250,
  noisyDurationMs: 3_000,
  openLoopFractions: [0.5, 1],
  openLoopDurationMs: 2_000,
  asyncEvents: 2_000,
  asyncConcurrency: 1000,
};

export const FULL_SIZES: BenchSizes = {
  warmLevels: [1, 100, 1000],
  warmDurationMs: 30_000,
  warmupMs: 3_000,
  burstSize: 1000,
  coldFunctions: 50,
  mixedConcurrency: 1000,
  mixedLoadMs: 60_000,
  mixedTailMs: 20_000,
  keepWarmMs: 5_000,
  ivmColdSamples: 200,
  ivmWarmSamples: 5_000,
  sampleIntervalMs: 500,
  noisyDurationMs: 15_000,
  openLoopFractions: [0.25, 0.5, 0.75, 1, 1.25],
  openLoopDurationMs: 10_000,
  // Issue 11's backlog: a burst of 100k events, and how long the cluster takes to drain it.
  asyncEvents: 100_000,
  asyncConcurrency: 1000,
};

/** Each node's memory budget in the bench: 1000 environments (the highest concurrency) at 128 MB. */
export const BENCH_NODE_MEMORY_MB = 1000 * 128;
