import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StratusError, hasCode } from '@stratus/errors';
import {
  TARGET_WANTED_REPLY,
  decodeInvokeReply,
  decodeInvokeRequest,
  encodeErrorReply,
  encodeInvokeRequest,
  encodeStreamChunk,
  decodeStreamChunk,
  encodeResultReply,
  invocationTargetFromWire,
  invocationTargetOf,
  invokeRequestBytes,
  resultReplyBytes,
  type InvocationResultMetadata,
  type NodeInvokeRequest,
} from '../src/index.js';

const settings = {
  name: 'hello',
  version: '$LATEST',
  codeSha256: 'c'.repeat(64),
  handler: 'index.handler',
  memoryMb: 256,
  timeoutSec: 3,
  ephemeralStorageMb: 512,
  environment: { ZED: 'last', ALPHA: 'first' },
  egress: { mode: 'none' as const, allow: ['api.example.com:443'] },
  logging: { logFormat: 'JSON' as const, applicationLogLevel: 'WARN' as const, systemLogLevel: 'INFO' as const },
};

function request(overrides: Partial<NodeInvokeRequest> = {}): NodeInvokeRequest {
  return { requestId: 'req-1', target: invocationTargetOf(settings), payload: Buffer.from('{"name":"Ada"}'), tailLogs: true, ...overrides };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return hasCode(err, 'INVALID_ARGUMENT') ? `INVALID_ARGUMENT: ${(err as Error).message}` : String(err);
  }
  return undefined;
}

describe('invocation targets', () => {
  it('have one digest per configuration, whatever order its environment was written in', () => {
    const a = invocationTargetOf(settings);
    const b = invocationTargetOf({ ...settings, environment: { ALPHA: 'first', ZED: 'last' } });
    expect(a.digest).toBe(b.digest);
    expect(a.digest).toBe(createHash('sha256').update(a.canonicalJson).digest('hex'));
    expect(invocationTargetOf({ ...settings, memoryMb: 512 }).digest).not.toBe(a.digest);
    expect(invocationTargetOf({ ...settings, environment: { ALPHA: 'other', ZED: 'last' } }).digest).not.toBe(a.digest);
    expect(invocationTargetOf({ ...settings, egress: { mode: 'public', allow: [] } }).digest).not.toBe(a.digest);
  });

  it('are taken off the wire only when their bytes hash to the digest named', () => {
    const target = invocationTargetOf(settings);
    expect(invocationTargetFromWire(target.canonicalJson, target.digest)).toEqual(target);
    const other = invocationTargetOf({ ...settings, codeSha256: 'd'.repeat(64) });
    // A target under another's digest: it could otherwise poison the cache for every call naming that digest.
    expect(codeOf(() => invocationTargetFromWire(other.canonicalJson, target.digest))).toMatch(/INVALID_ARGUMENT: .*hash to .*not to the digest/);
  });

  it('refuse settings that are not valid, or not in canonical form, even when the digest matches', () => {
    const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    const withWhitespace = Buffer.from(JSON.stringify(JSON.parse(Buffer.from(invocationTargetOf(settings).canonicalJson).toString()), null, 1));
    expect(codeOf(() => invocationTargetFromWire(withWhitespace, sha(withWhitespace)))).toMatch(/not in canonical form/);
    const reserved = Buffer.from(JSON.stringify({ ...settings, environment: { AWS_LAMBDA_FUNCTION_NAME: 'spoofed' } }));
    expect(codeOf(() => invocationTargetFromWire(reserved, sha(reserved)))).toMatch(/invalid invocation target: environment\.AWS_LAMBDA_FUNCTION_NAME: is reserved/);
    const extra = Buffer.from(JSON.stringify({ ...settings, codePath: '/etc/passwd' }));
    expect(codeOf(() => invocationTargetFromWire(extra, sha(extra)))).toMatch(/invalid invocation target/);
    const badSha = Buffer.from(JSON.stringify({ ...settings, codeSha256: '../../etc/passwd' }));
    expect(codeOf(() => invocationTargetFromWire(badSha, sha(badSha)))).toMatch(/codeSha256/);
    const notJson = Buffer.from('{"name":');
    expect(codeOf(() => invocationTargetFromWire(notJson, sha(notJson)))).toMatch(/not JSON/);
  });
});

describe('node invocation requests', () => {
  it('carry the event bytes as they are, after a header naming the target by digest', () => {
    const sent = request({ payload: Buffer.from('{"text":"quote \\" and é"}') });
    const data = encodeInvokeRequest(sent, false);
    expect(data.byteLength).toBe(invokeRequestBytes(sent, false));
    const read = decodeInvokeRequest(data);
    expect(read).toMatchObject({ requestId: 'req-1', digest: sent.target.digest, tailLogs: true, target: undefined });
    expect(Buffer.from(read.payload).toString()).toBe('{"text":"quote \\" and é"}');
  });

  it('attach the target when asked to, and an empty event stays empty', () => {
    const sent = request({ payload: new Uint8Array(), tailLogs: false });
    const data = encodeInvokeRequest(sent, true);
    expect(data.byteLength).toBe(invokeRequestBytes(sent, true));
    const read = decodeInvokeRequest(data);
    expect(read.tailLogs).toBe(false);
    expect(read.payload.byteLength).toBe(0);
    expect(invocationTargetFromWire(read.target ?? new Uint8Array(), read.digest)).toEqual(sent.target);
  });

  it('carry the attempt of a retried asynchronous invocation, with or without the target; a first attempt costs no byte', () => {
    for (const withTarget of [false, true]) {
      const retry = request({ attempt: 3 });
      const data = encodeInvokeRequest(retry, withTarget);
      expect(data.byteLength).toBe(invokeRequestBytes(retry, withTarget));
      const read = decodeInvokeRequest(data);
      expect(read.attempt).toBe(3);
      expect(Buffer.from(read.payload).toString()).toBe('{"name":"Ada"}');
      expect(encodeInvokeRequest(request({ attempt: 1 }), withTarget)).toEqual(encodeInvokeRequest(request(), withTarget));
    }
    expect(decodeInvokeRequest(encodeInvokeRequest(request(), false)).attempt).toBe(1);
    expect(() => encodeInvokeRequest(request({ attempt: 0 }), false)).toThrow(StratusError);
    expect(() => encodeInvokeRequest(request({ attempt: 256 }), false)).toThrow(StratusError);
    // A forged attempt byte of 0 or 1 (the flag says a later attempt) is refused.
    const forged = Buffer.from(encodeInvokeRequest(request({ attempt: 2, payload: new Uint8Array() }), false));
    forged[forged.length - 1] = 0;
    expect(codeOf(() => decodeInvokeRequest(forged))).toMatch(/attempt 0/);
  });

  it('carry the subject a streamed response goes to, after everything else; none costs no byte; a cut-off or foreign one is refused', () => {
    for (const withTarget of [false, true]) {
      const sent = request({ attempt: 3, clientContext: '{"a":1}', responseStream: 'ns1.stream.0b6f-42' });
      const data = encodeInvokeRequest(sent, withTarget);
      expect(data.byteLength).toBe(invokeRequestBytes(sent, withTarget));
      const read = decodeInvokeRequest(data);
      expect(read).toMatchObject({ responseStream: 'ns1.stream.0b6f-42', attempt: 3, clientContext: '{"a":1}' });
      expect(Buffer.from(read.payload).toString()).toBe('{"name":"Ada"}');
    }
    expect(decodeInvokeRequest(encodeInvokeRequest(request(), false)).responseStream).toBeUndefined();
    expect(() => encodeInvokeRequest(request({ responseStream: 'has space' }), false)).toThrow(/response stream subject/);
    const data = Buffer.from(encodeInvokeRequest(request({ responseStream: 'ns.stream.x', payload: Buffer.alloc(0) }), false));
    expect(() => decodeInvokeRequest(data.subarray(0, data.byteLength - 3))).toThrow(/response stream subject is cut off/);
  });

  it('carry a client context after the attempt, with or without the target; none costs no byte; a length past the message is refused', () => {
    const clientContext = JSON.stringify({ custom: { k: 'v', ü: '€' }, env: { e: '1' } });
    for (const withTarget of [false, true]) {
      const sent = request({ attempt: 2, clientContext });
      const data = encodeInvokeRequest(sent, withTarget);
      expect(data.byteLength).toBe(invokeRequestBytes(sent, withTarget));
      const read = decodeInvokeRequest(data);
      expect(read.clientContext).toBe(clientContext);
      expect(read.attempt).toBe(2);
      expect(Buffer.from(read.payload).toString()).toBe('{"name":"Ada"}');
      expect(encodeInvokeRequest(request({ clientContext: '' }), withTarget)).toEqual(encodeInvokeRequest(request(), withTarget));
    }
    expect(decodeInvokeRequest(encodeInvokeRequest(request(), false)).clientContext).toBe('');
    const forged = Buffer.from(encodeInvokeRequest(request({ clientContext: '{}', payload: new Uint8Array() }), false));
    forged.writeUInt16LE(0xffff, forged.length - 4);
    expect(codeOf(() => decodeInvokeRequest(forged))).toMatch(/client context claims 65535 bytes/);
  });

  it.each([
    ['nothing', new Uint8Array(), /shorter than its header/],
    ['JSON, as nodes took before', Buffer.from(JSON.stringify({ requestId: 'x', payload: '{}' }).padEnd(64)), /not a Stratus invocation message/],
    ['another version', Buffer.from([0x53, 9, 0x51, 0, ...new Array(40).fill(0x41)]), /version 9/],
    ['a reply on the request subject', Buffer.from([0x53, 1, 0x52, 0, ...new Array(40).fill(0x41)]), /kind/],
    ['unknown flags', Buffer.from([0x53, 1, 0x51, 0x80, ...new Array(40).fill(0x41)]), /unknown flags/],
  ])('refuse %s with INVALID_ARGUMENT naming the problem', (_what, bytes, message) => {
    expect(codeOf(() => decodeInvokeRequest(bytes))).toMatch(message);
  });

  it('refuse request ids that are empty, too long for the message, or not printable ASCII', () => {
    const data = Buffer.from(encodeInvokeRequest(request(), false));
    const idAt = 4 + 32;
    const zero = Buffer.from(data);
    zero[idAt] = 0;
    expect(codeOf(() => decodeInvokeRequest(zero))).toMatch(/request id must be 1 to 128/);
    const long = Buffer.from(data.subarray(0, idAt + 3));
    long[idAt] = 100;
    expect(codeOf(() => decodeInvokeRequest(long))).toMatch(/request id must be 1 to 128/);
    const spaced = Buffer.from(data);
    spaced[idAt + 2] = 0x20;
    expect(codeOf(() => decodeInvokeRequest(spaced))).toMatch(/printable ASCII/);
    expect(() => encodeInvokeRequest(request({ requestId: 'with space' }), false)).toThrow(StratusError);
  });

  it('carry the qualifier the call named, beside a target, and none for an unqualified call', () => {
    const sent = request({ invokedQualifier: 'prod' });
    const data = encodeInvokeRequest(sent, true);
    expect(data.byteLength).toBe(invokeRequestBytes(sent, true));
    const read = decodeInvokeRequest(data);
    expect(read.invokedQualifier).toBe('prod');
    expect(Buffer.from(read.payload).toString()).toBe('{"name":"Ada"}');
    expect(invocationTargetFromWire(read.target ?? new Uint8Array(), read.digest)).toEqual(sent.target);
    expect(decodeInvokeRequest(encodeInvokeRequest(request({ invokedQualifier: '$LATEST' }), false)).invokedQualifier).toBe('$LATEST');
    expect(decodeInvokeRequest(encodeInvokeRequest(request(), false)).invokedQualifier).toBe('');
  });

  it('refuse a qualifier that is empty, cut off, or not a qualifier\'s characters', () => {
    const data = Buffer.from(encodeInvokeRequest(request({ invokedQualifier: 'prod' }), false));
    const qualifierAt = 4 + 32 + 1 + 'req-1'.length;
    const empty = Buffer.from(data);
    empty[qualifierAt] = 0;
    expect(codeOf(() => decodeInvokeRequest(empty))).toMatch(/qualifier must be 1 to 128 bytes/);
    expect(codeOf(() => decodeInvokeRequest(data.subarray(0, qualifierAt + 3)))).toMatch(/qualifier must be 1 to 128 bytes/);
    const slashed = Buffer.from(data);
    slashed[qualifierAt + 2] = 0x2f;
    expect(codeOf(() => decodeInvokeRequest(slashed))).toMatch(/qualifier must be letters, digits/);
    expect(() => encodeInvokeRequest(request({ invokedQualifier: 'a/b' }), false)).toThrow(StratusError);
  });

  it('refuse a target length past the end of the message', () => {
    const data = Buffer.from(encodeInvokeRequest(request(), true));
    const lengthAt = 4 + 32 + 1 + 'req-1'.length;
    data.writeUInt32LE(0xffffffff, lengthAt);
    expect(codeOf(() => decodeInvokeRequest(data))).toMatch(/claims 4294967295 bytes/);
    expect(codeOf(() => decodeInvokeRequest(data.subarray(0, lengthAt + 2)))).toMatch(/target length is cut off/);
  });
});

describe('node invocation replies', () => {
  const result: InvocationResultMetadata = {
    requestId: 'req-1',
    nodeId: 'node-1',
    executedVersion: '$LATEST',
    functionError: 'Unhandled',
    logTail: Buffer.from('log tail').toString('base64'),
    durationMs: 1.25,
    billedMs: 2,
    initMs: 0,
    cold: true,
    maxMemoryUsedMb: 12.5,
    report: 'REPORT RequestId: req-1\tDuration: 1.25 ms',
  };

  it('carry the result bytes as they are beside their metadata, from text or bytes alike', () => {
    const text = '{"errorType":"Error","errorMessage":"é"}';
    for (const payload of [text, Buffer.from(text)]) {
      const data = encodeResultReply(result, payload, { fromSeq: 3, toSeq: 5 });
      expect(data.byteLength).toBe(resultReplyBytes(result, Buffer.byteLength(text)));
      const reply = decodeInvokeReply(data);
      if (!reply.ok) throw new Error('a result expected');
      expect(Buffer.from(reply.result.payload).toString()).toBe(text);
      expect({ ...reply.result, payload: undefined }).toEqual({ ...result, payload: undefined });
      expect(reply.environmentHeld).toEqual({ fromSeq: 3, toSeq: 5 });
    }
    const plain = decodeInvokeReply(encodeResultReply({ ...result, functionError: undefined, logTail: undefined, cold: false }, '1', undefined));
    expect(plain).toEqual({ ok: true, result: { ...result, functionError: undefined, logTail: undefined, cold: false, payload: expect.any(Uint8Array) as unknown } });
    expect(plain.ok && 'functionError' in plain.result).toBe(false);
  });

  it('carry a streaming handler\'s content type and what it streamed before an error; a plain result costs no byte for them', () => {
    const streamed = { contentType: 'text/event-stream', bytesBeforeError: Buffer.from([0, 1, 2, 255]), chunksSent: 7 };
    const data = encodeResultReply({ ...result, streamed }, '{"errorType":"Error"}', undefined);
    expect(data.byteLength).toBe(resultReplyBytes({ ...result, streamed }, 21));
    expect(data.byteLength - encodeResultReply(result, '{"errorType":"Error"}', undefined).byteLength).toBe(12 + 17 + 4);
    const reply = decodeInvokeReply(data);
    if (!reply.ok) throw new Error('a result expected');
    expect(reply.result.streamed?.contentType).toBe('text/event-stream');
    expect([...(reply.result.streamed?.bytesBeforeError ?? [])]).toEqual([0, 1, 2, 255]);
    expect(reply.result.streamed?.chunksSent).toBe(7);
    expect(Buffer.from(reply.result.payload).toString()).toBe('{"errorType":"Error"}');
    // A length past the end of the message is refused, not read.
    const cut = Buffer.from(data.subarray(0, data.byteLength - 21 - 4 - 4 - 2));
    expect(() => decodeInvokeReply(cut)).toThrow(/streamed/);
  });

  it('carry response stream chunks with their index, the first with the content type; malformed ones are refused', () => {
    const first = decodeStreamChunk(encodeStreamChunk(0, 'text/plain; charset=utf-8', Buffer.from('héllo')));
    expect(first.index).toBe(0);
    expect(first.contentType).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(first.bytes).toString()).toBe('héllo');
    const later = decodeStreamChunk(encodeStreamChunk(41, undefined, Buffer.from([0, 255])));
    expect(later).toMatchObject({ index: 41, contentType: undefined });
    expect([...later.bytes]).toEqual([0, 255]);
    expect(decodeStreamChunk(encodeStreamChunk(1, undefined, Buffer.alloc(0))).bytes.byteLength).toBe(0);
    const typed = Buffer.from(encodeStreamChunk(0, 'text/plain', Buffer.alloc(0)));
    expect(() => decodeStreamChunk(typed.subarray(0, 12))).toThrow(/content type claims/);
    expect(() => decodeStreamChunk(encodeResultReply(result, '1', undefined))).toThrow(/kind/);
  });

  it('carry refusals and errors, and the request for a target', () => {
    const error = new StratusError('NO_CAPACITY', 'full').toWire();
    expect(decodeInvokeReply(encodeErrorReply(false, error))).toEqual({ ok: false, started: false, error });
    expect(decodeInvokeReply(encodeErrorReply(true, error))).toMatchObject({ ok: false, started: true });
    expect(decodeInvokeReply(TARGET_WANTED_REPLY)).toEqual({ ok: false, targetWanted: true });
  });

  it('refuse replies that are malformed', () => {
    const good = Buffer.from(encodeResultReply(result, '1', undefined));
    expect(codeOf(() => decodeInvokeReply(good.subarray(0, 40)))).toMatch(/shorter than a result's header/);
    const negative = Buffer.from(good);
    negative.writeDoubleLE(-1, 4);
    expect(codeOf(() => decodeInvokeReply(negative))).toMatch(/durationMs is not a finite number/);
    const nan = Buffer.from(good);
    nan.writeDoubleLE(Number.NaN, 12);
    expect(codeOf(() => decodeInvokeReply(nan))).toMatch(/billedMs/);
    const long = Buffer.from(good);
    long.writeUInt32LE(1 << 30, 52);
    expect(codeOf(() => decodeInvokeReply(long))).toMatch(/claims 1073741824 bytes/);
    const badError = Buffer.concat([Buffer.from([0x53, 1, 0x45, 0]), Buffer.from('{"code":"NOT_A_CODE","message":"x"}')]);
    expect(codeOf(() => decodeInvokeReply(badError))).toMatch(/not a wire error/);
    expect(codeOf(() => decodeInvokeReply(Buffer.from([0x53, 1, 0x5a, 0])))).toMatch(/unknown kind/);
  });
});
