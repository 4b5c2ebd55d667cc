import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs, zipOf } from './support/code.js';

// One real cluster for the file: etcd, nats-server, a frontend, two worker
// nodes and the billing aggregator, each its own process.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('deploy and invoke through the frontend, NATS, a worker node and an isolate', () => {
  it('returns the handler result', async () => {
    const { client } = cluster;
    const config = await client.createFunction({
      functionName: 'greet',
      zipFile: indexJs(`
        exports.handler = async (event, context) => ({
          greeting: 'Hello, ' + event.name + '!',
          requestId: context.awsRequestId,
          functionName: context.functionName,
          memory: context.memoryLimitInMB,
          remaining: context.getRemainingTimeInMillis(),
        });
      `),
      memorySizeMb: 256,
    });
    expect(config).toMatchObject({ functionName: 'greet', handler: 'index.handler', memorySizeMb: 256, timeoutSec: 3, version: '$LATEST' });
    expect(config.codeSha256).toMatch(/^[0-9a-f]{64}$/);

    const result = await client.invoke({ functionName: 'greet', payload: '{"name":"Ada"}', logType: 'TAIL' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('');
    expect(result.executedVersion).toBe('$LATEST');
    const body = JSON.parse(result.payloadText) as Record<string, unknown>;
    expect(body).toMatchObject({ greeting: 'Hello, Ada!', requestId: result.requestId, functionName: 'greet', memory: '256' });
    expect(body['remaining']).toBeGreaterThan(0);
    expect(body['remaining']).toBeLessThanOrEqual(3000);
    expect(result.billedDurationMs).toBe(Math.max(1, Math.ceil(result.durationMs)));
    expect(result.report).toMatch(new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB`));
    expect(result.logText).toContain(`START RequestId: ${result.requestId}`);
    expect(cluster.nodes.map((n) => n.nodeId)).toContain(result.nodeId);
  });

  it('keeps module state between warm invocations of the same environment', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'counter',
      zipFile: indexJs(`let calls = 0; exports.handler = async () => ({ calls: ++calls });`),
    });
    const first = await client.invoke({ functionName: 'counter' });
    expect(first.coldStart).toBe(true);
    const second = await client.invoke({ functionName: 'counter' });
    // The warm-first placement sends the second call to the environment the first one left idle.
    expect(second.coldStart).toBe(false);
    expect(second.nodeId).toBe(first.nodeId);
    expect(JSON.parse(second.payloadText)).toEqual({ calls: 2 });
  });

  it('runs ES modules and handlers in nested folders', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'esm-nested',
      handler: 'src/app.main',
      zipFile: zipOf({
        'package.json': '{"type":"module"}',
        'src/app.js': `import { twice } from './lib.js'; export const main = async (event) => twice(event.n);`,
        'src/lib.js': `export const twice = (n) => n * 2;`,
      }),
    });
    const result = await client.invoke({ functionName: 'esm-nested', payload: '{"n":21}' });
    expect(result.payloadText).toBe('42');
  });
});

describe('function errors are results, reported the way Lambda reports them', () => {
  it('a handler that throws gives functionError Unhandled and Lambda’s error payload', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'thrower',
      zipFile: indexJs(`
        class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
        exports.handler = async () => { throw new ValidationError('name is required'); };
      `),
    });
    const result = await client.invoke({ functionName: 'thrower', payload: '{}' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    const error = JSON.parse(result.payloadText) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('ValidationError');
    expect(error.errorMessage).toBe('name is required');
    expect(Array.isArray(error.trace)).toBe(true);
  });

  it('a handler that runs past its timeout gets Sandbox.Timedout, and the node keeps serving', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'sleeper',
      timeoutSec: 1,
      zipFile: indexJs(`
        exports.handler = async (event) => {
          if (event.spin) { for (;;) {} }
          await new Promise((resolve) => setTimeout(resolve, event.ms));
          return { slept: event.ms };
        };
      `),
    });
    const timedOut = await client.invoke({ functionName: 'sleeper', payload: '{"ms":5000}' });
    expect(timedOut.functionError).toBe('Unhandled');
    expect(JSON.parse(timedOut.payloadText)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) });

    const spun = await client.invoke({ functionName: 'sleeper', payload: '{"spin":true}' });
    expect(JSON.parse(spun.payloadText)).toMatchObject({ errorType: 'Sandbox.Timedout' });

    const fine = await client.invoke({ functionName: 'sleeper', payload: '{"ms":10}' });
    expect(fine.functionError).toBe('');
    expect(JSON.parse(fine.payloadText)).toEqual({ slept: 10 });
  });
});

describe('platform errors carry a stable code', () => {
  it('invoking a missing function is FUNCTION_NOT_FOUND', async () => {
    await expect(cluster.client.invoke({ functionName: 'no-such-function' })).rejects.toSatisfy(
      (err) => hasCode(err, 'FUNCTION_NOT_FOUND') && /no-such-function/.test((err as Error).message),
    );
  });

  it('a payload that is not JSON is INVALID_PAYLOAD, and nothing runs', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'echo', zipFile: indexJs(`exports.handler = async (e) => e;`) });
    await expect(client.invoke({ functionName: 'echo', payload: '{not json' })).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_PAYLOAD') && /Could not parse request body into json/.test((err as Error).message),
    );
  });

  it('bad configuration is rejected at deploy time, naming the field', async () => {
    const { client } = cluster;
    await expect(client.createFunction({ functionName: 'big', memorySizeMb: 64, zipFile: indexJs('exports.handler = async () => 1;') })).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_ARGUMENT') && /memorySizeMb must be a whole number from 128 to 10240 MB/.test((err as Error).message),
    );
    await expect(client.createFunction({ functionName: 'bad name!', zipFile: indexJs('exports.handler = async () => 1;') })).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_ARGUMENT'),
    );
  });

  it('a handler file that is not there deploys with a warning and fails each invocation, as on Lambda', async () => {
    const { client } = cluster;
    const created = await client.createFunction({ functionName: 'nohandler', handler: 'main.handler', zipFile: indexJs('exports.handler = async () => 1;') });
    expect(created.deployWarnings).toEqual([expect.stringMatching(/no file for module 'main'.*Runtime\.ImportModuleError/)]);
    expect((await client.getFunction('nohandler')).deployWarnings).toEqual([]);
    const result = await client.invoke({ functionName: 'nohandler' });
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payloadText)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringMatching(/^Error: Cannot find module 'main'\n/) as unknown });
  });

  it('a duplicate name is FUNCTION_ALREADY_EXISTS; update and delete work', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'lifecycle', zipFile: indexJs(`exports.handler = async () => 'v1';`) });
    await expect(client.createFunction({ functionName: 'lifecycle', zipFile: indexJs(`exports.handler = async () => 'v1';`) })).rejects.toSatisfy(
      (err) => hasCode(err, 'FUNCTION_ALREADY_EXISTS'),
    );
    expect((await client.invoke({ functionName: 'lifecycle' })).payloadText).toBe('"v1"');
    await client.updateFunction({ functionName: 'lifecycle', zipFile: indexJs(`exports.handler = async () => 'v2';`), environment: { MODE: 'x' } });
    // The new code must never run in an environment built for the old code.
    expect((await client.invoke({ functionName: 'lifecycle' })).payloadText).toBe('"v2"');
    expect((await client.getFunction('lifecycle')).environment).toEqual({ MODE: 'x' });
    expect((await client.listFunctions()).map((f) => f.functionName)).toContain('lifecycle');
    await client.deleteFunction('lifecycle');
    await expect(client.getFunction('lifecycle')).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
  });
});
