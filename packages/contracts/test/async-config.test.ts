import { describe, expect, it } from 'vitest';
import { createNamespace, eventInvokeConfigFor, eventInvokeConfigSchema, parseDestination, storedFunctionSchema } from '../src/index.js';

describe('async destinations', () => {
  it('reads functions (by name or ARN), NATS subjects and JetStream subjects', () => {
    expect(parseDestination('function:sink')).toEqual({ kind: 'function', functionName: 'sink' });
    expect(parseDestination('arn:aws:lambda:us-east-1:123456789012:function:sink')).toEqual({ kind: 'function', functionName: 'sink' });
    expect(parseDestination('nats:orders.done')).toEqual({ kind: 'nats', subject: 'orders.done' });
    expect(parseDestination('jetstream:orders.failed')).toEqual({ kind: 'jetstream', subject: 'orders.failed' });
  });

  it('refuses wildcards, empty tokens, spaces and unknown kinds with a message naming the problem', () => {
    for (const bad of ['nats:>', 'nats:orders.*', 'nats:a..b', 'nats:', 'jetstream:a b', 'nats:$JS.API.STREAM.DELETE.X', 'sqs:q', 'function:', 'function:a.b']) {
      expect(typeof parseDestination(bad), bad).toBe('string');
    }
    expect(parseDestination('sqs:q')).toContain('is not a destination');
  });

  it('publishes user subjects under the namespace’s own out prefix, apart from the cluster’s subjects', () => {
    const ns = createNamespace('stratus');
    expect(ns.subjects.destination('orders.done')).toBe('stratus.out.orders.done');
    expect(() => ns.subjects.destination('a.>')).toThrow();
  });
});

describe('event invoke configuration', () => {
  it("takes Lambda's defaults and bounds", () => {
    expect(eventInvokeConfigSchema.parse({})).toMatchObject({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, recursiveLoop: 'Terminate' });
    expect(eventInvokeConfigSchema.safeParse({ maximumRetryAttempts: 3 }).success).toBe(false);
    expect(eventInvokeConfigSchema.safeParse({ maximumEventAgeInSeconds: 59 }).success).toBe(false);
    expect(eventInvokeConfigSchema.safeParse({ maximumEventAgeInSeconds: 21_601 }).success).toBe(false);
    expect(eventInvokeConfigSchema.safeParse({ onFailure: 'nats:*' }).success).toBe(false);
  });
});

describe('eventInvokeConfigFor', () => {
  const base = storedFunctionSchema.parse({
    name: 'fn',
    codeSha256: 'a'.repeat(64),
    codeSize: 1,
    lastModified: '2026-01-01T00:00:00.000Z',
    eventInvokeConfig: { maximumRetryAttempts: 0 },
    qualifiedEventInvokeConfigs: [
      { qualifier: 'prod', maximumRetryAttempts: 1 },
      { qualifier: '__proto__', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 },
    ],
  });

  it("gives the function's own for no qualifier and $LATEST, an alias's or version's own otherwise, and nothing without one", () => {
    expect(eventInvokeConfigFor(base, '')?.maximumRetryAttempts).toBe(0);
    expect(eventInvokeConfigFor(base, '$LATEST')?.maximumRetryAttempts).toBe(0);
    expect(eventInvokeConfigFor(base, 'prod')?.maximumRetryAttempts).toBe(1);
    // No fallback to the function's own, as on Lambda.
    expect(eventInvokeConfigFor(base, 'beta')).toBeUndefined();
    expect(eventInvokeConfigFor(base, '3')).toBeUndefined();
  });

  it('keeps an alias named __proto__ as data, not as a prototype', () => {
    expect(eventInvokeConfigFor(base, '__proto__')).toMatchObject({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 });
    expect(eventInvokeConfigFor(base, 'constructor')).toBeUndefined();
    expect((JSON.parse(JSON.stringify(base)) as typeof base).qualifiedEventInvokeConfigs).toHaveLength(2);
  });

  it('refuses more qualified configurations than one function may keep', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ qualifier: `a${i}` }));
    expect(storedFunctionSchema.safeParse({ ...base, qualifiedEventInvokeConfigs: many }).success).toBe(false);
  });
});
