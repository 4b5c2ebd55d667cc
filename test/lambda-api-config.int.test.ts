import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs, zipOf } from './support/code.js';
import { awsCliMissing, useAwsCli } from './support/aws-cli.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

// The function configuration of Lambda's REST API in Lambda's shapes, through a real cluster: LoggingConfig, Tags
// (on CreateFunction and the tag routes), Description, EphemeralStorage, Publish, and CodeSha256/CodeSize as Lambda
// computes them (the uploaded zip's), with @aws-sdk/client-lambda and AWS CLI v2 (Debian's 2.9.19 predates
// LoggingConfig, so only the SDK sets it).

const ECHO = `exports.handler = async (event, context) => ({ echo: event, version: context.functionVersion });`;

let cluster: TestCluster;
let endpoint: string;
let keyId: string;
let secret: string;
let client: LambdaClient;

const zipSha256 = (zip: Uint8Array): string => createHash('sha256').update(zip).digest('base64');
const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  ({ endpoint, keyId, secret } = lambdaApiAdmin(cluster));
  client = lambdaClient({ endpoint, keyId, secret });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
});

describe('function configuration over the Lambda REST API (@aws-sdk/client-lambda)', () => {
  it('creates with LoggingConfig, Tags, Description, EphemeralStorage and Publish, and reports them in Lambda’s shapes', async () => {
    const zip = indexJs(ECHO);
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: 'cfg-full',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/ignored',
        Handler: 'index.handler',
        Description: 'configured in full',
        Code: { ZipFile: zip },
        EphemeralStorage: { Size: 1024 },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', LogGroup: '/custom/cfg' },
        Tags: { team: 'platform', env: 'test' },
        Publish: true,
      }),
    );
    // Publish: the answer is the new version's configuration, as Lambda's.
    expect(created).toMatchObject({
      FunctionName: 'cfg-full',
      FunctionArn: 'arn:aws:lambda:local:000000000000:function:cfg-full:1',
      Version: '1',
      Description: 'configured in full',
      EphemeralStorage: { Size: 1024 },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'INFO', LogGroup: '/custom/cfg' },
      // Lambda's CodeSha256 and CodeSize are the uploaded zip's.
      CodeSha256: zipSha256(zip),
      CodeSize: zip.byteLength,
    });
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'cfg-full' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);

    const got = await client.send(new GetFunctionCommand({ FunctionName: 'cfg-full' }));
    expect(got.Tags).toEqual({ team: 'platform', env: 'test' });
    expect(got.Configuration).toMatchObject({ Version: '$LATEST', CodeSha256: zipSha256(zip), LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/cfg' } });

    // The logging setting reaches the runtime: JSON records with the configured group.
    const invoked = await client.send(new InvokeCommand({ FunctionName: 'cfg-full', LogType: 'Tail', Payload: Buffer.from('{}') }));
    const tail = Buffer.from(invoked.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toMatch(/"type":"platform\.start"/);

    // Switching to Text drops JSON's levels, as Lambda does; the group stays.
    const text = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-full', LoggingConfig: { LogFormat: 'Text' } }));
    expect(text.LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/custom/cfg' });
    const levels = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-full', LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } }));
    expect(levels.LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: '/custom/cfg' });
    await expect(
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-full', LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'DEBUG' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('LoggingConfig.ApplicationLogLevel') });
  });

  it('lists, adds and removes tags on the function ARN', async () => {
    await client.send(new CreateFunctionCommand({ FunctionName: 'cfg-tags', Role: 'r', Handler: 'index.handler', Code: { ZipFile: indexJs(ECHO) }, Tags: { a: '1' } }));
    const arn = arnOf('cfg-tags');
    expect((await client.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ a: '1' });
    const tagged = await client.send(new TagResourceCommand({ Resource: arn, Tags: { b: '2', c: '3', a: 'one' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect((await client.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ a: 'one', b: '2', c: '3' });
    await client.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['a', 'c', 'not-there'] }));
    expect((await client.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ b: '2' });

    // Tags belong to the function, not to a version; Lambda's limits name the field.
    await expect(client.send(new ListTagsCommand({ Resource: `${arn}:1` }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expect(client.send(new TagResourceCommand({ Resource: arn, Tags: many }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/Tags: 52 tags; the limit is 50/),
    });
    await expect(client.send(new TagResourceCommand({ Resource: arn, Tags: { 'aws:owner': 'x' } }))).rejects.toMatchObject({
      message: expect.stringContaining('reserved'),
    });
    await expect(client.send(new ListTagsCommand({ Resource: arnOf('cfg-missing') }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('keeps CodeSha256 stable for the same zip, changes it with the code, and publishes on UpdateFunctionCode', async () => {
    const first = zipOf({ 'index.js': ECHO });
    const created = await client.send(new CreateFunctionCommand({ FunctionName: 'cfg-code', Role: 'r', Handler: 'index.handler', Code: { ZipFile: first } }));
    expect(created.CodeSha256).toBe(zipSha256(first));
    const same = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-code', ZipFile: first }));
    expect(same.CodeSha256).toBe(created.CodeSha256);

    const second = zipOf({ 'index.js': ECHO.replace('echo:', 'again:') });
    const published = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-code', ZipFile: second, Publish: true }));
    expect(published).toMatchObject({ Version: '1', CodeSha256: zipSha256(second), CodeSize: second.byteLength });
    const latest = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-code' }));
    expect(latest.CodeSha256).toBe(zipSha256(second));

    // PublishVersion's CodeSha256 precondition takes the value Lambda reported.
    await expect(client.send(new PublishVersionCommand({ FunctionName: 'cfg-code', CodeSha256: zipSha256(first) }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('is different from current CodeSHA256'),
    });
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'cfg-code', CodeSha256: zipSha256(second) }));
    // Nothing changed since version 1: Lambda returns it.
    expect(again.Version).toBe('1');
  });
});

describe('ClientContext', () => {
  const CONTEXT = `exports.handler = async (event, context) => ({ clientContext: context.clientContext === undefined ? 'undefined' : context.clientContext });`;
  const base64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
  const clientContext = { client: { installation_id: 'i-1', app_title: 'Probe', app_version_name: '1.0' }, custom: { k: 'v', note: 'ünïcode' }, env: { locale: 'en_GB' } };

  it("reaches the handler's context.clientContext as sent, over the REST API and gRPC; none is undefined", async () => {
    await client.send(new CreateFunctionCommand({ FunctionName: 'cfg-context', Role: 'r', Handler: 'index.handler', Code: { ZipFile: indexJs(CONTEXT) } }));
    const payloadOf = (bytes: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));
    const viaRest = await client.send(new InvokeCommand({ FunctionName: 'cfg-context', ClientContext: base64(clientContext) }));
    expect(payloadOf(viaRest.Payload)).toEqual({ clientContext });
    const viaGrpc = await cluster.client.invoke({ functionName: 'cfg-context', clientContext: base64({ custom: { via: 'grpc' } }) });
    expect(JSON.parse(viaGrpc.payloadText)).toEqual({ clientContext: { custom: { via: 'grpc' } } });
    // The environment is warm and shared: the next call without one sees none, as on Lambda.
    const none = await client.send(new InvokeCommand({ FunctionName: 'cfg-context' }));
    expect(payloadOf(none.Payload)).toEqual({ clientContext: 'undefined' });
  });

  it('refuses a ClientContext that is too long, not base64, or not a JSON object, naming the problem', async () => {
    const refused = (value: string): Promise<unknown> => client.send(new InvokeCommand({ FunctionName: 'cfg-context', ClientContext: value })).then(
      () => 'accepted',
      (err: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => ({ name: err.name, status: err.$metadata?.httpStatusCode, message: err.message }),
    );
    expect(await refused(base64({ custom: { pad: 'x'.repeat(3000) } }))).toMatchObject({ status: 400, message: expect.stringMatching(/ClientContext: must be at most 3583 characters of base64/) });
    expect(await refused('not base64!')).toMatchObject({ status: 400, name: 'InvalidRequestContentException', message: expect.stringContaining('it is not base64') });
    expect(await refused(Buffer.from('{"custom":').toString('base64'))).toMatchObject({ status: 400, name: 'InvalidRequestContentException' });
    expect(await refused(base64([1, 2]))).toMatchObject({ status: 400, message: expect.stringContaining('not an object') });
    await expect(cluster.client.invoke({ functionName: 'cfg-context', clientContext: base64('text') })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe.skipIf(awsCliMissing)('function configuration over the Lambda REST API (AWS CLI v2)', () => {
  const zip = indexJs(ECHO);
  const cli = useAwsCli(() => ({ endpoint, keyId, secret }), { 'fn.zip': zip });
  const aws = cli.lambda;

  it('creates with tags, a description and ephemeral storage, publishing; tags and untags; reports the zip’s CodeSha256', async () => {
    const created = await aws(
      'create-function', '--function-name', 'cli-cfg', '--zip-file', 'fileb://fn.zip', '--handler', 'index.handler', '--runtime', 'nodejs20.x',
      '--role', 'arn:aws:iam::000000000000:role/x', '--tags', 'team=x', '--description', 'from the CLI', '--ephemeral-storage', 'Size=2048', '--publish',
    );
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({
      Version: '1',
      // The hash the CLI's users compare with `openssl dgst -sha256 -binary fn.zip | base64`.
      CodeSha256: zipSha256(zip),
      CodeSize: zip.byteLength,
      Description: 'from the CLI',
      EphemeralStorage: { Size: 2048 },
    });
    const arn = arnOf('cli-cfg');
    expect((await aws('tag-resource', '--resource', arn, '--tags', 'owner=ada,tier=gold')).code).toBe(0);
    expect((await aws('untag-resource', '--resource', arn, '--tag-keys', 'team', 'tier')).code).toBe(0);
    expect(JSON.parse((await aws('list-tags', '--resource', arn)).stdout)).toEqual({ Tags: { owner: 'ada' } });
    expect(JSON.parse((await aws('get-function', '--function-name', 'cli-cfg')).stdout)).toMatchObject({ Tags: { owner: 'ada' } });
    // Each AWS CLI run starts Python (seconds on a loaded CI machine).
  }, 180_000);
});
