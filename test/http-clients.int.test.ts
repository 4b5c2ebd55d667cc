import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRequestBody, startLoopbackHttpServer, type LoopbackHttpServer } from '@stratus/testing/http';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { zipOf } from './support/code.js';
import { npmPackageFiles } from './support/npm-packages.js';
import { Sha256 } from './support/sha256.js';

// HTTP clients functions use, unchanged, through a real cluster and the node's egress, against a server this test
// starts on loopback (allowed in each function's egress setting). The AWS SDK v3 as Lambda's Node.js 20 runtime
// offers it: an `.mjs` handler imports `@aws-sdk/client-lambda` without shipping it, and its client, configured
// from the function's environment (credentials, AWS_ENDPOINT_URL), signs and sends requests to a route that
// answers like Lambda's API; the signature is checked here with the same signer, so the isolate's HMAC-SHA256 and
// the request as it crossed the host must both be right. axios, bundled from the function's node_modules.
let cluster: TestCluster;
let server: LoopbackHttpServer;

interface Received {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}
const received: Received[] = [];

const ACCESS_KEY_ID = 'AKIDSTRATUSEXAMPLE01';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function route(req: IncomingMessage, res: ServerResponse): void {
  void readRequestBody(req).then((body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    received.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    res.setHeader('x-amzn-requestid', `req-${received.length}`);
    if (req.method === 'GET' && url.pathname.replace(/\/$/, '') === '/2015-03-31/functions') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Functions: [{ FunctionName: 'alpha', Runtime: 'nodejs20.x' }, { FunctionName: 'beta', Runtime: 'nodejs20.x' }] }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/2015-03-31/functions/alpha/invocations') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-amz-executed-version', '$LATEST');
      res.end(JSON.stringify({ echoed: JSON.parse(body.toString()) as unknown, name: 'alpha' }));
      return;
    }
    if (url.pathname === '/axios/echo') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null, custom: req.headers['x-custom'] ?? null, query: url.search, body: body.toString() }));
      return;
    }
    if (url.pathname === '/axios/teapot') {
      res.statusCode = 418;
      res.setHeader('content-type', 'application/json');
      res.end('{"short":"and stout"}');
      return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-amzn-errortype', 'ResourceNotFoundException');
    res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${url.pathname}` }));
  });
}

/** Signs the request again from what arrived (the headers it says it signed) and compares the two signatures. */
async function expectSignedByKey(request: Received, region: string): Promise<void> {
  const authorization = String(request.headers.authorization);
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/lambda\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  expect(match, authorization).not.toBeNull();
  const [, keyId, , scopeRegion, signedHeaders] = match ?? [];
  expect(keyId).toBe(ACCESS_KEY_ID);
  expect(scopeRegion).toBe(region);
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';')) headers[name] = String(request.headers[name]);
  const amzDate = headers['x-amz-date'] ?? '';
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: 'lambda', region, sha256: Sha256, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY } });
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: request.path, query: request.query, headers, body: request.body.length > 0 ? request.body : undefined },
    { signingDate },
  );
  expect(authorization).toBe(signed.headers['authorization']);
}

beforeAll(async () => {
  server = await startLoopbackHttpServer(route);
  cluster = await startTestCluster({ nodes: 1 });
});

afterAll(async () => {
  await cluster?.stop();
  await server?.close();
});

const SDK_HANDLER = `import { LambdaClient, ListFunctionsCommand, InvokeCommand } from '@aws-sdk/client-lambda';

// Made once, at init, as handlers do: region, endpoint and credentials come from the environment.
const lambda = new LambdaClient({});

export const handler = async (event) => {
  const listed = await lambda.send(new ListFunctionsCommand({}));
  const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'alpha', Payload: JSON.stringify(event) }));
  let missing;
  try {
    await lambda.send(new InvokeCommand({ FunctionName: 'absent/x' }));
  } catch (err) {
    missing = { name: err.name, status: err.$metadata.httpStatusCode };
  }
  return {
    names: listed.Functions.map((f) => f.FunctionName),
    status: invoked.StatusCode,
    version: invoked.ExecutedVersion,
    payload: JSON.parse(new TextDecoder().decode(invoked.Payload)),
    missing,
    region: await lambda.config.region(),
  };
};
`;

describe('the AWS SDK v3 without bundling it', () => {
  // Bundling the SDK takes seconds on a loaded machine, and its first call loads a 2 MB script.
  it('an .mjs handler imports @aws-sdk/client-lambda it does not ship, and its signed calls reach the endpoint', { timeout: 120_000 }, async () => {
    const deployed = await cluster.client.createFunction({
      functionName: 'sdk-lambda',
      handler: 'index.handler',
      zipFile: zipOf({ 'index.mjs': SDK_HANDLER }),
      timeoutSec: 30,
      environment: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_ENDPOINT_URL: server.url },
      egress: { mode: 'public', allow: [server.hostPort] },
    });
    expect(deployed.deployWarnings).toEqual([]);
    received.length = 0;
    const result = await cluster.client.invoke({ functionName: 'sdk-lambda', payload: JSON.stringify({ hello: 'sdk' }) });
    expect(result.functionError, result.payloadText).toBe('');
    const payload = JSON.parse(result.payloadText) as { region: string };
    expect(payload).toEqual({
      names: ['alpha', 'beta'],
      status: 200,
      version: '$LATEST',
      payload: { echoed: { hello: 'sdk' }, name: 'alpha' },
      missing: { name: 'ResourceNotFoundException', status: 404 },
      region: expect.any(String) as unknown,
    });
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /2015-03-31/functions',
      'POST /2015-03-31/functions/alpha/invocations',
      'POST /2015-03-31/functions/absent%2Fx/invocations',
    ]);
    for (const request of received) await expectSignedByKey(request, payload.region);
    expect(String(received[0]?.headers['user-agent'])).toMatch(/aws-sdk-js\/3\.\d+/);
  });

  it("calls Stratus's own Lambda API with it: lists functions and invokes another, signed with an API key of read and invoke scopes", { timeout: 120_000 }, async () => {
    const apiAddress = cluster.httpAddress ?? '';
    expect(apiAddress).not.toBe('');
    await cluster.client.createFunction({ functionName: 'sdk-target', zipFile: zipOf({ 'index.js': 'exports.handler = async (event) => ({ got: event });' }) });
    const key = await cluster.client.createKey({ scopes: ['read', 'invoke'], description: 'a function calling the Lambda API' });
    await cluster.client.createFunction({
      functionName: 'sdk-stratus-api',
      handler: 'index.handler',
      zipFile: zipOf({
        'index.mjs': `import { LambdaClient, ListFunctionsCommand, InvokeCommand } from '@aws-sdk/client-lambda';
const lambda = new LambdaClient({ maxAttempts: 1 });
export const handler = async () => {
  const listed = await lambda.send(new ListFunctionsCommand({}));
  const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-target', Payload: JSON.stringify({ from: 'a function' }) }));
  return { names: listed.Functions.map((f) => f.FunctionName).sort(), payload: JSON.parse(new TextDecoder().decode(invoked.Payload)) };
};
`,
      }),
      timeoutSec: 30,
      environment: { AWS_ACCESS_KEY_ID: key.keyId, AWS_SECRET_ACCESS_KEY: key.secret, AWS_ENDPOINT_URL: `http://${apiAddress}` },
      // The frontend is one of the cluster's own services: only an entry naming its address and port opens it.
      egress: { mode: 'public', allow: [apiAddress] },
    });
    const result = await cluster.client.invoke({ functionName: 'sdk-stratus-api', payload: '{}' });
    expect(result.functionError, result.payloadText).toBe('');
    const payload = JSON.parse(result.payloadText) as { names: string[]; payload: unknown };
    expect(payload.names).toEqual(expect.arrayContaining(['sdk-stratus-api', 'sdk-target']));
    expect(payload.payload).toEqual({ got: { from: 'a function' } });
  });

  it("the function's own copy of a client wins over the one Stratus offers, as on Lambda", async () => {
    await cluster.client.createFunction({
      functionName: 'sdk-own-copy',
      handler: 'index.handler',
      zipFile: zipOf({
        'index.mjs': "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport const handler = async () => new LambdaClient().whose;",
        'node_modules/@aws-sdk/client-lambda/package.json': '{"name":"@aws-sdk/client-lambda","version":"3.0.0-own","main":"index.js"}',
        'node_modules/@aws-sdk/client-lambda/index.js': "exports.LambdaClient = class { whose = 'the package\\'s own'; };",
      }),
    });
    const result = await cluster.client.invoke({ functionName: 'sdk-own-copy', payload: '{}' });
    expect(JSON.parse(result.payloadText)).toBe("the package's own");
  });
});

const AXIOS_HANDLER = `const axios = require('axios');

exports.handler = async (event) => {
  const get = await axios.get(event.base + '/axios/echo', { params: { q: 'a b' }, headers: { 'x-custom': 'yes' } });
  const post = await axios.post(event.base + '/axios/echo', { hello: 'axios' });
  let failed;
  try {
    await axios.get(event.base + '/axios/teapot');
  } catch (err) {
    failed = { status: err.response.status, data: err.response.data, message: err.message };
  }
  return { get: get.data, post: post.data, status: post.status, failed };
};
`;

describe('axios', () => {
  it('GETs and POSTs JSON against a loopback server, and rejects an error status as axios does', { timeout: 120_000 }, async () => {
    const deployed = await cluster.client.createFunction({
      functionName: 'axios-client',
      handler: 'index.handler',
      zipFile: zipOf({ 'index.js': AXIOS_HANDLER, ...npmPackageFiles('axios') }),
      egress: { mode: 'public', allow: [server.hostPort] },
    });
    const result = await cluster.client.invoke({ functionName: 'axios-client', payload: JSON.stringify({ base: server.url }) });
    expect(result.functionError, result.payloadText).toBe('');
    expect(JSON.parse(result.payloadText)).toEqual({
      get: { method: 'GET', type: null, custom: 'yes', query: '?q=a+b', body: '' },
      post: { method: 'POST', type: 'application/json', custom: null, query: '', body: '{"hello":"axios"}' },
      status: 200,
      failed: { status: 418, data: { short: 'and stout' }, message: 'Request failed with status code 418' },
    });
    // axios 1.18 and later load `debug` (through https-proxy-agent), which asks `tty.isatty(process.stderr.fd)` at
    // import time and requires its optional `supports-color` in a try/catch: absent, as on Lambda.
    expect(deployed.deployWarnings).toEqual([expect.stringMatching(/^node_modules\/debug\/src\/node\.js: require\("supports-color"\) finds no module in the package/)]);
  });

  it("debug's output and process.stdout/stderr writes reach the function's log as raw lines, as on Lambda", { timeout: 120_000 }, async () => {
    await cluster.client.createFunction({
      functionName: 'debug-output',
      handler: 'index.handler',
      environment: { DEBUG: 'app' },
      zipFile: zipOf({
        'index.js': `const debug = require('debug')('app');
exports.handler = async () => {
  debug('hello %s', 'debug');
  process.stdout.write('raw out\\n');
  process.stderr.write(new TextEncoder().encode('raw err'));
  return { fds: [process.stdout.fd, process.stderr.fd], tty: [process.stdout.isTTY, process.stderr.isTTY], enabled: debug.enabled };
};
`,
        ...npmPackageFiles('debug'),
      }),
    });
    const result = await cluster.client.invoke({ functionName: 'debug-output', payload: '{}', logType: 'TAIL' });
    expect(result.functionError, result.payloadText).toBe('');
    expect(JSON.parse(result.payloadText)).toEqual({ fds: [1, 2], tty: [false, false], enabled: true });
    const lines = result.logText.split('\n');
    // Not a terminal, so debug writes an ISO timestamp, the namespace and the message, with no colours.
    expect(lines).toContainEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z app hello debug$/));
    expect(lines).toContain('raw out');
    expect(lines).toContain('raw err');
  });
});
