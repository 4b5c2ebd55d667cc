import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DEFAULT_PRICES, encodeJson } from '@stratus/contracts';
import { encodeUsageBatch, usageBatchHeaders } from '@stratus/usage';
import { AggregateStore, PUBLISHER_MARK_RETENTION_MS } from '../src/aggregate-store.js';
import { applyBatch } from '../src/batch-applier.js';
import type { SequencedMessage } from '../src/batch-applier.js';
import { usageRecord } from './records.js';

const log = pino({ level: 'silent' });

/** The stream as the gap loader sees it: messages by sequence, some possibly deleted. */
function stream(messages: SequencedMessage[]) {
  const loads: [number, number][] = [];
  const loadGap = async (fromSeq: number, toSeq: number): Promise<SequencedMessage[]> => {
    loads.push([fromSeq, toSeq]);
    return messages.filter((m) => m.seq >= fromSeq && m.seq <= toSeq);
  };
  return { loadGap, loads };
}

function message(seq: number, billedMs: number): SequencedMessage {
  return { seq, data: encodeJson(usageRecord({ requestId: `r${seq}`, billedMs })) };
}

describe('applyBatch', () => {
  it('applies in sequence order and skips what is already applied', async () => {
    const store = new AggregateStore(3_600_000);
    const { loadGap, loads } = stream([]);
    await applyBatch(store, [message(2, 10), message(1, 1)], loadGap, log);
    await applyBatch(store, [message(2, 10), message(3, 100)], loadGap, log);
    expect(store.lastAppliedSeq).toBe(3);
    expect(store.report({}, DEFAULT_PRICES).total).toMatchObject({ requests: 3, billedMs: 111 });
    expect(loads).toEqual([]);
  });

  it('fills a gap left by a lost delivery from the stream, so nothing is skipped', async () => {
    const all = [message(1, 1), message(2, 10), message(3, 100), message(5, 10_000)];
    const store = new AggregateStore(3_600_000);
    const { loadGap, loads } = stream(all);
    await applyBatch(store, [message(1, 1)], loadGap, log);
    // Deliveries 2 and 3 were lost on the way; 4 was deleted from the stream.
    await applyBatch(store, [message(5, 10_000)], loadGap, log);
    expect(loads).toEqual([[2, 4]]);
    expect(store.lastAppliedSeq).toBe(5);
    expect(store.report({}, DEFAULT_PRICES).total).toMatchObject({ requests: 4, billedMs: 10_111 });
    // The late redelivery of 2 is not counted again.
    await applyBatch(store, [message(2, 10)], loadGap, log);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(4);
  });

  it('skips malformed messages without stopping the batch', async () => {
    const store = new AggregateStore(3_600_000);
    const { loadGap } = stream([]);
    const notJson = { seq: 2, data: new TextEncoder().encode('{not json') };
    const notARecord = { seq: 3, data: encodeJson({ requestId: 'x', billedMs: 'many' }) };
    await applyBatch(store, [message(1, 1), notJson, notARecord, message(4, 10)], loadGap, log);
    expect(store.lastAppliedSeq).toBe(4);
    expect(store.report({}, DEFAULT_PRICES).total).toMatchObject({ requests: 2, billedMs: 11 });
  });

  it('applies a batch whole: malformed records inside it are skipped, the rest counted', async () => {
    const store = new AggregateStore(3_600_000);
    const { loadGap } = stream([]);
    const records = [usageRecord({ billedMs: 1 }), { requestId: 'x', billedMs: 'many' }, usageRecord({ billedMs: 10 })];
    const data = new TextEncoder().encode(JSON.stringify(records));
    await applyBatch(store, [{ seq: 1, data, subject: 'ns.usage.node-1', headers: usageBatchHeaders('node-1.p', 1) }], loadGap, log);
    expect(store.lastAppliedSeq).toBe(1);
    expect(store.report({}, DEFAULT_PRICES).total).toMatchObject({ requests: 2, billedMs: 11 });
  });

  it('applies nothing of a batch when admitting one of its records throws, so a redelivery counts it once', async () => {
    const store = new AggregateStore(3_600_000);
    const { loadGap } = stream([]);
    const batch = { seq: 1, data: encodeUsageBatch([usageRecord({ functionName: 'a' }), usageRecord({ functionName: 'b' })]), headers: usageBatchHeaders('node-1.p', 1) };
    const failing = (record: { functionName: string }) => {
      if (record.functionName === 'b') throw new Error('etcd unavailable');
      return undefined;
    };
    await expect(applyBatch(store, [batch], loadGap, log, failing)).rejects.toThrow('etcd unavailable');
    expect(store.lastAppliedSeq).toBe(0);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(0);
    await applyBatch(store, [batch], loadGap, log);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(2);
  });

  it('skips a batch its publisher already had applied, and forgets publishers silent for a day', async () => {
    const store = new AggregateStore(3_600_000);
    const { loadGap } = stream([]);
    const batch = (seq: number, publisher: string, sequence: number, storedAtMs: number) => ({
      seq,
      data: encodeUsageBatch([usageRecord({ billedMs: 1 })]),
      subject: 'ns.usage.node-1',
      headers: usageBatchHeaders(publisher, sequence),
      storedAtMs,
    });
    await applyBatch(store, [batch(1, 'node-1.a', 1, 0), batch(2, 'node-1.a', 2, 1), batch(3, 'node-1.a', 1, 2), batch(4, 'node-1.a', 2, 3)], loadGap, log);
    expect(store.lastAppliedSeq).toBe(4);
    expect(store.report({}, DEFAULT_PRICES).total.requests).toBe(2);
    // A mark survives the store's round trip through its file.
    const reloaded = AggregateStore.fromState(JSON.parse(JSON.stringify(store.toState())) as ReturnType<AggregateStore['toState']>);
    expect(reloaded.appliedBatch('ns.usage.node-1 node-1.a', 2)).toBe(true);
    expect(reloaded.appliedBatch('ns.usage.node-1 node-1.a', 3)).toBe(false);
    // The same publisher id on another node's subject is another publisher.
    expect(reloaded.appliedBatch('ns.usage.node-2 node-1.a', 1)).toBe(false);
    await applyBatch(reloaded, [batch(5, 'node-1.b', 1, PUBLISHER_MARK_RETENTION_MS + 10)], loadGap, log);
    expect(reloaded.toState().publishers?.map((p) => p.publisher)).toEqual(['ns.usage.node-1 node-1.b']);
  });
});
