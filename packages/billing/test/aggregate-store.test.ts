import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { DEFAULT_PRICES, costUsd } from '@stratus/contracts';
import { AggregateStore } from '../src/aggregate-store.js';
import { readStateFile, writeStateFile } from '../src/state-file.js';
import { parseUsageQuery } from '../src/usage-query.js';
import { usageRecord } from './records.js';

const HOUR_MS = 3_600_000;
const T10 = Date.UTC(2025, 0, 1, 10);
const T11 = Date.UTC(2025, 0, 1, 11);
const T12 = Date.UTC(2025, 0, 1, 12);

describe('AggregateStore', () => {
  it('sums each function per period and derives cost from the price table', () => {
    const store = new AggregateStore(HOUR_MS);
    store.apply(usageRecord({ functionName: 'b', startTimeMs: T10 + 5, billedMs: 100, durationMs: 99.5, memoryMb: 1024 }), 1);
    store.apply(usageRecord({ functionName: 'a', startTimeMs: T10 + 9, billedMs: 7, durationMs: 6.1, outcome: 'timeout', cold: true }), 2);
    store.apply(usageRecord({ functionName: 'b', startTimeMs: T11 + 1, billedMs: 900, durationMs: 899.2, memoryMb: 1024, outcome: 'function_error' }), 3);

    const report = store.report({}, DEFAULT_PRICES);
    expect(report.appliedThroughSequence).toBe(3);
    expect(report.functions.map((f) => f.functionName)).toEqual(['a', 'b']);
    const b = report.functions[1];
    expect(b).toMatchObject({ requests: 2, billedMs: 1000, errors: 1, coldStarts: 0 });
    expect(b?.gbSeconds).toBeCloseTo(1, 12);
    expect(b?.durationMs).toBeCloseTo(998.7, 9);
    expect(b?.costUsd).toBeCloseTo(costUsd(2, 1, DEFAULT_PRICES), 15);
    expect(report.total).toMatchObject({ functionName: '', requests: 3, billedMs: 1007, errors: 2, coldStarts: 1 });
    expect(report.total.costUsd).toBeCloseTo((report.functions[0]?.costUsd ?? 0) + (b?.costUsd ?? 0), 15);
  });

  it('filters by function and by the periods whose start is in [start, end)', () => {
    const store = new AggregateStore(HOUR_MS);
    store.apply(usageRecord({ functionName: 'a', startTimeMs: T10 + 1, billedMs: 1 }), 1);
    store.apply(usageRecord({ functionName: 'a', startTimeMs: T11 + 1, billedMs: 10 }), 2);
    store.apply(usageRecord({ functionName: 'b', startTimeMs: T12 + 1, billedMs: 100 }), 3);

    expect(store.report({ startTimeMs: T11 }, DEFAULT_PRICES).total.billedMs).toBe(110);
    expect(store.report({ startTimeMs: T10, endTimeMs: T12 }, DEFAULT_PRICES).total.billedMs).toBe(11);
    expect(store.report({ endTimeMs: T11 }, DEFAULT_PRICES).total.billedMs).toBe(1);
    // Zero means unbounded, as in the gRPC request.
    expect(store.report({ startTimeMs: 0, endTimeMs: 0 }, DEFAULT_PRICES).total.billedMs).toBe(111);
    expect(store.report({ functionName: 'a' }, DEFAULT_PRICES).functions.map((f) => f.billedMs)).toEqual([11]);
    expect(store.report({ functionName: '' }, DEFAULT_PRICES).functions).toHaveLength(2);
    expect(store.report({ functionName: 'nobody' }, DEFAULT_PRICES)).toMatchObject({ functions: [], total: { requests: 0, costUsd: 0 } });
  });

  it('refuses a sequence at or below the last applied one', () => {
    const store = new AggregateStore(HOUR_MS);
    store.apply(usageRecord(), 5);
    expect(() => store.apply(usageRecord(), 5)).toThrow(RangeError);
    store.skip(6);
    expect(store.lastAppliedSeq).toBe(6);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(1);
  });

  it('restarts sequences, keeping totals, when the stream was created again', () => {
    const store = new AggregateStore(HOUR_MS);
    expect(store.bindStream('2025-01-01T00:00:00Z')).toBe('bound');
    store.apply(usageRecord(), 40);
    expect(store.bindStream('2025-01-01T00:00:00Z')).toBe('same');
    expect(store.bindStream('2025-02-01T00:00:00Z')).toBe('replaced');
    expect(store.lastAppliedSeq).toBe(0);
    store.apply(usageRecord(), 1);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(2);
  });
});

describe('state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-billing-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('persists aggregates and sequence together and reloads them unchanged', async () => {
    const store = new AggregateStore(HOUR_MS);
    store.bindStream('created-at');
    store.apply(usageRecord({ functionName: 'a', startTimeMs: T10, billedMs: 13, durationMs: 12.25 }), 1);
    store.apply(usageRecord({ functionName: 'b', startTimeMs: T11, billedMs: 2, outcome: 'crashed', cold: true }), 2);
    const path = join(dir, 'state.json');
    await writeStateFile(path, store.toState());

    const read = await readStateFile(path);
    expect(read.kind).toBe('ok');
    if (read.kind !== 'ok') return;
    const reloaded = AggregateStore.fromState(read.state);
    expect(reloaded.lastAppliedSeq).toBe(2);
    expect(reloaded.streamCreated).toBe('created-at');
    expect(reloaded.report({}, DEFAULT_PRICES)).toEqual(store.report({}, DEFAULT_PRICES));
    reloaded.apply(usageRecord({ functionName: 'a', startTimeMs: T10, billedMs: 7 }), 3);
    expect(reloaded.report({ functionName: 'a' }, DEFAULT_PRICES).total.billedMs).toBe(20);
  });

  it('reports a missing file and an unreadable one apart', async () => {
    expect(await readStateFile(join(dir, 'none.json'))).toEqual({ kind: 'missing' });
    await writeFile(join(dir, 'torn.json'), '{"formatVersion":1,"periodMs"');
    expect((await readStateFile(join(dir, 'torn.json'))).kind).toBe('unreadable');
    await writeFile(join(dir, 'wrong.json'), JSON.stringify({ formatVersion: 1, periodMs: -1, lastAppliedSeq: 0, buckets: [] }));
    expect((await readStateFile(join(dir, 'wrong.json'))).kind).toBe('unreadable');
  });

  it('leaves no temporary file behind', async () => {
    const path = join(dir, 'state.json');
    await writeStateFile(path, new AggregateStore(HOUR_MS).toState());
    await writeStateFile(path, new AggregateStore(HOUR_MS).toState());
    await expect(readFile(`${path}.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('parseUsageQuery', () => {
  it('accepts an empty query and rejects bad fields with INVALID_ARGUMENT naming the field', () => {
    expect(parseUsageQuery({})).toEqual({});
    const bad = (value: unknown): unknown => {
      try {
        parseUsageQuery(value);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const wrongType = bad({ startTimeMs: 'yesterday' });
    expect(hasCode(wrongType, 'INVALID_ARGUMENT')).toBe(true);
    expect((wrongType as Error).message).toContain('startTimeMs');
    expect(hasCode(bad({ startTimeMs: 20, endTimeMs: 10 }), 'INVALID_ARGUMENT')).toBe(true);
    expect(hasCode(bad('everything'), 'INVALID_ARGUMENT')).toBe(true);
  });
});
