import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageSpool, readSpool } from '../src/index.js';

const log = pino({ level: 'silent' });
const record = (requestId: string): string => JSON.stringify({ requestId, billedMs: 1 });

describe('readSpool', () => {
  it('keeps sealed batches not stored (with their records) and records never sealed, and forgets stored batches', () => {
    const text = [
      record('a'),
      record('b'),
      'S node-1.p1 1 2',
      record('c'),
      'A node-1.p1 1',
      'S node-1.p1 2 1',
      record('d'),
      record('e'),
      '',
    ].join('\n');
    expect(readSpool(text)).toEqual({
      batches: [{ publisherId: 'node-1.p1', sequence: 2, records: [record('c')] }],
      unsealed: [record('d'), record('e')],
      partialTailBytes: 0,
      corruptLines: 0,
    });
  });

  it('ignores a partial last line (a write cut short by a kill) and reports its size', () => {
    const text = `${record('a')}\nS node-1.p1 1 1\n{"requestId":"b","bil`;
    const contents = readSpool(text);
    expect(contents.batches).toEqual([{ publisherId: 'node-1.p1', sequence: 1, records: [record('a')] }]);
    expect(contents.unsealed).toEqual([]);
    expect(contents.partialTailBytes).toBe('{"requestId":"b","bil'.length);
  });

  it('skips and counts lines it cannot read, keeping the rest', () => {
    const text = `${record('a')}\n{"broken\nX node-1.p1 1\nS node-1.p1 1 5\n${record('b')}\n`;
    const contents = readSpool(text);
    expect(contents.corruptLines).toBe(3);
    expect(contents.unsealed).toEqual([record('a'), record('b')]);
  });

  it('reads an empty spool as nothing to send', () => {
    expect(readSpool('')).toEqual({ batches: [], unsealed: [], partialTailBytes: 0, corruptLines: 0 });
  });
});

describe('UsageSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-spool-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the next process of the same node every record not stored: sealed batches under their original id, the rest unsealed', () => {
    const first = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(first.recovered.batches).toEqual([]);
    first.append(record('a'));
    first.append(record('b'));
    first.sealed('node-1.p1', 1, [record('a'), record('b')]);
    first.append(record('c'));
    first.stored('node-1.p1', 1);
    first.sealed('node-1.p1', 2, [record('c')]);
    first.append(record('d'));
    first.commit();
    // Killed here: no close.
    const second = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(second.recovered.batches).toEqual([{ publisherId: 'node-1.p1', sequence: 2, records: [record('c')] }]);
    expect(second.recovered.unsealed).toEqual([record('d')]);
    // The unsealed record goes into the new incarnation's first batch; the old batch is stored only later.
    second.append(record('e'));
    second.sealed('node-1.p2', 1, [record('d'), record('e')]);
    second.stored('node-1.p2', 1);
    const third = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(third.recovered.batches).toEqual([{ publisherId: 'node-1.p1', sequence: 2, records: [record('c')] }]);
    expect(third.recovered.unsealed).toEqual([]);
    third.stored('node-1.p1', 2);
    third.close();
    const fourth = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(fourth.recovered).toMatchObject({ batches: [], unsealed: [] });
    fourth.close();
    first.close();
    second.close();
  });

  it('writes appended records when committed, all in one write, and before any batch line that names them', () => {
    const spool = UsageSpool.open({ dir, nodeId: 'node-1', log });
    spool.append(record('a'));
    spool.append(record('b'));
    // Not yet written: a kill here loses them, which is why no reply is sent before the commit.
    expect(readFileSync(spool.path, 'utf8')).toBe('');
    spool.commit();
    expect(readFileSync(spool.path, 'utf8')).toBe(`${record('a')}\n${record('b')}\n`);
    spool.commit();
    spool.append(record('c'));
    // A batch may leave as soon as it is sealed: its records and its S line are written at once, in that order.
    spool.sealed('node-1.p1', 1, [record('a'), record('b'), record('c')]);
    expect(readFileSync(spool.path, 'utf8')).toBe(`${record('a')}\n${record('b')}\n${record('c')}\nS node-1.p1 1 3\n`);
    spool.append(record('d'));
    spool.close();
    // close commits.
    expect(readSpool(readFileSync(spool.path, 'utf8'))).toMatchObject({ unsealed: [record('d')], corruptLines: 0 });
  });

  it('drops a partial tail left by a kill when it reopens, and appends after it cleanly', () => {
    const first = UsageSpool.open({ dir, nodeId: 'node-1', log });
    first.append(record('a'));
    first.close();
    appendFileSync(first.path, '{"requestId":"cut');
    const second = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(second.recovered).toMatchObject({ unsealed: [record('a')], partialTailBytes: '{"requestId":"cut'.length });
    second.append(record('b'));
    second.close();
    expect(readSpool(readFileSync(second.path, 'utf8'))).toMatchObject({ unsealed: [record('a'), record('b')], partialTailBytes: 0, corruptLines: 0 });
  });

  it('stays bounded: once past compactBytes it is rewritten to what is not yet stored', () => {
    const spool = UsageSpool.open({ dir, nodeId: 'node-1', log, compactBytes: 4096 });
    for (let sequence = 1; sequence <= 200; sequence++) {
      const records = [record(`r${sequence}`), record(`s${sequence}`)];
      for (const r of records) spool.append(r);
      spool.sealed('node-1.p1', sequence, records);
      spool.append(record(`t${sequence}`));
      spool.stored('node-1.p1', sequence);
      // The t record stays unsealed until the next batch takes it: pretend it is sealed alone, stored later.
      spool.sealed('node-1.p1', 10_000 + sequence, [record(`t${sequence}`)]);
      if (sequence > 1) spool.stored('node-1.p1', 10_000 + sequence - 1);
    }
    expect(statSync(spool.path).size).toBeLessThan(2 * 4096);
    spool.close();
    const reopened = UsageSpool.open({ dir, nodeId: 'node-1', log });
    expect(reopened.recovered).toMatchObject({ batches: [{ publisherId: 'node-1.p1', sequence: 10_200, records: [record('t200')] }], unsealed: [], corruptLines: 0 });
    reopened.close();
  });

  it('keeps nodes sharing a directory apart', () => {
    const one = UsageSpool.open({ dir, nodeId: 'node-1', log });
    one.append(record('a'));
    one.close();
    const two = UsageSpool.open({ dir, nodeId: 'node-2', log });
    expect(two.recovered.unsealed).toEqual([]);
    two.close();
  });
});
