import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StratusError } from '@stratus/errors';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, zipOf } from '../support/code.js';
import { CASES, type ConformanceCase, type Expected } from './cases.js';

// One real cluster for the whole table: every case is deployed through the
// frontend and invoked through NATS, a worker node and an isolate.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

const functionName = (c: ConformanceCase): string => `conf-${c.name}`;

async function deploy(c: ConformanceCase): Promise<readonly string[]> {
  const created = await cluster.client.createFunction({
    functionName: functionName(c),
    zipFile: zipOf(c.files),
    ...(c.handler !== undefined ? { handler: c.handler } : {}),
    ...(c.memorySizeMb !== undefined ? { memorySizeMb: c.memorySizeMb } : {}),
    ...(c.timeoutSec !== undefined ? { timeoutSec: c.timeoutSec } : {}),
    ...(c.environment !== undefined ? { environment: c.environment } : {}),
    ...(c.logging !== undefined ? { logging: c.logging } : {}),
  });
  return created.deployWarnings;
}

function check(expected: Expected, result: { payloadText: string; functionError: string; logText: string }): void {
  expect(result.functionError, result.payloadText).toBe(expected.functionError ?? '');
  const payload: unknown = JSON.parse(result.payloadText);
  if ('payload' in expected) {
    if (expected.functionError === 'Unhandled' && typeof payload === 'object' && payload !== null && !('trace' in (expected.payload as object))) {
      const { trace: _trace, ...rest } = payload as Record<string, unknown>;
      expect(rest).toEqual(expected.payload);
    } else {
      expect(payload).toEqual(expected.payload);
    }
  }
  if (expected.payloadMatch !== undefined) expect(payload).toMatchObject(expected.payloadMatch);
  for (const pattern of expected.logs ?? []) expect(result.logText).toMatch(pattern);
  for (const pattern of expected.noLogs ?? []) expect(result.logText).not.toMatch(pattern);
}

describe('Lambda Node.js 20 conformance, through the real cluster', () => {
  it('has at least 40 cases with distinct names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      if (c.deployError !== undefined) {
        const err = await deploy(c).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, 'deploy should fail').toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(c.deployError);
        return;
      }
      const warnings = await deploy(c);
      if (c.deployWarnings !== undefined) {
        expect(warnings).toHaveLength(c.deployWarnings.length);
        c.deployWarnings.forEach((pattern, i) => expect(warnings[i]).toMatch(pattern));
      }
      for (const expected of c.invocations ?? []) {
        const result = await cluster.client.invoke({
          functionName: functionName(c),
          payload: JSON.stringify(c.event ?? {}),
          logType: 'TAIL',
        });
        check(expected, result);
      }
      if (c.nodeStillServes === true) {
        const other = await cluster.client.invoke({ functionName: 'conf-cjs-exports', payload: '{"x":"after"}' });
        expect(JSON.parse(other.payloadText)).toEqual({ got: 'after' });
      }
    });
  }
});

describe('platform errors as Lambda gives them, each carrying the request id', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const failure = (call: Promise<unknown>): Promise<StratusError> =>
    call.then(
      () => Promise.reject(new Error('the call should have failed')),
      (err: unknown) => err as StratusError,
    );

  it('an event over 6 MB is RequestTooLargeException with its message; invalid JSON is InvalidRequestContentException', async () => {
    const name = 'conf-platform-errors';
    await cluster.client.createFunction({ functionName: name, zipFile: zipOf({ 'index.js': 'exports.handler = async (e) => e;' }) });
    const tooLarge = await failure(cluster.client.invoke({ functionName: name, payload: `"${'x'.repeat(6 * 1024 * 1024)}"` }));
    expect(tooLarge).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
    expect(tooLarge.details['requestId']).toMatch(UUID);
    const notJson = await failure(cluster.client.invoke({ functionName: name, payload: '{not json' }));
    expect(notJson).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringMatching(/^Could not parse request body into json: /) });
    expect(notJson.details['requestId']).toMatch(UUID);
    const missing = await failure(cluster.client.invoke({ functionName: 'conf-no-such-function' }));
    expect(missing).toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    expect(missing.details['requestId']).toMatch(UUID);
    expect(new Set([tooLarge.details['requestId'], notJson.details['requestId'], missing.details['requestId']]).size).toBe(3);
  });

  it('a throttled call (reserved concurrency 0) is TooManyRequestsException with its reason and request id', async () => {
    const name = 'conf-throttled';
    await cluster.client.createFunction({ functionName: name, zipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) });
    await cluster.client.putFunctionConcurrency(name, 0);
    const throttled = await failure(cluster.client.invoke({ functionName: name }));
    expect(throttled).toMatchObject({ code: 'THROTTLED', details: { reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } });
    expect(throttled.details['requestId']).toMatch(UUID);
  });
});

describe('stack traces name the user\'s own files and lines, not the bundle', () => {
  const files = {
    'index.js': "const app = require('./src/app');\nexports.handler = async (e) => app.run(e);",
    'src/app.js': [
      '// the line numbers below are what a user sees in their editor',
      'function helper(fail) {',
      '  if (fail) {',
      "    throw new Error('boom');",
      '  }',
      '}',
      'exports.run = (e) => {',
      "  console.error(new Error('logged'));",
      '  helper(e.fail);',
      '  return 1;',
      '};',
    ].join('\n'),
  };

  it('in the error payload, the Invoke Error record and a logged error (Text)', async () => {
    const name = 'conf-source-maps';
    await cluster.client.createFunction({ functionName: name, zipFile: zipOf(files) });
    const result = await cluster.client.invoke({ functionName: name, payload: '{"fail":true}', logType: 'TAIL' });
    expect(result.functionError).toBe('Unhandled');
    const error = JSON.parse(result.payloadText) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
    expect(error.trace[0]).toBe('Error: boom');
    expect(error.trace[1]).toMatch(/^ {4}at helper \(\/var\/task\/src\/app\.js:4:11\)$/);
    expect(error.trace.join('\n')).toMatch(/\/var\/task\/src\/app\.js:9:3/);
    expect(error.trace.join('\n')).not.toMatch(/file:\/\/\/var\/task\/index\.mjs/);
    expect(result.logText).toMatch(/\tERROR\tError: logged\n {4}at [^\n]*\/var\/task\/src\/app\.js:8:17/);
    expect(result.logText).toMatch(/Invoke Error \t\{"errorType":"Error","errorMessage":"boom",[^\n]*" {4}at helper \(\/var\/task\/src\/app\.js:4:11\)"/);
    expect(result.logText).not.toMatch(/file:\/\/\/var\/task\/index\.mjs:\d+:\d+/);
  });

  it('in error.stack read by the function itself, as Node running the files on Lambda shows it (CommonJS and ES modules)', async () => {
    const name = 'conf-source-maps-own-stack';
    await cluster.client.createFunction({
      functionName: name,
      handler: 'index.handler',
      zipFile: zipOf({
        'index.mjs': "import { check } from './lib/check.mjs';\nimport app from './src/app.js';\nexport const handler = async () => {\n  try { app.run({ fail: true }); } catch (err) { return { cjs: err.stack, esm: check(), again: err.stack }; }\n};",
        'lib/check.mjs': "export function check() {\n  return new TypeError('esm').stack;\n}",
        'src/app.js': files['src/app.js'],
      }),
    });
    const result = await cluster.client.invoke({ functionName: name, payload: '{}' });
    expect(result.functionError, result.payloadText).toBe('');
    const stacks = JSON.parse(result.payloadText) as { cjs: string; esm: string; again: string };
    expect(stacks.cjs.split('\n')[0]).toBe('Error: boom');
    expect(stacks.cjs.split('\n')[1]).toMatch(/^ {4}at helper \(\/var\/task\/src\/app\.js:4:11\)$/);
    expect(stacks.cjs).toMatch(/\/var\/task\/src\/app\.js:9:3/);
    expect(stacks.esm.split('\n')[1]).toMatch(/^ {4}at check \(file:\/\/\/var\/task\/lib\/check\.mjs:2:10\)$/);
    // The handler's own file is index.mjs, whose name the bundle shares: its frame names the user's line, not the bundle's.
    expect(stacks.cjs).toMatch(/\n {4}at handler \(file:\/\/\/var\/task\/index\.mjs:4:13\)\n/);
    expect(stacks.esm).toMatch(/\n {4}at handler \(file:\/\/\/var\/task\/index\.mjs:4:\d{2}\)\n/);
    expect(stacks.again).toBe(stacks.cjs);
  });

  it('in JSON log records too', async () => {
    const name = 'conf-source-maps-json';
    await cluster.client.createFunction({ functionName: name, zipFile: zipOf(files), logging: { logFormat: 'JSON' } });
    const result = await cluster.client.invoke({ functionName: name, payload: '{"fail":false}', logType: 'TAIL' });
    expect(result.payloadText).toBe('1');
    expect(result.logText).toMatch(/\/var\/task\/src\/app\.js:8:17/);
    expect(result.logText).not.toMatch(/index\.mjs:\d+:\d+/);
  });
});

describe('log events as CloudWatch keeps them, through the real cluster', () => {
  it('stores each console call as one event, newlines and all, with each platform and stdout line one of its own; the tail stays plain text', async () => {
    const name = 'conf-log-events';
    await cluster.client.createFunction({
      functionName: name,
      zipFile: zipOf({
        'index.js': [
          'exports.handler = async () => {',
          "  console.log('first\\nsecond');",
          "  process.stdout.write('raw one\\nraw two\\n');",
          "  console.error(new Error('logged'));",
          "  console.info('single');",
          '  return 1;',
          '};',
        ].join('\n'),
      }),
    });
    await cluster.client.invoke({ functionName: name, payload: '{}' });
    const result = await cluster.client.invoke({ functionName: name, payload: '{}', logType: 'TAIL' });
    // Lambda's tail: the log's plain text, a multi-line message as its lines.
    expect(result.logText).toMatch(/\tINFO\tfirst\nsecond\nraw one\nraw two\n[^\n]*\tERROR\tError: logged\n {4}at /);
    const [stored] = await eventually(async () => {
      const logs = await cluster.client.getLogs({ functionName: name, requestId: result.requestId, eventsOnly: true });
      return logs.length > 0 ? logs : undefined;
    }, 'the stored log');
    const messages = stored?.events.map((e) => e.message.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]+\t/, '')) ?? [];
    expect(messages[0]).toMatch(/^START RequestId: /);
    expect(messages.slice(1, 4)).toEqual(['INFO\tfirst\nsecond', 'raw one', 'raw two']);
    expect(messages[4]).toMatch(/^ERROR\tError: logged\n {4}at [^\n]*\/var\/task\/index\.js:4:17\)(\n {4}at [^\n]+)*$/);
    expect(messages.slice(5, 6)).toEqual(['INFO\tsingle']);
    expect(messages[6]).toMatch(/^END RequestId: /);
    expect(messages[7]).toMatch(/^REPORT RequestId: /);
    expect(messages).toHaveLength(8);
  });
});

describe('function configuration Lambda has, through the real cluster', () => {
  it('round-trips description, tags and loggingConfig, merging or replacing tags on update, and refuses bad values naming the field', async () => {
    const name = 'conf-config-roundtrip';
    const created = await cluster.client.createFunction({
      functionName: name,
      zipFile: zipOf({ 'index.js': 'exports.handler = async (e, context) => context.logGroupName;' }),
      description: 'orders API',
      tags: { team: 'payments', env: 'test' },
      logging: { logFormat: 'JSON', applicationLogLevel: 'WARN', logGroup: '/shop/orders' },
    });
    expect(created).toMatchObject({
      description: 'orders API',
      tags: { team: 'payments', env: 'test' },
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO', logGroup: '/shop/orders' },
    });
    expect((await cluster.client.invoke({ functionName: name, payload: '{}' })).payloadText).toBe('"/shop/orders"');

    await cluster.client.updateFunction({ functionName: name, tags: { env: 'prod', owner: 'ada' } });
    expect((await cluster.client.getFunction(name)).tags).toEqual({ team: 'payments', env: 'prod', owner: 'ada' });
    const replaced = await cluster.client.updateFunction({ functionName: name, tags: { only: 'this' }, replaceTags: true, logging: { logFormat: 'Text' } });
    expect(replaced.tags).toEqual({ only: 'this' });
    expect(replaced.loggingConfig).toEqual({ logFormat: 'Text', applicationLogLevel: '', systemLogLevel: '', logGroup: `/aws/lambda/${name}` });
    expect((await cluster.client.getFunction(name)).description).toBe('orders API');
    expect((await cluster.client.invoke({ functionName: name, payload: '{}' })).payloadText).toBe(`"/aws/lambda/${name}"`);

    await expect(cluster.client.updateFunction({ functionName: name, logging: { logFormat: 'Text', applicationLogLevel: 'DEBUG' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('logging.applicationLogLevel: is supported only with logFormat JSON'),
    });
    await expect(cluster.client.updateFunction({ functionName: name, tags: { 'aws:stack': 'x' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('tags.aws:stack: tag keys starting with "aws:" are reserved'),
    });
  });
});

describe('files and ephemeral storage, through the real cluster', () => {
  it('starts /tmp empty on a cold start: what a warm environment wrote is gone once the function changes', async () => {
    const name = 'conf-files-tmp-cold';
    const code = zipOf({
      'index.js': "const fs = require('fs');\nexports.handler = async () => { const before = fs.readdirSync('/tmp'); fs.writeFileSync('/tmp/mark', 'x'); return before; };",
    });
    await cluster.client.createFunction({ functionName: name, zipFile: code });
    const call = async (): Promise<unknown> => JSON.parse((await cluster.client.invoke({ functionName: name, payload: '{}' })).payloadText);
    expect(await call()).toEqual([]);
    expect(await call()).toEqual(['mark']);
    // A new configuration is a new environment, started cold.
    await cluster.client.updateFunction({ functionName: name, environment: { V: '2' } });
    expect(await call()).toEqual([]);
  });

  it('keeps ephemeralStorageMb as set (default 512), passes it to /tmp, and refuses one outside 512 to 10240 MB naming the field', async () => {
    const name = 'conf-files-ephemeral';
    const code = zipOf({
      // Extending a file allocates pages it never touches: the limit is checked without using the memory.
      'index.js': "const fs = require('fs');\nexports.handler = async () => { try { fs.writeFileSync('/tmp/big', ''); fs.truncateSync('/tmp/big', 700 * 1024 * 1024); return 'fits'; } catch (err) { return err.code; } finally { fs.rmSync('/tmp/big', { force: true }); } };",
    });
    const created = await cluster.client.createFunction({ functionName: name, zipFile: code, memorySizeMb: 2048 });
    expect(created.ephemeralStorageMb).toBe(512);
    expect((await cluster.client.invoke({ functionName: name, payload: '{}' })).payloadText).toBe('"ENOSPC"');
    const updated = await cluster.client.updateFunction({ functionName: name, ephemeralStorageMb: 1024 });
    expect(updated.ephemeralStorageMb).toBe(1024);
    expect((await cluster.client.getFunction(name)).ephemeralStorageMb).toBe(1024);
    expect((await cluster.client.invoke({ functionName: name, payload: '{}' })).payloadText).toBe('"fits"');
    for (const bad of [511, 10_241]) {
      await expect(cluster.client.updateFunction({ functionName: name, ephemeralStorageMb: bad })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('ephemeralStorageMb must be a whole number from 512 to 10240 MB'),
      });
    }
  });
});
