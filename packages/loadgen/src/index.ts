export { runLoad, loadStats, defaultChannels, mergeRuns, splitEvenly, errorCode } from './load-generator.js';
export type { CallRecord, LoadOptions, LoadRun, LoadStats } from './load-generator.js';
export type { LoadTarget } from './callers.js';
export { runOpenLoop, summarizeHistogram } from './open-loop.js';
export type { OpenLoopOptions, OpenLoopRun, OpenLoopLatency } from './open-loop.js';
export {
  percentile,
  percentileOfSorted,
  summarizeLatencies,
  latencyDistribution,
  ratio,
  throughputPerSec,
  parseDurationMs,
} from './stats.js';
export type { LatencySummary } from './stats.js';
export { fmtMs, fmtRate, fmtRatio, fmtPct } from './format.js';
