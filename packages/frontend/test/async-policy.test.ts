import { describe, expect, it } from 'vitest';
import { DEFAULT_ASYNC_BACKOFF, delayWithinAge, invocationRecord, isExpired, retryDelayMs, throttleDelayMs } from '../src/async-policy.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('async backoff', () => {
  it('waits about a minute before the first retry and twice that before the second, as Lambda does', () => {
    expect(retryDelayMs(DEFAULT_ASYNC_BACKOFF, 1)).toBe(60_000);
    expect(retryDelayMs(DEFAULT_ASYNC_BACKOFF, 2)).toBe(120_000);
    expect(retryDelayMs({ ...DEFAULT_ASYNC_BACKOFF, retryBaseDelayMs: 200 }, 2)).toBe(400);
  });

  it('doubles the wait of a refused event up to the maximum, less up to a quarter of jitter', () => {
    const backoff = { ...DEFAULT_ASYNC_BACKOFF, throttleBaseDelayMs: 1000, throttleMaxDelayMs: 5000 };
    expect([1, 2, 3, 4, 50].map((n) => throttleDelayMs(backoff, n, 0))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(throttleDelayMs(backoff, 1, 0.999)).toBe(750);
    expect(throttleDelayMs(backoff, 0, 0)).toBe(1000);
  });
});

describe('event age', () => {
  it('expires an event once its maximum age has passed since it was accepted', () => {
    expect(isExpired(60_000 - 1, 0, 60)).toBe(false);
    expect(isExpired(60_000, 0, 60)).toBe(true);
  });

  it('never schedules a try after the event expires: it comes back at its expiry instead', () => {
    expect(delayWithinAge(10_000, 55_000, 0, 60)).toBe(5_000);
    expect(delayWithinAge(1_000, 10_000, 0, 60)).toBe(1_000);
    expect(delayWithinAge(1_000, 70_000, 0, 60)).toBe(0);
  });
});

describe("Lambda's invocation record", () => {
  it('describes a failure with the request, the condition, the attempts and the last response', () => {
    const record = JSON.parse(
      text(
        invocationRecord({
          requestId: 'r-1',
          functionName: 'orders',
          qualifier: '',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
          nowMs: Date.UTC(2026, 0, 2, 3, 4, 5),
          requestPayload: Buffer.from('{"id":7}'),
          response: { executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}') },
        }),
      ),
    ) as unknown;
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2026-01-02T03:04:05.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:local:000000000000:function:orders:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { id: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    });
  });

  it('has no response for an event that never ran, reads an empty event as {}, and keeps a result that is not JSON as text', () => {
    const expired = JSON.parse(
      text(invocationRecord({ requestId: 'r', functionName: 'f', qualifier: 'live', condition: 'EventAgeExceeded', approximateInvokeCount: 0, nowMs: 0, requestPayload: new Uint8Array() })),
    ) as Record<string, unknown>;
    expect(expired['requestPayload']).toEqual({});
    expect(expired['responseContext']).toEqual({ statusCode: 0, executedVersion: 'live' });
    expect(expired).not.toHaveProperty('responsePayload');
    const success = JSON.parse(
      text(
        invocationRecord({
          requestId: 'r',
          functionName: 'f',
          qualifier: '',
          condition: 'Success',
          approximateInvokeCount: 1,
          nowMs: 0,
          requestPayload: Buffer.from('{}'),
          response: { executedVersion: '$LATEST', payload: Buffer.from('not json') },
        }),
      ),
    ) as Record<string, unknown>;
    expect(success['responsePayload']).toBe('not json');
    expect(success['responseContext']).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });
});
