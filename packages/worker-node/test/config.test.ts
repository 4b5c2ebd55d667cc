import { availableParallelism, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { NODE_PROCESS_RESERVE_MB, defaultMemoryBudgetMb, machineMemoryMb, nodeConfig } from '../src/config.js';

const GiB = 1024 ** 3;

describe("the node's memory budget", () => {
  it("is the machine's memory when no cgroup limits it", () => {
    expect(machineMemoryMb({ totalBytes: 16 * GiB, constrainedBytes: 0 })).toBe(16_384);
    // libuv reports "no limit" as a huge number (cgroup v1's unlimited, or UINT64_MAX).
    expect(machineMemoryMb({ totalBytes: 16 * GiB, constrainedBytes: 2 ** 64 })).toBe(16_384);
  });

  it("is the container's limit when that is lower", () => {
    expect(machineMemoryMb({ totalBytes: 16 * GiB, constrainedBytes: 2 * GiB })).toBe(2048);
  });

  it('keeps a reserve for the node itself, and never goes under the smallest function', () => {
    expect(defaultMemoryBudgetMb({ totalBytes: 16 * GiB, constrainedBytes: 0 })).toBe(16_384 - NODE_PROCESS_RESERVE_MB);
    expect(defaultMemoryBudgetMb({ totalBytes: 0.25 * GiB, constrainedBytes: 0 })).toBe(128);
  });

  it('defaults to what this machine has, never more', () => {
    const { memoryBudgetMb } = nodeConfig.parse({});
    expect(memoryBudgetMb).toBe(defaultMemoryBudgetMb());
    expect(memoryBudgetMb).toBeLessThanOrEqual(totalmem() / 1024 ** 2);
  });
});

describe("the node's settings", () => {
  it('default to documented values', () => {
    expect(nodeConfig.parse({})).toMatchObject({
      maxInFlight: 1000,
      maxRunningIsolates: availableParallelism(),
      lightIsolateSlots: undefined,
      spareIsolatesPerMemorySize: 2,
      spareEnvironmentsPercent: 10,
      leaseTtlSec: 5,
      keepWarmMs: 300_000,
      drainGraceMs: 30_000,
      codeCacheDir: undefined,
      dataDir: undefined,
      usageFlushIntervalMs: 50,
      metricsAddress: '127.0.0.1:0',
    });
    expect(nodeConfig.parse({}).nodeId).toMatch(/^node-[0-9a-f]{8}$/);
  });

  it.each([
    ['STRATUS_NODE_MEMORY_MB', '0'],
    ['STRATUS_NODE_MEMORY_MB', '64'],
    ['STRATUS_NODE_MEMORY_MB', '2048.5'],
    ['STRATUS_NODE_MAX_IN_FLIGHT', '0'],
    ['STRATUS_NODE_MAX_RUNNING_ISOLATES', '0'],
    ['STRATUS_NODE_LIGHT_ISOLATE_SLOTS', '-1'],
    ['STRATUS_NODE_LEASE_TTL_SEC', '0'],
    ['STRATUS_NODE_KEEP_WARM_MS', '0'],
    ['STRATUS_NODE_SPARE_ISOLATES', '-1'],
    ['STRATUS_NODE_SPARE_ENVIRONMENTS_PERCENT', '-1'],
    ['STRATUS_NODE_SPARE_ENVIRONMENTS_PERCENT', '101'],
    ['STRATUS_NODE_SPARE_ENVIRONMENTS_PERCENT', '5.5'],
    ['STRATUS_NODE_ID', 'node.1'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => nodeConfig.parse({ [variable]: value })).toThrow(`${variable}=${JSON.stringify(value)} is not valid: expected`);
  });

  it('takes 0 spare isolates as "none"', () => {
    expect(nodeConfig.parse({ STRATUS_NODE_SPARE_ISOLATES: '0' }).spareIsolatesPerMemorySize).toBe(0);
  });
});
