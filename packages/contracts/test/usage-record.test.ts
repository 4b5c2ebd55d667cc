import { describe, expect, it } from 'vitest';
import { readUsageRecord, usageRecordSchema } from '../src/index.js';

const good = {
  requestId: 'r-1',
  functionName: 'hello',
  functionVersion: '$LATEST',
  nodeId: 'node-1',
  startTimeMs: 1_765_000_000_000,
  durationMs: 0.05,
  billedMs: 1,
  initMs: 0,
  memoryMb: 128,
  maxMemoryUsedMb: 20.5,
  cpuMs: 0.04,
  queuedMs: 0.2,
  outcome: 'success',
  cold: false,
};

/** One field changed (or removed, with `undefined`) per case: what billing may find in a batch. */
const cases: [string, unknown][] = [
  ['a whole record', good],
  ['an older record without queuedMs', { ...good, queuedMs: undefined }],
  ['extra keys', { ...good, secret: 'x', billedMs: 3 }],
  ['a cold start with init', { ...good, cold: true, initMs: 12.5, outcome: 'function_error' }],
  ['null', null],
  ['an array', [good]],
  ['a string', 'record'],
  ['an empty request id', { ...good, requestId: '' }],
  ['a numeric request id', { ...good, requestId: 7 }],
  ['no function name', { ...good, functionName: undefined }],
  ['a numeric version', { ...good, functionVersion: 1 }],
  ['no node id', { ...good, nodeId: undefined }],
  ['a start time as text', { ...good, startTimeMs: '1765000000000' }],
  ['a negative duration', { ...good, durationMs: -1 }],
  ['fractional billed ms', { ...good, billedMs: 1.5 }],
  ['negative billed ms', { ...good, billedMs: -1 }],
  ['billed ms as text', { ...good, billedMs: '1' }],
  ['negative init', { ...good, initMs: -0.1 }],
  ['zero memory', { ...good, memoryMb: 0 }],
  ['fractional memory', { ...good, memoryMb: 128.5 }],
  ['negative memory used', { ...good, maxMemoryUsedMb: -2 }],
  ['no cpu', { ...good, cpuMs: undefined }],
  ['negative queue time', { ...good, queuedMs: -1 }],
  ['queue time as null', { ...good, queuedMs: null }],
  ['an unknown outcome', { ...good, outcome: 'exploded' }],
  ['cold as a number', { ...good, cold: 0 }],
];

describe('readUsageRecord', () => {
  it.each(cases)('answers as usageRecordSchema does: %s', (_, value) => {
    const input = value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.parse(JSON.stringify(value)) : value;
    const read = readUsageRecord(input);
    const parsed = usageRecordSchema.safeParse(input);
    expect(read.ok).toBe(parsed.success);
    if (read.ok && parsed.success) {
      expect(read.record).toStrictEqual(parsed.data);
    } else if (!read.ok && !parsed.success) {
      expect(read.field).toBe(parsed.error.issues[0]?.path.join('.') ?? '');
      expect(read.problem.length).toBeGreaterThan(0);
    }
  });

  it('carries no key the schema does not name', () => {
    const read = readUsageRecord({ ...good, __proto__: { billedMs: 99 }, extra: 1 });
    expect(read.ok && Object.keys(read.record).sort()).toEqual(Object.keys(good).sort());
  });
});
