import { describe, expect, it } from 'vitest';
import { readUsageRecord } from '../src/index.js';

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

/**
 * One field changed (or removed, with `undefined`) per case: what billing may
 * find in a batch, and the field it must name when it refuses the record
 * (null: the record is accepted).
 */
const cases: [string, unknown, string | null][] = [
  ['a whole record', good, null],
  ['an older record without queuedMs', { ...good, queuedMs: undefined }, null],
  ['extra keys', { ...good, secret: 'x', billedMs: 3 }, null],
  ['a cold start with init', { ...good, cold: true, initMs: 12.5, outcome: 'function_error' }, null],
  ['null', null, ''],
  ['an array', [good], ''],
  ['a string', 'record', ''],
  ['an empty request id', { ...good, requestId: '' }, 'requestId'],
  ['a numeric request id', { ...good, requestId: 7 }, 'requestId'],
  ['no function name', { ...good, functionName: undefined }, 'functionName'],
  ['a numeric version', { ...good, functionVersion: 1 }, 'functionVersion'],
  ['no node id', { ...good, nodeId: undefined }, 'nodeId'],
  ['a start time as text', { ...good, startTimeMs: '1765000000000' }, 'startTimeMs'],
  ['a negative duration', { ...good, durationMs: -1 }, 'durationMs'],
  ['fractional billed ms', { ...good, billedMs: 1.5 }, 'billedMs'],
  ['negative billed ms', { ...good, billedMs: -1 }, 'billedMs'],
  ['billed ms as text', { ...good, billedMs: '1' }, 'billedMs'],
  ['negative init', { ...good, initMs: -0.1 }, 'initMs'],
  ['zero memory', { ...good, memoryMb: 0 }, 'memoryMb'],
  ['fractional memory', { ...good, memoryMb: 128.5 }, 'memoryMb'],
  ['negative memory used', { ...good, maxMemoryUsedMb: -2 }, 'maxMemoryUsedMb'],
  ['no cpu', { ...good, cpuMs: undefined }, 'cpuMs'],
  ['negative queue time', { ...good, queuedMs: -1 }, 'queuedMs'],
  ['queue time as null', { ...good, queuedMs: null }, 'queuedMs'],
  ['an unknown outcome', { ...good, outcome: 'exploded' }, 'outcome'],
  ['cold as a number', { ...good, cold: 0 }, 'cold'],
];

describe('readUsageRecord', () => {
  it.each(cases)('reads %s', (_, value, badField) => {
    // Through JSON, as billing gets it: an undefined field is absent.
    const input: unknown = value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.parse(JSON.stringify(value)) : value;
    const read = readUsageRecord(input);
    if (badField === null) {
      expect(read.ok).toBe(true);
      const { secret: _dropped, ...fields } = input as Record<string, unknown>;
      const expected = { ...fields, queuedMs: fields['queuedMs'] ?? 0 };
      expect(read.ok && read.record).toStrictEqual(expected);
    } else {
      expect(read).toMatchObject({ ok: false, field: badField });
      expect(!read.ok && read.problem.length).toBeGreaterThan(0);
    }
  });

  it('carries no key the record does not name', () => {
    const read = readUsageRecord({ ...good, __proto__: { billedMs: 99 }, extra: 1 });
    expect(read.ok && Object.keys(read.record).sort()).toEqual(Object.keys(good).sort());
  });
});
