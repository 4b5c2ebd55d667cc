import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';
import { Sha256 } from './support/sha256.js';
import { awsCliMissing, useAwsCli } from './support/aws-cli.js';
import { lambdaApiAdmin } from './support/lambda-api.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const ECHO = `exports.handler = async (event, context) => { console.log('hello from', context.functionName); return { echo: event, version: context.functionVersion, env: process.env.GREETING ?? null }; };`;
const FAILING = `exports.handler = async () => { throw new Error('boom'); };`;

let cluster: TestCluster;
let endpoint: string;
let keyId: string;
let secret: string;

function lambda(credentials: { accessKeyId: string; secretAccessKey: string } = { accessKeyId: keyId, secretAccessKey: secret }): LambdaClient {
  // One attempt: a refused call must fail here, not be retried into a timeout.
  return new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  ({ endpoint, keyId, secret } = lambdaApiAdmin(cluster));
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the Lambda REST API, driven by @aws-sdk/client-lambda', () => {
  it('creates, reads, invokes, updates, lists and deletes a function', async () => {
    const client = lambda();
    try {
      const created = await client.send(
        new CreateFunctionCommand({
          FunctionName: 'sdk-echo',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::000000000000:role/ignored',
          Handler: 'index.handler',
          Code: { ZipFile: indexJs(ECHO) },
          MemorySize: 256,
          Timeout: 5,
          Environment: { Variables: { GREETING: 'hi' } },
        }),
      );
      expect(created).toMatchObject({
        FunctionName: 'sdk-echo',
        FunctionArn: 'arn:aws:lambda:local:000000000000:function:sdk-echo',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 5,
        Version: '$LATEST',
        State: 'Active',
        Environment: { Variables: { GREETING: 'hi' } },
        EphemeralStorage: { Size: 512 },
      });
      expect(created.$metadata.httpStatusCode).toBe(201);

      const got = await client.send(new GetFunctionCommand({ FunctionName: 'sdk-echo' }));
      expect(got.Configuration?.CodeSha256).toBe(created.CodeSha256);
      expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-echo' }))).MemorySize).toBe(256);

      const invoked = await client.send(new InvokeCommand({ FunctionName: 'sdk-echo', Payload: Buffer.from('{"hello":"world"}'), LogType: 'Tail' }));
      expect(invoked.StatusCode).toBe(200);
      expect(invoked.ExecutedVersion).toBe('$LATEST');
      expect(invoked.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString('utf8'))).toEqual({ echo: { hello: 'world' }, version: '$LATEST', env: 'hi' });
      const tail = Buffer.from(invoked.LogResult ?? '', 'base64').toString('utf8');
      expect(tail).toContain('hello from sdk-echo');
      expect(tail).toMatch(/^REPORT RequestId: /m);

      // An ARN names the function, as with Lambda: the SDK sends it percent-encoded and signs it encoded twice.
      const byArn = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-echo', Qualifier: '$LATEST' }));
      expect(JSON.parse(Buffer.from(byArn.Payload ?? []).toString('utf8'))).toMatchObject({ echo: {} });

      const dry = await client.send(new InvokeCommand({ FunctionName: 'sdk-echo', InvocationType: 'DryRun' }));
      expect(dry.StatusCode).toBe(204);

      const reconfigured = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-echo', Timeout: 10, Environment: { Variables: { GREETING: 'hello' } } }));
      expect(reconfigured).toMatchObject({ Timeout: 10, MemorySize: 256, Environment: { Variables: { GREETING: 'hello' } } });
      const recoded = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-echo', ZipFile: indexJs(FAILING) }));
      expect(recoded.CodeSha256).not.toBe(created.CodeSha256);
      const failed = await client.send(new InvokeCommand({ FunctionName: 'sdk-echo', Payload: Buffer.from('{}') }));
      expect(failed.StatusCode).toBe(200);
      expect(failed.FunctionError).toBe('Unhandled');
      expect(JSON.parse(Buffer.from(failed.Payload ?? []).toString('utf8'))).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });

      await client.send(new DeleteFunctionCommand({ FunctionName: 'sdk-echo' }));
      await expect(client.send(new GetFunctionCommand({ FunctionName: 'sdk-echo' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 404 },
      });
    } finally {
      client.destroy();
    }
  });

  it('pages through ListFunctions with Marker and MaxItems', async () => {
    const client = lambda();
    try {
      for (const name of ['page-a', 'page-b', 'page-c']) {
        await client.send(new CreateFunctionCommand({ FunctionName: name, Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
      }
      const first = await client.send(new ListFunctionsCommand({ MaxItems: 1 }));
      expect(first.Functions).toHaveLength(1);
      expect(first.NextMarker).toBeDefined();
      const names: string[] = [];
      for await (const page of paginateListFunctions({ client, pageSize: 1 }, {})) {
        expect(page.Functions?.length).toBeLessThanOrEqual(1);
        names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      }
      expect(names.filter((n) => n.startsWith('page-'))).toEqual(['page-a', 'page-b', 'page-c']);
      await expect(client.send(new ListFunctionsCommand({ MaxItems: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
      const settings = await client.send(new GetAccountSettingsCommand({}));
      expect(settings.AccountUsage?.FunctionCount).toBeGreaterThanOrEqual(3);
      expect(settings.AccountLimit?.CodeSizeZipped).toBe(50 * 1024 * 1024);
    } finally {
      client.destroy();
    }
  });

  it('sets, reads and removes reserved concurrency, and throttles past it as Lambda does', async () => {
    const client = lambda();
    try {
      await client.send(new CreateFunctionCommand({ FunctionName: 'limited', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
      expect((await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 0 }))).ReservedConcurrentExecutions).toBe(0);
      expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'limited' }))).ReservedConcurrentExecutions).toBe(0);
      await expect(client.send(new InvokeCommand({ FunctionName: 'limited' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        $metadata: { httpStatusCode: 429 },
      });
      await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'limited' }));
      expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'limited' }))).ReservedConcurrentExecutions).toBeUndefined();
      expect((await client.send(new InvokeCommand({ FunctionName: 'limited' }))).StatusCode).toBe(200);
    } finally {
      client.destroy();
    }
  });

  it('answers errors with Lambda error documents', async () => {
    const client = lambda();
    try {
      await expect(
        client.send(new CreateFunctionCommand({ FunctionName: 'bad memory', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
      await client.send(new CreateFunctionCommand({ FunctionName: 'twice', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
      await expect(
        client.send(new CreateFunctionCommand({ FunctionName: 'twice', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } })),
      ).rejects.toMatchObject({ name: 'ResourceConflictException', message: 'Function already exist: twice', $metadata: { httpStatusCode: 409 } });
      await expect(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'twice', MemorySize: 64 }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: expect.stringContaining('MemorySize') as unknown,
      });
      await expect(client.send(new InvokeCommand({ FunctionName: 'twice', Payload: Buffer.from('{not json') }))).rejects.toMatchObject({
        name: 'InvalidRequestContentException',
      });
      await expect(client.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    } finally {
      client.destroy();
    }
  });
});

const URL_HANDLER = `exports.handler = async (event) => {
  if (event.rawPath === '/fail') throw new Error('boom');
  if (event.rawPath === '/plain') return { plain: true };
  if (event.rawPath === '/text') return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'é€😀'.repeat(Number(event.queryStringParameters.n)) };
  return { statusCode: 201, headers: { 'x-echo': 'yes' }, cookies: ['a=1; Path=/'], body: JSON.stringify(event) };
};`;

describe('versions and aliases', () => {
  it('publishes versions, routes an alias between two of them and invokes by qualifier', async () => {
    const client = lambda();
    try {
      await client.send(new CreateFunctionCommand({ FunctionName: 'versioned', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
      const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'versioned', Description: 'first' }));
      expect(v1).toMatchObject({ Version: '1', FunctionArn: 'arn:aws:lambda:local:000000000000:function:versioned:1', Description: 'first' });
      expect(v1.$metadata.httpStatusCode).toBe(201);
      await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versioned', Environment: { Variables: { GREETING: 'two' } } }));
      const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
      expect(v2.Version).toBe('2');
      const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
      expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
      expect((await client.send(new GetFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' }))).Configuration?.Version).toBe('1');

      const alias = await client.send(new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
      expect(alias).toMatchObject({ AliasArn: 'arn:aws:lambda:local:000000000000:function:versioned:live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } });
      const executed = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const invoked = await client.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: 'live' }));
        executed.add(invoked.ExecutedVersion ?? '');
      }
      expect([...executed].sort()).toEqual(['1', '2']);
      const byArn = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:local:000000000000:function:versioned:2' }));
      expect(byArn.ExecutedVersion).toBe('2');

      const moved = await client.send(new UpdateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
      expect(moved.FunctionVersion).toBe('2');
      expect((await client.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'live' }))).RoutingConfig).toBeUndefined();
      expect((await client.send(new ListAliasesCommand({ FunctionName: 'versioned' }))).Aliases?.map((a) => a.Name)).toEqual(['live']);
      await client.send(new DeleteAliasCommand({ FunctionName: 'versioned', Name: 'live' }));
      await expect(client.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'live' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      client.destroy();
    }
  });
});

describe('function URLs', () => {
  it('serves a function at its URL with payload format 2.0 and Lambda response mapping, CORS and 502 on errors', async () => {
    const client = lambda();
    try {
      await client.send(new CreateFunctionCommand({ FunctionName: 'web', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(URL_HANDLER) } }));
      const created = await client.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE', Cors: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 60 } }),
      );
      expect(created.FunctionUrl).toBe(`${endpoint}/lambda-url/web/`);
      expect(created).toMatchObject({ AuthType: 'NONE', Cors: { AllowOrigins: ['https://example.com'] } });
      await expect(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }))).rejects.toMatchObject({ name: 'ResourceConflictException' });

      const answer = await fetch(`${created.FunctionUrl ?? ''}items/7?x=1&x=2&y=%20z`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', origin: 'https://example.com', 'x-multi': 'a' },
        body: '{"hello":"url"}',
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('x-echo')).toBe('yes');
      expect(answer.headers.get('set-cookie')).toBe('a=1; Path=/');
      expect(answer.headers.get('access-control-allow-origin')).toBe('https://example.com');
      const event = (await answer.json()) as Record<string, unknown>;
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: '$default',
        rawPath: '/items/7',
        rawQueryString: 'x=1&x=2&y=%20z',
        cookies: ['c1=v1', 'c2=v2'],
        queryStringParameters: { x: '1,2', y: ' z' },
        body: '{"hello":"url"}',
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', path: '/items/7', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' }, routeKey: '$default', stage: '$default' },
      });
      expect((event['headers'] as Record<string, string>)['x-multi']).toBe('a');
      expect(event['headers']).not.toHaveProperty('cookie');

      const plain = await fetch(`${created.FunctionUrl ?? ''}plain`);
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('application/json');
      expect(await plain.json()).toEqual({ plain: true });

      // Small answers leave in one write with their headers, large ones as a chunk of their own: both byte for byte.
      for (const n of [1, 1000, 20_000]) {
        const text = await fetch(`${created.FunctionUrl ?? ''}text?n=${n}`);
        expect(text.headers.get('content-length'), `n=${n}`).toBe(String(Buffer.byteLength('é€😀') * n));
        expect(await text.text(), `n=${n}`).toBe('é€😀'.repeat(n));
      }

      const failed = await fetch(`${created.FunctionUrl ?? ''}fail`);
      expect(failed.status).toBe(502);
      expect(await failed.json()).toEqual({ Message: 'Internal Server Error' });

      const preflight = await fetch(created.FunctionUrl ?? '', { method: 'OPTIONS', headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(preflight.headers.get('access-control-max-age')).toBe('60');
      const otherOrigin = await fetch(created.FunctionUrl ?? '', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();

      // AWS_IAM: only a request signed by a key with the invoke scope gets through.
      const updated = await client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
      expect(updated).toMatchObject({ AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['https://example.com'] } });
      expect((await fetch(`${created.FunctionUrl ?? ''}plain`)).status).toBe(403);
      const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials: { accessKeyId: keyId, secretAccessKey: secret }, sha256: Sha256 });
      const target = new URL(`${created.FunctionUrl ?? ''}plain`);
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname, query: {}, headers: { host: target.host } });
      const signedAnswer = await fetch(target, { headers: signed.headers });
      expect(signedAnswer.status).toBe(200);

      expect((await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).AuthType).toBe('AWS_IAM');
      expect((await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }))).FunctionUrlConfigs).toHaveLength(1);
      await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web' }));
      expect((await fetch(`${created.FunctionUrl ?? ''}plain`)).status).toBe(403);
      await expect(client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      client.destroy();
    }
  });
});

describe('stratus url', () => {
  it('creates a URL with the CLI and prints it, which then serves the function', async () => {
    const client = lambda();
    try {
      await client.send(new CreateFunctionCommand({ FunctionName: 'cli-web', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(URL_HANDLER) } }));
    } finally {
      client.destroy();
    }
    const stratus = (...args: string[]): Promise<{ stdout: string }> =>
      run(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/stratus.js'), ...args], { env: { ...process.env, STRATUS_API_KEY: cluster.apiKey, STRATUS_HTTP_ENDPOINT: endpoint } });
    const { stdout } = await stratus('url', 'create', 'cli-web', '--json');
    const { functionUrl } = JSON.parse(stdout) as { functionUrl: string };
    expect(functionUrl).toBe(`${endpoint}/lambda-url/cli-web/`);
    expect(await (await fetch(`${functionUrl}plain`)).json()).toEqual({ plain: true });
    expect((await stratus('url', 'get', 'cli-web')).stdout).toBe(`${functionUrl}\n`);
    expect(JSON.parse((await stratus('url', 'get', 'cli-web', '--json')).stdout)).toMatchObject({ functionUrl, authType: 'NONE', invokeMode: 'BUFFERED' });
    await stratus('url', 'rm', 'cli-web');
    // A streaming URL: the CLI asks for Lambda's RESPONSE_STREAM mode, and the listener then answers as the handler writes.
    const streaming = JSON.parse((await stratus('url', 'create', 'cli-web', '--invoke-mode', 'response-stream', '--json')).stdout) as { invokeMode: string };
    expect(streaming.invokeMode).toBe('RESPONSE_STREAM');
    await expect(stratus('url', 'create', 'cli-web', '--invoke-mode', 'streaming')).rejects.toMatchObject({ stderr: expect.stringContaining('--invoke-mode') as unknown });
    await stratus('url', 'rm', 'cli-web');
    await expect(stratus('url', 'get', 'cli-web')).rejects.toMatchObject({ stderr: expect.stringContaining('error: FUNCTION_NOT_FOUND') as unknown });
  });
});

describe('SigV4 authentication', () => {
  it('refuses a wrong secret, an unknown key, an unsigned request and a key without the scope', async () => {
    const wrong = lambda({ accessKeyId: keyId, secretAccessKey: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` });
    const unknown = lambda({ accessKeyId: 'SKAAAAAAAAAAAAAAAAAA', secretAccessKey: secret });
    const reader = await cluster.client.createKey({ scopes: ['read'] });
    const readOnly = lambda({ accessKeyId: reader.keyId, secretAccessKey: reader.secret });
    try {
      await expect(wrong.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      await expect(unknown.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
      expect((await readOnly.send(new ListFunctionsCommand({}))).Functions).toBeDefined();
      await expect(readOnly.send(new InvokeCommand({ FunctionName: 'twice' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('"invoke" scope') as unknown,
      });
      const unsigned = await fetch(`${endpoint}/2015-03-31/functions/`);
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(await unsigned.json()).toMatchObject({ message: expect.stringContaining('Missing Authentication Token') as unknown });
      // A key revoked a moment ago signs nothing any more.
      await cluster.client.revokeKey(reader.keyId);
      await expect(readOnly.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      wrong.destroy();
      unknown.destroy();
      readOnly.destroy();
    }
  });
});

describe.skipIf(awsCliMissing)('the Lambda REST API, driven by AWS CLI v2', () => {
  const cli = useAwsCli(() => ({ endpoint, keyId, secret }), { 'fn.zip': indexJs(ECHO) });
  const aws = cli.lambda;

  it('creates from a zip, invokes (tail logs, ARN), lists with paging, reads and deletes', async () => {
    const created = await aws('create-function', '--function-name', 'cli-echo', '--zip-file', 'fileb://fn.zip', '--handler', 'index.handler', '--runtime', 'nodejs20.x', '--role', 'arn:aws:iam::000000000000:role/x', '--tags', 'team=x');
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ FunctionName: 'cli-echo', State: 'Active' });

    const invoked = await aws('invoke', '--function-name', 'cli-echo', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"a":1}', '--log-type', 'Tail', 'out.json');
    expect(invoked.code).toBe(0);
    const meta = JSON.parse(invoked.stdout) as { StatusCode: number; LogResult: string; ExecutedVersion: string };
    expect(meta).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(Buffer.from(meta.LogResult, 'base64').toString('utf8')).toContain('hello from cli-echo');
    expect(JSON.parse(await readFile(join(cli.home, 'out.json'), 'utf8'))).toMatchObject({ echo: { a: 1 } });

    const byArn = await aws('invoke', '--function-name', 'arn:aws:lambda:us-east-1:000000000000:function:cli-echo', 'arn.json');
    expect(byArn.code).toBe(0);

    const listed = await aws('list-functions', '--page-size', '1', '--query', 'Functions[].FunctionName');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toContain('cli-echo');

    expect(JSON.parse((await aws('get-function', '--function-name', 'cli-echo')).stdout)).toMatchObject({ Configuration: { FunctionName: 'cli-echo' } });
    expect((await aws('delete-function', '--function-name', 'cli-echo')).code).toBe(0);
    const missing = await aws('get-function', '--function-name', 'cli-echo');
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    // Each AWS CLI run starts Python (seconds on a loaded CI machine).
  }, 180_000);

  it('refuses a wrong secret', async () => {
    const { stderr, code } = await cli.lambdaAs({ keyId, secret: 'x'.repeat(40) }, 'list-functions');
    expect(code).toBe(254);
    expect(stderr).toContain('InvalidSignatureException');
  }, 60_000);
});
