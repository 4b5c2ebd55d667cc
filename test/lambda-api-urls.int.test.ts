import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  type LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { asyncState } from './support/async.js';
import { indexJs } from './support/code.js';
import { awsCliMissing, useAwsCli } from './support/aws-cli.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

const ECHO = `exports.handler = async (event) => ({ echo: event });`;
/** Answers with the event it got and the version that ran. */
const URL_ECHO = `exports.handler = async (event, context) => ({ version: context.functionVersion, arn: context.invokedFunctionArn, event });`;
/** The cluster's function URL domain: URLs are given host-based under it. */
const URL_DOMAIN = 'lambda-url.test.on.aws';

let cluster: TestCluster;
let endpoint: string;
let keyId: string;
let secret: string;
let client: LambdaClient;

beforeAll(async () => {
  const domain = { STRATUS_FUNCTION_URL_DOMAIN: URL_DOMAIN };
  cluster = await startTestCluster({ nodes: 1, env: { frontend: domain, combined: domain } });
  ({ endpoint, keyId, secret } = lambdaApiAdmin(cluster));
  client = lambdaClient({ endpoint, keyId, secret });
  for (const name of ['async-rest', 'async-target', 'async-cli']) {
    await client.send(new CreateFunctionCommand({ FunctionName: name, Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
  }
  await client.send(new CreateFunctionCommand({ FunctionName: 'hosted', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(URL_ECHO) } }));
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
});

describe('event-invoke-config over the Lambda REST API, driven by @aws-sdk/client-lambda', () => {
  it('puts, updates, reads, lists and deletes a function event invoke config through the async layer', async () => {
    await expect(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    expect((await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async-rest' }))).FunctionEventInvokeConfigs).toEqual([]);

    const put = await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'async-rest',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 600,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:local:000000000000:function:async-target' } },
      }),
    );
    expect(put).toMatchObject({
      FunctionArn: 'arn:aws:lambda:local:000000000000:function:async-rest:$LATEST',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:local:000000000000:function:async-target' } },
    });
    // LastModified is a timestamp on the wire (epoch seconds), which the SDK hands over as a Date.
    expect(put.LastModified).toBeInstanceOf(Date);
    expect(Math.abs((put.LastModified?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    // The gRPC API sees the same configuration: one layer behind both.
    expect(await cluster.client.getFunctionEventInvokeConfig('async-rest')).toMatchObject({ maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600 });

    // Update changes only what it names; Put replaces the whole configuration.
    const updated = await client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', MaximumRetryAttempts: 0 }));
    expect(updated).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600, DestinationConfig: { OnFailure: { Destination: expect.stringContaining('async-target') as unknown } } });
    const replaced = await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', MaximumEventAgeInSeconds: 120 }));
    expect(replaced).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120, DestinationConfig: {} });
    expect(replaced.DestinationConfig?.OnFailure?.Destination).toBeUndefined();

    expect((await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', Qualifier: '$LATEST' }))).MaximumEventAgeInSeconds).toBe(120);
    const listed = await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async-rest', MaxItems: 10 }));
    expect(listed.FunctionEventInvokeConfigs).toHaveLength(1);
    expect(listed.NextMarker).toBeUndefined();

    await client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest' }));
    await expect(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses what the async layer refuses, naming Lambda fields', async () => {
    await expect(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', MaximumRetryAttempts: 3 }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('MaximumRetryAttempts') as unknown,
    });
    await expect(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', MaximumEventAgeInSeconds: 59 }))).rejects.toMatchObject({
      message: expect.stringContaining('MaximumEventAgeInSeconds') as unknown,
    });
    await expect(
      client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', DestinationConfig: { OnSuccess: { Destination: 'nats:$SYS.>' } } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('DestinationConfig.OnSuccess.Destination') as unknown });
    // A qualifier must name an alias or version that exists (per-qualifier configurations: test/event-invoke-config.int.test.ts).
    await expect(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-rest', Qualifier: 'prod', MaximumRetryAttempts: 1 }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'no-such-function', MaximumRetryAttempts: 1 }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const unknownField = await fetch(`${endpoint}/2019-09-25/functions/async-rest/event-invoke-config`, { method: 'PUT', body: '{}' });
    expect(unknownField.status).toBe(403);
  });

  it('answers Invoke with InvocationType Event 202 once the event is stored, and the async layer runs it', async () => {
    const accepted = await client.send(new InvokeCommand({ FunctionName: 'async-rest', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
    expect(accepted.StatusCode).toBe(202);
    expect(accepted.Payload?.byteLength ?? 0).toBe(0);
    const requestId = accepted.$metadata.requestId ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const done = await asyncState(cluster.client, requestId, ['succeeded']);
    expect(done).toMatchObject({ functionName: 'async-rest', attempts: 1 });
    // Lambda's async limits hold on this path too: not JSON, or over 1 MB, is refused before anything is stored.
    await expect(client.send(new InvokeCommand({ FunctionName: 'async-rest', InvocationType: 'Event', Payload: Buffer.from('{not json') }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'async-rest', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ big: 'x'.repeat(1024 * 1024) })) })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
  });
});

describe.skipIf(awsCliMissing)('event-invoke-config and Event invokes, driven by AWS CLI v2', () => {
  const aws = useAwsCli(() => ({ endpoint, keyId, secret })).lambda;

  it('puts, reads, lists and deletes the configuration, and invokes with --invocation-type Event', async () => {
    const put = await aws('put-function-event-invoke-config', '--function-name', 'async-cli', '--maximum-retry-attempts', '0', '--destination-config', '{"OnFailure":{"Destination":"function:async-target"}}');
    expect(put.stderr).toBe('');
    expect(JSON.parse(put.stdout)).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 21600, DestinationConfig: { OnFailure: { Destination: 'function:async-target' } } });
    expect(JSON.parse((await aws('get-function-event-invoke-config', '--function-name', 'async-cli')).stdout)).toMatchObject({ MaximumRetryAttempts: 0 });
    const listed = JSON.parse((await aws('list-function-event-invoke-configs', '--function-name', 'async-cli')).stdout) as { FunctionEventInvokeConfigs: unknown[] };
    expect(listed.FunctionEventInvokeConfigs).toHaveLength(1);
    expect((await aws('delete-function-event-invoke-config', '--function-name', 'async-cli')).code).toBe(0);
    const missing = await aws('get-function-event-invoke-config', '--function-name', 'async-cli');
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('ResourceNotFoundException');

    const invoked = await aws('invoke', '--function-name', 'async-cli', '--invocation-type', 'Event', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"a":1}', 'out.json');
    expect(invoked.code).toBe(0);
    expect(JSON.parse(invoked.stdout)).toMatchObject({ StatusCode: 202 });
  }, 180_000);
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request to the frontend's HTTP listener with the Host header given, as a browser reaching `<url-id>.lambda-url…` through DNS sends it. */
function sendTo(hostHeader: string, path: string, method = 'GET', body?: string): Promise<Answer> {
  const address = cluster.httpAddress ?? '';
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      { host: address.slice(0, address.lastIndexOf(':')), port: Number(address.slice(address.lastIndexOf(':') + 1)), method, path, headers: { host: hostHeader }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('host-based and per-alias function URLs', () => {
  it('gives each URL a stable id of its own, serves it by Host and by path, per alias, and forgets it with its alias', async () => {
    await client.send(new PublishVersionCommand({ FunctionName: 'hosted' }));
    await client.send(new CreateAliasCommand({ FunctionName: 'hosted', Name: 'live', FunctionVersion: '1' }));
    const own = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'hosted', AuthType: 'NONE' }));
    const live = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'hosted', Qualifier: 'live', AuthType: 'NONE' }));
    const port = (cluster.httpAddress ?? '').slice((cluster.httpAddress ?? '').lastIndexOf(':'));
    const hostOf = (url: string | undefined): string => new URL(url ?? '').host;
    expect(own.FunctionUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.${URL_DOMAIN.replace(/\./g, '\\.')}${port}/$`));
    expect(live.FunctionUrl).toMatch(/^http:\/\/[a-z0-9]{32}\./);
    expect(hostOf(live.FunctionUrl)).not.toBe(hostOf(own.FunctionUrl));
    expect(live.FunctionArn).toBe('arn:aws:lambda:local:000000000000:function:hosted:live');
    expect((await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'hosted', Qualifier: 'live' }))).FunctionUrl).toBe(live.FunctionUrl);
    expect((await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'hosted:live' }))).FunctionUrl).toBe(live.FunctionUrl);
    const listed = await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'hosted' }));
    expect(listed.FunctionUrlConfigs?.map((c) => c.FunctionUrl).sort()).toEqual([own.FunctionUrl, live.FunctionUrl].sort());

    // The Host picks the URL; the whole path is the function's, even one that looks like the REST API's.
    const ownAnswer = await sendTo(hostOf(own.FunctionUrl), '/2015-03-31/functions/?x=1');
    expect(ownAnswer.status).toBe(200);
    const ownBody = JSON.parse(ownAnswer.body) as { version: string; event: { rawPath: string; rawQueryString: string; requestContext: Record<string, unknown> } };
    expect(ownBody.version).toBe('$LATEST');
    expect(ownBody.event).toMatchObject({ rawPath: '/2015-03-31/functions/', rawQueryString: 'x=1' });
    const urlId = hostOf(own.FunctionUrl).slice(0, 32);
    expect(ownBody.event.requestContext).toMatchObject({ apiId: urlId, domainPrefix: urlId, domainName: hostOf(own.FunctionUrl), requestId: ownAnswer.headers['x-amzn-requestid'] });
    // Lambda's own form of the host, any region, any case, serves the same URL.
    expect((await sendTo(`${urlId.toUpperCase()}.LAMBDA-URL.eu-west-1.on.aws`, '/')).status).toBe(200);

    const liveAnswer = JSON.parse((await sendTo(hostOf(live.FunctionUrl), '/')).body) as { version: string; arn: string };
    expect(liveAnswer).toMatchObject({ version: '1', arn: 'arn:aws:lambda:local:000000000000:function:hosted:live' });
    // Path-based URLs stay for local use: `name:alias`.
    const byPath = await fetch(`http://${cluster.httpAddress ?? ''}/lambda-url/hosted:live/p`);
    expect(((await byPath.json()) as { version: string }).version).toBe('1');

    // A URL deleted and made again has a new id: the old Host serves nothing, the alias's URL is untouched.
    await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'hosted' }));
    expect((await sendTo(hostOf(own.FunctionUrl), '/')).status).toBe(403);
    const again = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'hosted', AuthType: 'NONE' }));
    expect(hostOf(again.FunctionUrl)).not.toBe(hostOf(own.FunctionUrl));
    expect((await sendTo(hostOf(own.FunctionUrl), '/')).status).toBe(403);
    expect((await sendTo(hostOf(again.FunctionUrl), '/')).status).toBe(200);
    expect((await sendTo(hostOf(live.FunctionUrl), '/')).status).toBe(200);

    // A URL is for $LATEST or an alias that exists; deleting the alias deletes its URL, as on Lambda.
    await expect(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'hosted', Qualifier: '1', AuthType: 'NONE' }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Qualifier') as unknown,
    });
    await expect(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'hosted', Qualifier: 'nope', AuthType: 'NONE' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await client.send(new DeleteAliasCommand({ FunctionName: 'hosted', Name: 'live' }));
    expect((await sendTo(hostOf(live.FunctionUrl), '/')).status).toBe(403);
    expect((await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'hosted' }))).FunctionUrlConfigs).toHaveLength(1);
    await client.send(new CreateAliasCommand({ FunctionName: 'hosted', Name: 'live', FunctionVersion: '1' }));
    await expect(client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'hosted', Qualifier: 'live' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers a Host in the form of a URL whose id names none 403, never with the REST API', async () => {
    for (const host of [`${'a'.repeat(32)}.lambda-url.us-east-1.on.aws`, `${'b'.repeat(32)}.${URL_DOMAIN}`, `short.${URL_DOMAIN}`, 'x.lambda-url.example.com']) {
      const answer = await sendTo(host, '/2015-03-31/functions/');
      expect(answer.status, host).toBe(403);
      expect(JSON.parse(answer.body), host).toEqual({ Message: 'Forbidden' });
      expect(answer.headers['x-amzn-errortype'], host).toBeUndefined();
    }
  });
});
