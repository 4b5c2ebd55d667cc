import { createHash } from 'node:crypto';
import { headers as natsHeaders } from 'nats';
import { describe, expect, it } from 'vitest';
import { createNamespace, parseEventSource } from '@stratus/contracts';
import { batchEvent, eventRecordJson, failedItems, retriesExhausted, retryDelayMs, type SourceMessage } from '../src/event-source-mappings/records.js';

const context = { source: { kind: 'jetstream', subject: 'orders.*' }, sourceArn: 'arn:stratus:jetstream:local:000000000000:subject/orders.*', region: 'local' } as const;

function message(data: Uint8Array | string, extra: Partial<SourceMessage> = {}): SourceMessage {
  return {
    messageId: '42',
    subject: 'orders.created',
    data: typeof data === 'string' ? Buffer.from(data) : data,
    headers: undefined,
    deliveryCount: 1,
    sentAtMs: 1000,
    firstReceivedAtMs: 2000,
    ...extra,
  };
}

describe('the SQS-shaped event of a batch', () => {
  it('carries a UTF-8 body as text, with its MD5, receive count, times, subject and the NATS headers as message attributes', () => {
    const h = natsHeaders();
    h.set('Trace', 'abc');
    h.set('Nats-Msg-Id', 'dedupe-1');
    h.set('Stratus-Trace-Depth', '3');
    const record = JSON.parse(eventRecordJson(message('héllo', { headers: h, deliveryCount: 3 }), context)) as Record<string, unknown>;
    expect(record).toMatchObject({
      messageId: '42',
      body: 'héllo',
      md5OfBody: createHash('md5').update('héllo', 'utf8').digest('hex'),
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1000', ApproximateFirstReceiveTimestamp: '2000', Subject: 'orders.created' },
      messageAttributes: { Trace: { stringValue: 'abc', dataType: 'String' } },
      eventSource: 'stratus:jetstream',
      eventSourceARN: context.sourceArn,
      awsRegion: 'local',
    });
    // The platform's own headers are not the user's attributes.
    expect(Object.keys(record['messageAttributes'] as object)).toEqual(['Trace']);
  });

  it('carries a body that is not UTF-8 as base64, saying so', () => {
    const record = JSON.parse(eventRecordJson(message(new Uint8Array([0xff, 0x00, 0xc3])), context)) as { body: string; attributes: Record<string, string> };
    expect(record.body).toBe(Buffer.from([0xff, 0x00, 0xc3]).toString('base64'));
    expect(record.attributes['BodyEncoding']).toBe('base64');
  });

  it('wraps records as {"Records": [...]} in order', () => {
    const event = JSON.parse(Buffer.from(batchEvent([eventRecordJson(message('a', { messageId: '1' }), context), eventRecordJson(message('b', { messageId: '2' }), context)])).toString()) as {
      Records: { messageId: string }[];
    };
    expect(event.Records.map((r) => r.messageId)).toEqual(['1', '2']);
  });
});

describe('batchItemFailures, as Lambda reads them', () => {
  const ids = ['1', '2', '3'];
  const answer = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
  it('fails only the items named', () => {
    expect(failedItems(answer({ batchItemFailures: [{ itemIdentifier: '2' }] }), ids)).toEqual({ all: false, ids: new Set(['2']) });
  });
  it('counts no list, null, an empty list or no answer as all succeeded', () => {
    for (const value of [{}, { batchItemFailures: null }, { batchItemFailures: [] }, null]) expect(failedItems(answer(value), ids)).toEqual({ all: false, ids: new Set() });
    expect(failedItems(new Uint8Array(), ids)).toEqual({ all: false, ids: new Set() });
  });
  it('fails the whole batch for an item not in it, an empty or missing identifier, a list that is not one, or an answer that is not JSON', () => {
    for (const value of [{ batchItemFailures: [{ itemIdentifier: '9' }] }, { batchItemFailures: [{ itemIdentifier: '' }] }, { batchItemFailures: [{}] }, { batchItemFailures: 'x' }]) {
      expect(failedItems(answer(value), ids)).toEqual({ all: true });
    }
    expect(failedItems(Buffer.from('not json'), ids)).toEqual({ all: true });
  });
});

describe('retries', () => {
  it('doubles the delay per delivery up to the maximum', () => {
    expect([1, 2, 3, 10].map((n) => retryDelayMs(n, 1000, 60_000))).toEqual([1000, 2000, 4000, 60_000]);
  });
  it('gives up after maximumRetryAttempts retries, never with -1', () => {
    expect(retriesExhausted(1, 0)).toBe(true);
    expect(retriesExhausted(2, 2)).toBe(false);
    expect(retriesExhausted(3, 2)).toBe(true);
    expect(retriesExhausted(1_000_000, -1)).toBe(false);
  });
});

describe('event sources', () => {
  it('take user subjects with wildcards, confined under the user-events prefix', () => {
    expect(parseEventSource('nats:orders.*')).toEqual({ kind: 'nats', subject: 'orders.*' });
    expect(parseEventSource('arn:stratus:jetstream:local:000000000000:subject/orders.>')).toEqual({ kind: 'jetstream', subject: 'orders.>' });
    expect(createNamespace('stratus').subjects.userEvent('stratus.node.*.invoke')).toBe('stratus.events.stratus.node.*.invoke');
  });
  it('refuse anything else, naming what a source is', () => {
    for (const text of ['sqs:queue', 'orders', 'nats:', 'nats:a..b', 'nats:>.a', 'nats:$JS.API.>', 'nats:a b', 'nats:a*']) {
      expect(typeof parseEventSource(text), text).toBe('string');
    }
  });
});
