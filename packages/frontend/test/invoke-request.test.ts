import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { assertEventJson, eventPayloadWithinLimit, splitQualifier } from '../src/invoke.js';

describe('eventPayloadWithinLimit', () => {
  it('passes the bytes through as they are, without parsing them (the isolate does)', () => {
    const bytes = Buffer.from('{"name":"Ada"}');
    expect(eventPayloadWithinLimit(bytes)).toBe(bytes);
    expect(eventPayloadWithinLimit(Buffer.from('not json yet'))).toEqual(Buffer.from('not json yet'));
  });

  it('rejects a payload over 6 MB with PAYLOAD_TOO_LARGE', () => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 1, 0x20);
    expect(() => eventPayloadWithinLimit(big)).toThrow(/smaller than 6291456 bytes/);
  });
});

describe('assertEventJson (dry runs)', () => {
  it('accepts JSON and the empty payload, which Lambda clients send for {}', () => {
    expect(() => assertEventJson(new Uint8Array())).not.toThrow();
    expect(() => assertEventJson(Buffer.from('42'))).not.toThrow();
  });

  it('rejects a payload that is not JSON with INVALID_PAYLOAD, worded as the isolate words it', () => {
    expect(() => assertEventJson(Buffer.from('{name: Ada}'))).toThrow(/^Could not parse request body into json: /);
    let caught: unknown;
    try {
      assertEventJson(Buffer.from('not json'));
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'INVALID_PAYLOAD')).toBe(true);
  });
});

describe('splitQualifier', () => {
  it('accepts a name, name:qualifier, or an ARN', () => {
    expect(splitQualifier('hello', '')).toEqual({ name: 'hello', qualifier: '' });
    expect(splitQualifier('hello:$LATEST', '')).toEqual({ name: 'hello', qualifier: '$LATEST' });
    expect(splitQualifier('arn:aws:lambda:local:000000000000:function:hello', '')).toEqual({ name: 'hello', qualifier: '' });
    expect(splitQualifier('arn:aws:lambda:local:000000000000:function:hello:prod', '')).toEqual({ name: 'hello', qualifier: 'prod' });
  });

  it('rejects a qualifier that disagrees with the one in the name', () => {
    expect(() => splitQualifier('hello:a', 'b')).toThrow(/differs/);
  });
});
