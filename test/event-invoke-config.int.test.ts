import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  type LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import type { StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';
import { runStratus } from './support/cli.js';
import { awsCliMissing, useAwsCli } from './support/aws-cli.js';
import { FAST_ASYNC, asyncState } from './support/async.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

// Event-invoke configuration per qualifier, as Lambda keeps it: the function's own (unqualified or $LATEST),
// and one per alias or version, each applying only to events that name that qualifier. Backoffs are shortened
// so the retries these tests count take a fraction of a second.
const ARN = 'arn:aws:lambda:local:000000000000:function';

let cluster: TestCluster;
let client: StratusClient;
let lambda: LambdaClient;
let endpoint: string;
let keyId: string;
let secret: string;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  client = cluster.client;
  ({ endpoint, keyId, secret } = lambdaApiAdmin(cluster));
  lambda = lambdaClient({ endpoint, keyId, secret });
}, 120_000);
afterAll(async () => {
  lambda?.destroy();
  await cluster?.stop();
});

const FAILING = `exports.handler = async () => { throw new Error('told to fail'); };`;
const ECHO = `exports.handler = async (event) => ({ echo: event });`;

/** A function with version 1 and the aliases given, all on version 1. */
async function deployWithAliases(functionName: string, source: string, aliases: readonly string[]): Promise<void> {
  await client.createFunction({ functionName, zipFile: indexJs(source), timeoutSec: 10 });
  await client.publishVersion({ functionName });
  for (const name of aliases) await client.createAlias({ functionName, name, functionVersion: '1' });
}

function settled(requestId: string, states: readonly string[], timeoutMs = 90_000): Promise<AsyncInvocationMessage> {
  return asyncState(client, requestId, states, timeoutMs);
}

describe('event-invoke config per qualifier over gRPC', () => {
  it('keeps one configuration for the function and one per alias or version, and lists them all', async () => {
    await deployWithAliases('eic-grpc', ECHO, ['prod', 'beta']);
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-grpc', maximumRetryAttempts: 0 });
    const prod = await client.putFunctionEventInvokeConfig({ functionName: 'eic-grpc', qualifier: 'prod', maximumRetryAttempts: 1, onFailure: 'nats:prod.failed' });
    expect(prod).toMatchObject({ functionArn: `${ARN}:eic-grpc:prod`, maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: 'nats:prod.failed' } } });
    // `name:qualifier` names it as well as the qualifier field.
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-grpc:1', maximumEventAgeInSeconds: 300 });

    expect(await client.getFunctionEventInvokeConfig('eic-grpc')).toMatchObject({ functionArn: `${ARN}:eic-grpc:$LATEST`, maximumRetryAttempts: 0 });
    expect(await client.getFunctionEventInvokeConfig('eic-grpc', '$LATEST')).toMatchObject({ maximumRetryAttempts: 0 });
    expect(await client.getFunctionEventInvokeConfig('eic-grpc', 'prod')).toMatchObject({ maximumRetryAttempts: 1 });
    expect(await client.getFunctionEventInvokeConfig('eic-grpc', '1')).toMatchObject({ functionArn: `${ARN}:eic-grpc:1`, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 });
    // No fallback: an alias without its own configuration has none, whatever the function has.
    await expect(client.getFunctionEventInvokeConfig('eic-grpc', 'beta')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND', message: expect.stringContaining('eic-grpc:beta') as unknown });

    // Update merges into the qualifier's own configuration only.
    expect(await client.updateFunctionEventInvokeConfig({ functionName: 'eic-grpc', qualifier: 'prod', maximumEventAgeInSeconds: 120 })).toMatchObject({
      maximumRetryAttempts: 1,
      maximumEventAgeInSeconds: 120,
      destinationConfig: { onFailure: { destination: 'nats:prod.failed' } },
    });
    expect(await client.getFunctionEventInvokeConfig('eic-grpc')).toMatchObject({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 21600 });

    // A deploy and a publish keep every one of them.
    await client.updateFunction({ functionName: 'eic-grpc', timeoutSec: 5 });
    await client.publishVersion({ functionName: 'eic-grpc' });
    const arns = (await client.listFunctionEventInvokeConfigs('eic-grpc')).map((config) => config.functionArn);
    expect(arns).toEqual([`${ARN}:eic-grpc:$LATEST`, `${ARN}:eic-grpc:prod`, `${ARN}:eic-grpc:1`]);

    // Deleting one leaves the others; deleting an alias or a version takes its configuration with it.
    await client.deleteFunctionEventInvokeConfig('eic-grpc', 'prod');
    await expect(client.getFunctionEventInvokeConfig('eic-grpc', 'prod')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND' });
    await expect(client.deleteFunctionEventInvokeConfig('eic-grpc', 'prod')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND' });
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-grpc', qualifier: 'beta', maximumRetryAttempts: 0 });
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-grpc', qualifier: '2', maximumRetryAttempts: 0 });
    await client.deleteAlias('eic-grpc', 'beta');
    await client.deleteFunction('eic-grpc', '2');
    expect((await client.listFunctionEventInvokeConfigs('eic-grpc')).map((config) => config.functionArn)).toEqual([`${ARN}:eic-grpc:$LATEST`, `${ARN}:eic-grpc:1`]);
    await client.createAlias({ functionName: 'eic-grpc', name: 'beta', functionVersion: '1' });
    await expect(client.getFunctionEventInvokeConfig('eic-grpc', 'beta')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND' });
  });

  it('refuses a qualifier that names no alias or version, and a malformed one', async () => {
    await deployWithAliases('eic-refuse', ECHO, []);
    await expect(client.putFunctionEventInvokeConfig({ functionName: 'eic-refuse', qualifier: 'nope', maximumRetryAttempts: 0 })).rejects.toMatchObject({
      code: 'FUNCTION_NOT_FOUND',
      message: expect.stringContaining('eic-refuse:nope') as unknown,
    });
    await expect(client.putFunctionEventInvokeConfig({ functionName: 'eic-refuse', qualifier: '7', maximumRetryAttempts: 0 })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    for (const qualifier of ['a/b', '../x', 'x'.repeat(200), '$LATEST2']) {
      await expect(client.putFunctionEventInvokeConfig({ functionName: 'eic-refuse', qualifier, maximumRetryAttempts: 0 }), qualifier).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('qualifier') as unknown,
      });
    }
    await expect(client.putFunctionEventInvokeConfig({ functionName: 'eic-refuse:1', qualifier: 'other', maximumRetryAttempts: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(client.listFunctionEventInvokeConfigs('eic-refuse:1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await client.listFunctionEventInvokeConfigs('eic-refuse')).toEqual([]);
  });

  it('runs an Event invoke of an alias under the alias’s configuration, and one of an alias without one under Lambda’s defaults', { timeout: 180_000 }, async () => {
    await deployWithAliases('eic-run', FAILING, ['prod', 'beta']);
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-run', maximumRetryAttempts: 0 });
    await client.putFunctionEventInvokeConfig({ functionName: 'eic-run', qualifier: 'prod', maximumRetryAttempts: 1 });
    const invoke = async (qualifier: string): Promise<string> => (await client.invoke({ functionName: 'eic-run', qualifier, payload: '{}', invocationType: 'EVENT' })).requestId;
    const [unqualified, prod, beta, version] = [await invoke(''), await invoke('prod'), await invoke('beta'), await invoke('1')];
    // The function's own: no retry. prod's: one. beta and version 1 have none of their own: Lambda's default of two, not the function's.
    expect(await settled(unqualified, ['failed'])).toMatchObject({ attempts: 1 });
    expect(await settled(prod, ['failed'])).toMatchObject({ attempts: 2, qualifier: 'prod' });
    expect(await settled(beta, ['failed'])).toMatchObject({ attempts: 3, qualifier: 'beta' });
    expect(await settled(version, ['failed'])).toMatchObject({ attempts: 3, qualifier: '1' });
  });
});

describe('event-invoke config per qualifier over the Lambda REST API, driven by @aws-sdk/client-lambda', () => {
  it('puts, updates, reads, lists page by page and deletes each qualifier’s configuration', async () => {
    await deployWithAliases('eic-rest', ECHO, ['live', 'canary']);
    const live = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: 'live', MaximumRetryAttempts: 1 }));
    expect(live).toMatchObject({ FunctionArn: `${ARN}:eic-rest:live`, MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 21600 });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: `${ARN}:eic-rest:canary`, MaximumRetryAttempts: 0 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', MaximumEventAgeInSeconds: 60 }));
    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: 'live', MaximumEventAgeInSeconds: 600 }));
    expect(updated).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600 });
    expect(await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest:canary' }))).toMatchObject({ FunctionArn: `${ARN}:eic-rest:canary`, MaximumRetryAttempts: 0 });
    expect(await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: '$LATEST' }))).toMatchObject({ MaximumEventAgeInSeconds: 60 });
    await expect(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: '1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: 'gone', MaximumRetryAttempts: 1 }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const first = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic-rest', MaxItems: 2 }));
    expect(first.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN}:eic-rest:$LATEST`, `${ARN}:eic-rest:live`]);
    expect(first.NextMarker).toBeTruthy();
    const second = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic-rest', MaxItems: 2, Marker: first.NextMarker }));
    expect(second.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN}:eic-rest:canary`]);
    expect(second.NextMarker).toBeUndefined();
    await expect(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic-rest', Marker: 'bm9wZQ==' }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });

    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: 'live' }));
    await expect(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-rest', Qualifier: 'live' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic-rest' }))).FunctionEventInvokeConfigs).toHaveLength(2);
  });
});

describe.skipIf(awsCliMissing)('event-invoke config per qualifier, driven by AWS CLI v2', () => {
  const aws = useAwsCli(() => ({ endpoint, keyId, secret })).lambda;

  it('puts, reads, lists and deletes an alias’s configuration with --qualifier', async () => {
    await deployWithAliases('eic-cli', ECHO, ['prod']);
    const put = await aws('put-function-event-invoke-config', '--function-name', 'eic-cli', '--qualifier', 'prod', '--maximum-retry-attempts', '0');
    expect(put.stderr).toBe('');
    expect(JSON.parse(put.stdout)).toMatchObject({ FunctionArn: `${ARN}:eic-cli:prod`, MaximumRetryAttempts: 0 });
    expect(JSON.parse((await aws('get-function-event-invoke-config', '--function-name', 'eic-cli', '--qualifier', 'prod')).stdout)).toMatchObject({ MaximumRetryAttempts: 0 });
    const unqualified = await aws('get-function-event-invoke-config', '--function-name', 'eic-cli');
    expect(unqualified.code).toBe(254);
    expect(unqualified.stderr).toContain('ResourceNotFoundException');
    const listed = JSON.parse((await aws('list-function-event-invoke-configs', '--function-name', 'eic-cli')).stdout) as { FunctionEventInvokeConfigs: Array<{ FunctionArn: string }> };
    expect(listed.FunctionEventInvokeConfigs.map((c) => c.FunctionArn)).toEqual([`${ARN}:eic-cli:prod`]);
    expect((await aws('delete-function-event-invoke-config', '--function-name', 'eic-cli', '--qualifier', 'prod')).code).toBe(0);
  }, 180_000);
});

describe('stratus async config --qualifier and --list', { timeout: 120_000 }, () => {
  it('changes, shows, lists and removes an alias’s settings', async () => {
    await deployWithAliases('eic-stratus', ECHO, ['prod']);
    const set = await runStratus(cluster, ['async', 'config', 'eic-stratus', '--qualifier', 'prod', '--retries', '0', '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ functionArn: `${ARN}:eic-stratus:prod`, maximumRetryAttempts: 0 });
    const shown = await runStratus(cluster, ['async', 'config', 'eic-stratus', '--qualifier', 'prod']);
    expect(shown.stdout).toMatch(/retries\s+0/);
    const listed = await runStratus(cluster, ['async', 'config', 'eic-stratus', '--list', '--json']);
    expect((JSON.parse(listed.stdout) as { functionEventInvokeConfigs: unknown[] }).functionEventInvokeConfigs).toHaveLength(1);
    const missing = await runStratus(cluster, ['async', 'config', 'eic-stratus', '--qualifier', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('FUNCTION_NOT_FOUND');
    const removed = await runStratus(cluster, ['async', 'config', 'eic-stratus', '--qualifier', 'prod', '--delete']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('eic-stratus:prod');
  });
});
