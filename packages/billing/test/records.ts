import type { UsageRecord } from '@stratus/contracts';

/** A valid usage record; tests override what they check. */
export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    functionName: 'hello',
    functionVersion: '$LATEST',
    nodeId: 'node-1',
    startTimeMs: Date.UTC(2025, 0, 1, 10, 15),
    durationMs: 12.5,
    billedMs: 13,
    initMs: 0,
    memoryMb: 128,
    maxMemoryUsedMb: 30,
    cpuMs: 2,
    queuedMs: 0,
    outcome: 'success',
    cold: false,
    ...overrides,
  };
}
