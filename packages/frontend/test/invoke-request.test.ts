import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { eventJsonFromPayload, splitQualifier } from '../src/invoke.js';

describe('eventJsonFromPayload', () => {
  it('treats an empty payload as the empty object, as Lambda clients do', () => {
    expect(eventJsonFromPayload(new Uint8Array())).toBe('{}');
  });

  it('passes JSON through unchanged', () => {
    expect(eventJsonFromPayload(Buffer.from('{"name":"Ada"}'))).toBe('{"name":"Ada"}');
    expect(eventJsonFromPayload(Buffer.from('42'))).toBe('42');
  });

  it('rejects a payload that is not JSON with INVALID_PAYLOAD', () => {
    expect(() => eventJsonFromPayload(Buffer.from('{name: Ada}'))).toThrow(/Could not parse request body into json/);
    try {
      eventJsonFromPayload(Buffer.from('not json'));
    } catch (err) {
      expect(hasCode(err, 'INVALID_PAYLOAD')).toBe(true);
    }
  });

  it('rejects a payload over 6 MB with PAYLOAD_TOO_LARGE', () => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 1, 0x20);
    expect(() => eventJsonFromPayload(big)).toThrow(/smaller than 6291456 bytes/);
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
