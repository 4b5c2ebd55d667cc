import { createHash, createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashPool } from '../src/index.js';
import { invoke, parsed, useEnvironments } from './fixtures.js';

describe('JSON log format', () => {
  const create = useEnvironments();

  it('writes one JSON object per console call and per platform line', async () => {
    const env = await create(`export const handler = async () => { console.warn('careful %d', 3); return 1; };`, { logFormat: 'JSON' });
    const outcome = await invoke(env);
    const records = outcome.logs.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // At the default system level (INFO) Lambda writes initStart, start and report; runtimeDone is DEBUG.
    expect(records.map((r) => r['type'] ?? r['level'])).toEqual(['platform.initStart', 'platform.start', 'WARN', 'platform.report']);
    expect(records[0]).toMatchObject({
      type: 'platform.initStart',
      time: expect.any(String),
      record: { initializationType: 'on-demand', phase: 'init', runtimeVersion: expect.stringMatching(/^nodejs:20\.v\d+$/), functionVersion: '$LATEST' },
    });
    expect(records[2]).toMatchObject({ level: 'WARN', message: 'careful 3', requestId: expect.any(String), timestamp: expect.any(String) });
    expect(records[3]).toMatchObject({ record: { status: 'success', metrics: { memorySizeMB: 128, initDurationMs: expect.any(Number) } } });
    expect(outcome.report).toMatch(/^REPORT RequestId: /);
  });

  it('keeps the platform events the system log level asks for: DEBUG adds runtimeDone, WARN leaves the others out', async () => {
    const script = `export const handler = async () => { console.info('hi'); return 1; };`;
    const types = async (systemLogLevel: 'DEBUG' | 'WARN'): Promise<unknown[]> => {
      const env = await create(script, { logFormat: 'JSON', systemLogLevel });
      const records = (await invoke(env)).logs.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      return records.map((r) => r['type'] ?? r['level']);
    };
    expect(await types('DEBUG')).toEqual(['platform.initStart', 'platform.start', 'INFO', 'platform.runtimeDone', 'platform.report']);
    expect(await types('WARN')).toEqual(['INFO']);
  });

  it('sets AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL as Lambda does for JSON, and the log group it is given', async () => {
    const env = await create(
      `export const handler = async (e, context) => ({ format: process.env.AWS_LAMBDA_LOG_FORMAT, level: process.env.AWS_LAMBDA_LOG_LEVEL, group: process.env.AWS_LAMBDA_LOG_GROUP_NAME, contextGroup: context.logGroupName });`,
      { logFormat: 'JSON', applicationLogLevel: 'WARN', logGroupName: '/custom/group' },
    );
    expect(parsed(await invoke(env))).toEqual({ format: 'JSON', level: 'WARN', group: '/custom/group', contextGroup: '/custom/group' });
  });

  it('logs an init failure as Lambda does: the error as JSON with stackTrace, platform.initReport with the error type', async () => {
    const env = await create(`throw new TypeError('bad config');\nexport const handler = async () => 1;`, { logFormat: 'JSON', systemLogLevel: 'DEBUG' });
    const outcome = await invoke(env);
    const records = outcome.logs.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => r['type'] ?? r['level'])).toEqual([
      'platform.initStart',
      'ERROR',
      'platform.initRuntimeDone',
      'platform.initReport',
      'platform.start',
      'platform.runtimeDone',
      'platform.report',
    ]);
    expect(records[1]).toMatchObject({ level: 'ERROR', message: { errorType: 'TypeError', errorMessage: 'bad config', stackTrace: expect.any(Array) } });
    expect(records[1]).not.toHaveProperty('requestId');
    // A type that is not Runtime.* or Function.* is reported as Runtime.Unknown, as Lambda scrubs it.
    expect(records[3]).toMatchObject({ record: { phase: 'init', status: 'error', errorType: 'Runtime.Unknown', metrics: { durationMs: expect.any(Number) } } });
    expect(records[6]).toMatchObject({ record: { status: 'error', errorType: 'Runtime.Unknown' } });
    expect((records[6]?.['record'] as { metrics: Record<string, unknown> }).metrics).not.toHaveProperty('initDurationMs');
  });

  it('keeps an error type the function made up inside its JSON string in platform events, whatever it holds', async () => {
    // platformErrorType keeps a type that mentions Runtime.*: quotes and braces in it must not forge keys or lines.
    const forged = 'Runtime.Forged","forged":true,"x":{"y":"\n{"type":"platform.report"}';
    const env = await create(
      `export const handler = async () => { setTimeout(() => { const e = new Error('boom'); e.name = ${JSON.stringify(forged)}; throw e; }, 0); return new Promise(() => {}); };`,
      { logFormat: 'JSON', systemLogLevel: 'DEBUG' },
    );
    const outcome = await invoke(env);
    const records = outcome.logs.trimEnd().split('\n').map((line) => JSON.parse(line) as { type?: string; record?: Record<string, unknown> });
    const platform = records.filter((r) => r.type === 'platform.runtimeDone' || r.type === 'platform.report');
    expect(platform.map((r) => r.type)).toEqual(['platform.runtimeDone', 'platform.report']);
    for (const r of platform) {
      expect(r.record).toMatchObject({ status: 'error', errorType: forged });
      expect(r.record).not.toHaveProperty('forged');
    }
  });
});

describe('host-backed crypto and Web globals', () => {
  const create = useEnvironments();

  it('hashes, HMACs and draws random bytes through the host module, copies only', async () => {
    const env = await create(`
      import { digest, hmac, randomFill } from 'stratus:host';
      const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      export const handler = async () => {
        const sha = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
        let unknown;
        try { digest('nope', new Uint8Array(0)); } catch (err) { unknown = err.message; }
        return {
          sha1: hex(digest('sha1', new TextEncoder().encode('abc'))),
          hmac: hex(hmac('sha256', new TextEncoder().encode('key'), new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))),
          subtle: hex(new Uint8Array(sha)),
          random: randomFill(new Uint8Array(100000)).some((x) => x !== 0),
          unknown,
        };
      };`);
    expect(parsed(await invoke(env))).toEqual({
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      hmac: 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
      subtle: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      random: true,
      unknown: 'Digest method not supported: nope',
    });
  });

  it('hashes inputs too large for the main thread on the hash pool, with the same answers', async () => {
    const hashPool = createHashPool({ threads: 1 });
    afterAll(() => hashPool.close());
    const script = `
      import { digest, hmac } from 'stratus:host';
      const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
      export const handler = async () => {
        const data = new Uint8Array(4 * 1024 * 1024).map((_, i) => i % 251);
        return {
          sha256: hex(digest('sha256', data)),
          hmac: hex(hmac('sha512', new TextEncoder().encode('key'), data)),
          subtle: hex(await crypto.subtle.digest('SHA-1', data)),
          small: hex(digest('md5', data.subarray(0, 1000))),
        };
      };`;
    const data = new Uint8Array(4 * 1024 * 1024).map((_, i) => i % 251);
    const expected = {
      sha256: createHash('sha256').update(data).digest('hex'),
      hmac: createHmac('sha512', 'key').update(data).digest('hex'),
      subtle: createHash('sha1').update(data).digest('hex'),
      small: createHash('md5').update(data.subarray(0, 1000)).digest('hex'),
    };
    for (const options of [{ hashPool }, {}]) {
      const env = await create(script, { ...options, memoryMb: 256 });
      expect(parsed(await invoke(env))).toEqual(expected);
    }
  });

  it('gives TextDecoder, structuredClone and AbortSignal their Web semantics', async () => {
    const env = await create(`
      export const handler = async () => {
        let fatal;
        try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (err) { fatal = err.name; }
        let clone;
        try { structuredClone({ f() {} }); } catch (err) { clone = err.name; }
        // AbortSignal.timeout's timer is unref'd, as in Node: a ref'd one keeps the loop (and the invocation) alive.
        const keepAlive = setTimeout(() => {}, 1000);
        const signal = AbortSignal.timeout(5);
        await new Promise((r) => signal.addEventListener('abort', r));
        clearTimeout(keepAlive);
        return { fatal, clone, emoji: new TextDecoder().decode(new TextEncoder().encode('😀')), reason: signal.reason.name };
      };`);
    expect(parsed(await invoke(env))).toEqual({ fatal: 'TypeError', clone: 'DataCloneError', emoji: '😀', reason: 'TimeoutError' });
  });
});
