import type { NodeConfig } from './config.js';
import type { WorkerNodeOptions, WorkerNodeSettings } from './worker-node.js';

/** What of a node's options its validated configuration gives: passed on by `main.ts` of a node and of the combined role alike. */
export function workerNodeSettingsFrom(
  config: WorkerNodeSettings & Pick<NodeConfig, 'jetStreamReplicas'>,
): WorkerNodeSettings & Pick<WorkerNodeOptions, 'jetStreamReplicas'> {
  return {
    nodeId: config.nodeId,
    memoryBudgetMb: config.memoryBudgetMb,
    maxInFlight: config.maxInFlight,
    maxRunningIsolates: config.maxRunningIsolates,
    lightIsolateSlots: config.lightIsolateSlots,
    spareIsolatesPerMemorySize: config.spareIsolatesPerMemorySize,
    spareEnvironmentsPercent: config.spareEnvironmentsPercent,
    leaseTtlSec: config.leaseTtlSec,
    keepWarmMs: config.keepWarmMs,
    drainGraceMs: config.drainGraceMs,
    codeCacheDir: config.codeCacheDir,
    dataDir: config.dataDir,
    usageFlushIntervalMs: config.usageFlushIntervalMs,
    jetStreamReplicas: config.jetStreamReplicas,
  };
}
