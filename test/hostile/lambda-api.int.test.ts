import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestCluster } from '@stratus/testing';
import { expectClusterHealthy, HELLO, startHostileCluster } from './support/cluster-health.js';
import { indexJs } from '../support/code.js';
import { Sha256 } from '../support/sha256.js';
import { lambdaApiAdmin } from '../support/lambda-api.js';

// Requests a hostile client sends to the Lambda REST API (the frontend's
// HTTP listener): oversized and endless bodies, malformed JSON, paths that
// try to leave the API, slow senders and piles of idle connections.
let cluster: TestCluster;
let host: string;
let port: number;
let keyId: string;
let secret: string;

beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 1 });
  const address = cluster.httpAddress ?? '';
  host = address.slice(0, address.lastIndexOf(':'));
  port = Number(address.slice(address.lastIndexOf(':') + 1));
  ({ keyId, secret } = lambdaApiAdmin(cluster));
});
afterAll(async () => {
  await cluster?.stop();
});

const MB = 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Signs `method path` (path as sent, already percent-encoded) over the body's hash, as the SDKs do. */
async function signedHeaders(
  method: string,
  path: string,
  body: Buffer | undefined,
  extra: Record<string, string> = {},
  query: Record<string, string | string[]> = {},
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials: { accessKeyId: keyId, secretAccessKey: secret }, sha256: Sha256 });
  const q = path.indexOf('?');
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: host,
    port,
    path: q < 0 ? path : path.slice(0, q),
    query: q < 0 ? query : { ...Object.fromEntries(new URLSearchParams(path.slice(q + 1))), ...query },
    headers: { host: `${host}:${port}`, ...extra },
    ...(body === undefined ? {} : { body }),
  });
  return signed.headers;
}

/** Sends a request and reads the whole answer; `write` streams the body itself when given. */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer | ((req: ReturnType<typeof httpRequest>) => void)): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host, port, method, path, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        // A body declared but never all sent is given up here.
        req.destroy();
      });
      res.on('error', reject);
    });
    // Once answered, a refused body may stop being taken; before, any error is the answer.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered) reject(err);
    });
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

function frontendPeakRssBytes(): number {
  const status = readFileSync(`/proc/${cluster.frontends[0]?.pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}

async function invokeHello(): Promise<Answer> {
  const path = `/2015-03-31/functions/${HELLO}/invocations`;
  const body = Buffer.from('{}');
  return send('POST', path, await signedHeaders('POST', path, body), body);
}

describe('the Lambda REST API under attack', () => {
  it('refuses oversized bodies before or as they arrive, and the frontend holds none of them', async () => {
    const peakBefore = frontendPeakRssBytes();
    const createPath = '/2015-03-31/functions';
    const invokePath = `/2015-03-31/functions/${HELLO}/invocations`;
    const huge = (req: ReturnType<typeof httpRequest>, bytes: number): void => {
      const chunk = Buffer.alloc(MB, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    };
    // A body declared huge: 1 MB of it is sent, and the rest waits for the answer, which must come on the headers.
    const declaredHuge = (req: ReturnType<typeof httpRequest>): void => {
      req.write(Buffer.alloc(MB, 0x61));
    };
    const answers = await Promise.all([
      // Unsigned, declaring 100 MB: refused on its headers.
      ...Array.from({ length: 5 }, () => send('POST', createPath, { 'content-length': String(100 * MB) }, declaredHuge)),
      // Signed (over a small body), declaring 200 MB for CreateFunction: past its 70 MB limit, refused on its headers.
      ...Array.from({ length: 5 }, async () =>
        send('POST', createPath, { ...(await signedHeaders('POST', createPath, Buffer.from('{}'))), 'content-length': String(200 * MB) }, declaredHuge),
      ),
      // Signed Invoke, chunked (no length declared), 8 MB: refused once it passes 6 MB.
      ...Array.from({ length: 5 }, async () => {
        const headers = await signedHeaders('POST', invokePath, Buffer.from('{}'));
        delete headers['content-length'];
        return send('POST', invokePath, { ...headers, 'transfer-encoding': 'chunked' }, (req) => huge(req, 8 * MB));
      }),
    ]);
    for (const answer of answers.slice(0, 5)) {
      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    }
    for (const answer of answers.slice(5, 10)) {
      expect(answer.status).toBe(413);
      expect(answer.headers['x-amzn-errortype']).toBe('RequestTooLargeException');
      expect(JSON.parse(answer.body)).toMatchObject({ message: expect.stringContaining('CreateFunction requests must be smaller than') as unknown });
    }
    for (const answer of answers.slice(10)) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ message: expect.stringContaining('Request must be smaller than 6291456 bytes for the InvokeFunction operation') as unknown });
    }
    // 5 × 8 MB and 10 × 1 MB arrived; 1.5 GB were declared.
    expect(frontendPeakRssBytes() - peakBefore).toBeLessThan(150 * MB);
    await expectClusterHealthy(cluster);
  }, 120_000);

  it('answers malformed JSON and unknown fields with InvalidParameterValueException naming the problem', async () => {
    const path = '/2015-03-31/functions';
    for (const [body, expected] of [
      ['{"FunctionName": "x", "Code": {"ZipFile": ', /the request body is not JSON/],
      ['[1, 2, 3]', /CreateFunction: /],
      ['{"FunctionName": "x", "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}, "VpcConfig": {"SubnetIds": ["s"]}}', /"VpcConfig": not supported by Stratus's Lambda API/],
      ['{"FunctionName": "x", "Code": {"S3Bucket": "b", "S3Key": "k"}}', /Code.ZipFile: Stratus takes code as Code.ZipFile/],
      ['{"FunctionName": "x", "Code": {"ZipFile": "not base64!"}}', /Code.ZipFile: must be base64/],
      ['{"FunctionName": "../../etc", "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}', /function name: may contain only letters, digits, hyphens and underscores/],
    ] as const) {
      const buffer = Buffer.from(body);
      const answer = await send('POST', path, { ...(await signedHeaders('POST', path, buffer, { 'content-type': 'application/json' })) }, buffer);
      expect(answer.status, body).toBe(400);
      expect(answer.headers['x-amzn-errortype'], body).toBe('InvalidParameterValueException');
      expect((JSON.parse(answer.body) as { message: string }).message, body).toMatch(expected);
    }
  });

  it('keeps every path inside the API: dot segments, encoded slashes and names that are paths are refused', async () => {
    for (const path of [
      '/2015-03-31/functions/../../../etc/passwd',
      '/2015-03-31/functions/./hostile-hello/configuration',
      '/2015-03-31//functions/hostile-hello',
      '/2015-03-31/functions/..%2F..%2Fetc%2Fpasswd/configuration',
      '/2015-03-31/functions/%2e%2e/configuration',
      '/2015-03-31/functions/hostile-hello%00/configuration',
      '/2018-10-31/layers/..%2F..%2Fetc%2Fpasswd/versions/1/policy',
      '/2018-10-31/layers/deps/versions/..%2F1/policy',
      '/2020-04-22/code-signing-configs/%2e%2e%2Fetc%2Fpasswd',
      '/2020-04-22/code-signing-configs/..%2F..%2Fetc%2Fpasswd/functions',
    ]) {
      const answer = await send('GET', path, await signedHeaders('GET', path, undefined));
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).not.toContain('root:x:0:0');
    }
    const unknown = '/2015-03-31/nothing-here';
    const answer = await send('GET', unknown, await signedHeaders('GET', unknown, undefined));
    expect(answer.status).toBe(404);
    expect(answer.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  it('refuses hostile ClientContext headers and tags, naming the problem; a ClientContext cannot reach the isolate beyond the one object', async () => {
    await cluster.client.createFunction({
      functionName: 'context-hostile',
      zipFile: indexJs(`exports.handler = async (event, context) => ({ polluted: ({}).polluted ?? null, keys: Object.keys(context.clientContext ?? {}), proto: Object.getPrototypeOf(context.clientContext ?? {}) === Object.prototype });`),
      tags: { owner: 'x' },
    });
    const invokePath = '/2015-03-31/functions/context-hostile/invocations';
    const invoke = async (clientContext: string): Promise<Answer> => {
      const body = Buffer.from('{}');
      return send('POST', invokePath, await signedHeaders('POST', invokePath, body, { 'x-amz-client-context': clientContext }), body);
    };
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    for (const [clientContext, expected] of [
      ['A'.repeat(3584), /ClientContext: must be at most 3583 characters/],
      [b64('{"a":1}{"b":2}'), /Client context must be a valid Base64-encoded JSON object/],
      [b64('{"a":1}\n\u0000junk'), /Client context must be a valid Base64-encoded JSON object/],
      [b64('['.repeat(1300) + ']'.repeat(1300)), /not an object/],
      ['e30=\r\nx-amz-invocation-type: Event', /not base64/],
    ] as const) {
      const answer = await invoke(clientContext).catch((err: Error) => ({ status: 0, headers: {}, body: err.message }));
      // A header Node's HTTP client refuses to send (CRLF) never leaves the test; anything sent is a 400.
      if (answer.status === 0) continue;
      expect(answer.status, clientContext.slice(0, 40)).toBe(400);
      expect((JSON.parse(answer.body) as { message: string }).message, clientContext.slice(0, 40)).toMatch(expected);
    }
    // `__proto__` in the JSON is an own key of the object the handler gets, not the prototype of anything.
    const proto = await invoke(b64('{"__proto__":{"polluted":"yes"},"custom":{"constructor":{"prototype":{"polluted":"yes"}}}}'));
    expect(proto.status).toBe(200);
    expect(JSON.parse(proto.body)).toEqual({ polluted: null, keys: ['__proto__', 'custom'], proto: true });

    const tagPath = '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Acontext-hostile';
    const tag = async (tags: unknown): Promise<Answer> => {
      const body = Buffer.from(JSON.stringify({ Tags: tags }));
      return send('POST', tagPath, await signedHeaders('POST', tagPath, body, { 'content-type': 'application/json' }), body);
    };
    for (const [tags, expected] of [
      [Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])), /Tags: 1001 tags; the limit is 50/],
      [{ ['k'.repeat(129)]: 'v' }, /a tag key must be 1 to 128 characters/],
      [{ note: 'x'.repeat(257) }, /a tag value must be at most 256 characters/],
      [{ note: 'ok\n{"type":"platform.report"}' }, /a tag value may contain only/],
      [{ 'aws:cloudformation:stack-name': 'x' }, /reserved/],
      [['not', 'an', 'object'], /Tags: /],
    ] as const) {
      const answer = await tag(tags);
      expect(answer.status, JSON.stringify(tags).slice(0, 60)).toBe(400);
      expect((JSON.parse(answer.body) as { message: string }).message).toMatch(expected);
    }
    const tagKeys = Array.from({ length: 51 }, (_, i) => `k${i}`);
    const untag = await send('DELETE', `${tagPath}?${tagKeys.map((key) => `tagKeys=${key}`).join('&')}`, await signedHeaders('DELETE', tagPath, undefined, {}, { tagKeys }));
    expect(untag.status).toBe(400);
    expect((JSON.parse(untag.body) as { message: string }).message).toMatch(/tagKeys: 51 keys; at most 50 at once/);
    for (const path of ['/2017-03-31/tags/..%2F..%2Fetc%2Fpasswd', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Acontext-hostile%3A1']) {
      const answer = await send('GET', path, await signedHeaders('GET', path, undefined));
      expect(answer.status, path).toBe(400);
    }
    expect((await cluster.client.getFunction('context-hostile')).tags).toEqual({ owner: 'x' });
    await expectClusterHealthy(cluster);
  });

  it('drops slow senders (headers and bodies) and keeps serving beside them', async () => {
    /** A connection, and when it closed (ms after it opened): the server's doing, as the test never closes it first. */
    const opened = (): Promise<{ socket: Socket; closed: Promise<number> }> =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const socket = connect({ host, port }, () => resolve({ socket, closed }));
        const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
        socket.on('error', reject);
        socket.on('data', () => {});
      });
    // Headers that never end.
    const slowHeaders = await opened();
    slowHeaders.socket.write(`GET /2015-03-31/functions HTTP/1.1\r\nHost: ${host}\r\n`);
    const dripping = setInterval(() => slowHeaders.socket.write('X-Slow: 1\r\n'), 1_000);
    // A signed request whose body stops after 10 of its 1,000 bytes.
    const path = `/2015-03-31/functions/${HELLO}/invocations`;
    const slowBody = await opened();
    const headers = { ...(await signedHeaders('POST', path, Buffer.alloc(1000, 0x20))), 'content-length': '1000' };
    slowBody.socket.write(`POST ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${' '.repeat(10)}`);
    try {
      const [headersClosedMs, bodyClosedMs, hello] = await Promise.all([slowHeaders.closed, slowBody.closed, invokeHello()]);
      expect(hello.status).toBe(200);
      // 10 s each, checked every second; generous for a loaded CI machine.
      expect(headersClosedMs).toBeLessThan(20_000);
      expect(bodyClosedMs).toBeLessThan(20_000);
    } finally {
      clearInterval(dripping);
      slowHeaders.socket.destroy();
      slowBody.socket.destroy();
    }
    await expectClusterHealthy(cluster);
  }, 60_000);

  it('serves signed calls while hundreds of connections sit idle', async () => {
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 500; i++) {
        idle.push(
          await new Promise<Socket>((resolve, reject) => {
            const socket = connect({ host, port }, () => resolve(socket));
            socket.on('error', reject);
          }),
        );
      }
      const answers = await Promise.all(Array.from({ length: 10 }, () => invokeHello()));
      for (const answer of answers) expect(answer.status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
    await expectClusterHealthy(cluster);
  }, 60_000);

  it('keeps function URLs to their function: names that are paths, injected headers, bad status codes and a function calling its own URL', async () => {
    await cluster.client.createFunction({
      functionName: 'url-hostile',
      zipFile: indexJs(`exports.handler = async (event) => {
        if (event.rawPath === '/inject') return { statusCode: 200, headers: { 'x-a': 'ok\\r\\nset-cookie: stolen=1' }, body: 'x' };
        if (event.rawPath === '/status') return { statusCode: 99, body: 'x' };
        if (event.rawPath === '/self') {
          try { await fetch(event.queryStringParameters.url); return 'reached'; } catch (err) { return String(err.cause?.code ?? err.message); }
        }
        return 'ok';
      };`),
    });
    const path = '/2021-10-31/functions/url-hostile/url';
    const body = Buffer.from('{"AuthType":"NONE"}');
    const created = await send('POST', path, await signedHeaders('POST', path, body, { 'content-type': 'application/json' }), body);
    expect(created.status).toBe(201);
    const base = `/lambda-url/url-hostile`;
    for (const attempt of ['/lambda-url/..%2F2015-03-31%2Ffunctions/', '/lambda-url/url-hostile:1/', '/lambda-url/%2e%2e/', '/lambda-url/hostile-hello/']) {
      const answer = await send('GET', attempt, {});
      expect(answer.status, attempt).toBe(403);
      expect(JSON.parse(answer.body), attempt).toEqual({ Message: 'Forbidden' });
    }
    const injected = await send('GET', `${base}/inject`, {});
    expect(injected.status).toBe(502);
    expect(injected.headers['set-cookie']).toBeUndefined();
    expect((await send('GET', `${base}/status`, {})).status).toBe(502);
    // The function cannot call back into the Lambda API or its own URL: the frontend's HTTP address is refused to functions.
    const selfUrl = `http://${host}:${port}${base}/`;
    const self = await send('GET', `${base}/self?url=${encodeURIComponent(selfUrl)}`, {});
    expect(self.status).toBe(200);
    expect(self.body).toBe('ECONNREFUSED');
    // A URL's body that stops arriving is given up on, as the REST API's is, and the URL keeps serving beside it.
    const stalled = await new Promise<{ socket: Socket; closedMs: Promise<number> }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect({ host, port }, () => resolve({ socket, closedMs }));
      const closedMs = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
      socket.on('error', reject);
      socket.on('data', () => {});
    });
    try {
      stalled.socket.write(`POST ${base}/ HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
      const [closedMs, served] = await Promise.all([stalled.closedMs, send('GET', `${base}/`, {})]);
      expect(served.status).toBe(200);
      // 10 s without a byte, looked at every second; generous for a loaded CI machine.
      expect(closedMs).toBeLessThan(20_000);
    } finally {
      stalled.socket.destroy();
    }
    await expectClusterHealthy(cluster);
  }, 60_000);
  it('keeps host-based URLs to their URL: Hosts that match none, oversized and countless headers, and a function with as many URLs as it may have', async () => {
    await cluster.client.createFunction({
      functionName: 'url-hosts',
      zipFile: indexJs('exports.handler = async (event, context) => ({ fn: context.functionName, id: event.requestContext.apiId, path: event.rawPath, headers: Object.keys(event.headers).length });'),
    });
    const signedJson = async (method: string, path: string, json: string): Promise<Answer> => {
      const body = Buffer.from(json);
      return send(method, path, await signedHeaders(method, path, body, { 'content-type': 'application/json' }), body);
    };
    const created = await signedJson('POST', '/2021-10-31/functions/url-hosts/url', '{"AuthType":"NONE"}');
    expect(created.status).toBe(201);

    // Without a URL domain the URL is given path-based; the function learns its id from its event.
    // A URL's Host keeps every path to its own function, one naming another function's URL or the REST API included.
    const { id } = JSON.parse((await send('GET', '/lambda-url/url-hosts/', {})).body) as { id: string };
    expect(id).toMatch(/^[a-z0-9]{32}$/);
    for (const crossing of ['/lambda-url/url-hostile/', '/2015-03-31/functions/url-hostile/invocations', '/../../etc/passwd']) {
      const answer = await send('GET', crossing, { host: `${id}.lambda-url.us-east-1.on.aws` });
      expect(answer.status, crossing).toBe(200);
      expect(JSON.parse(answer.body), crossing).toMatchObject({ fn: 'url-hosts', path: crossing });
    }

    // Hosts in a URL's form that name no URL never reach the REST API, signed or not.
    const listPath = '/2015-03-31/functions/';
    const signedList = await signedHeaders('GET', listPath, undefined);
    for (const hostHeader of [
      `${'a'.repeat(32)}.lambda-url.us-east-1.on.aws`,
      `${'a'.repeat(31)}.lambda-url.us-east-1.on.aws`,
      `${'a'.repeat(33)}.lambda-url.us-east-1.on.aws`,
      `${'A'.repeat(32)}.lambda-url.`,
      `${'a'.repeat(32)}.lambda-url.x:99999`,
      '..lambda-url..',
      `${'-'.repeat(32)}.lambda-url.local`,
    ]) {
      const answer = await send('GET', listPath, { ...signedList, host: hostHeader });
      expect(answer.status, hostHeader).toBe(403);
      expect(JSON.parse(answer.body), hostHeader).toEqual({ Message: 'Forbidden' });
    }

    // 20 KB of one header is refused before any handler; 300 headers reach the function as at most 100.
    const path = '/lambda-url/url-hosts/x';
    const big = await send('GET', path, { 'x-big': 'b'.repeat(20 * 1024) }).catch((err: Error) => ({ status: -1, headers: {}, body: err.message }));
    expect([431, -1]).toContain(big.status);
    // Host first: Node keeps the first 100 headers, and a request left without a Host is refused 400 (HTTP/1.1).
    const many: Record<string, string> = { host: `${host}:${port}` };
    for (let i = 0; i < 300; i += 1) many[`x-h${i}`] = 'v';
    const countless = await send('GET', path, many);
    expect(countless.status).toBe(200);
    expect((JSON.parse(countless.body) as { headers: number }).headers).toBeLessThanOrEqual(100);

    // One URL per alias, at most 100 besides the function's own: the 101st is refused naming the limit.
    // One at a time: aliases and URLs of one function are each written with compare-and-set on its records.
    for (let i = 0; i < 101; i += 1) await cluster.client.createAlias({ functionName: 'url-hosts', name: `a${i}`, functionVersion: '$LATEST' });
    for (let i = 0; i < 100; i += 1) {
      const answer = await signedJson('POST', `/2021-10-31/functions/url-hosts/url?Qualifier=a${i}`, '{"AuthType":"NONE"}');
      expect(answer.status, `alias a${i}: ${answer.body}`).toBe(201);
    }
    const refused = await signedJson('POST', '/2021-10-31/functions/url-hosts/url?Qualifier=a100', '{"AuthType":"NONE"}');
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('100 aliases');
    const listed = await send('GET', '/2021-10-31/functions/url-hosts/urls', await signedHeaders('GET', '/2021-10-31/functions/url-hosts/urls', undefined));
    expect((JSON.parse(listed.body) as { FunctionUrlConfigs: unknown[] }).FunctionUrlConfigs).toHaveLength(101);
    // Every alias's URL still serves its own function, by path.
    const last = await send('GET', '/lambda-url/url-hosts:a99/p', {});
    expect(JSON.parse(last.body)).toMatchObject({ fn: 'url-hosts', path: '/p' });
    await expectClusterHealthy(cluster);
  }, 120_000);

  it('keeps resource-based policies as data: a public statement opens no AWS_IAM URL, hostile statements are refused, and one function’s policies stay bounded', async () => {
    await cluster.client.createFunction({ functionName: 'policy-hostile', zipFile: indexJs(`exports.handler = async () => 'ran';`) });
    const signedJson = async (method: string, path: string, json: string): Promise<Answer> => {
      const body = Buffer.from(json);
      return send(method, path, await signedHeaders(method, path, body, { 'content-type': 'application/json' }), body);
    };
    const policyPath = '/2015-03-31/functions/policy-hostile/policy';
    expect((await signedJson('POST', '/2021-10-31/functions/policy-hostile/url', '{"AuthType":"AWS_IAM"}')).status).toBe(201);
    // Lambda's public-access statement: Stratus keeps it, and still answers an unsigned call to an AWS_IAM URL 403.
    const publicStatement = await signedJson('POST', policyPath, '{"StatementId":"public","Action":"lambda:InvokeFunctionUrl","Principal":"*","FunctionUrlAuthType":"AWS_IAM"}');
    expect(publicStatement.status).toBe(201);
    const unsigned = await send('GET', '/lambda-url/policy-hostile/', {});
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).not.toContain('ran');

    // Statements that try to smuggle JSON, prototype keys or unknown fields are refused naming the field.
    for (const [json, field] of [
      ['{"StatementId":"x\\"}","Action":"lambda:InvokeFunction","Principal":"*"}', 'StatementId'],
      ['{"StatementId":"x","Action":"lambda:InvokeFunction","Principal":"*\\",\\"Effect\\":\\"Deny"}', 'Principal'],
      ['{"StatementId":"x","Action":"lambda:InvokeFunction","Principal":"*","__proto__":{"polluted":1}}', '__proto__'],
      ['{"StatementId":"x","Action":"lambda:InvokeFunction","Principal":"*","Effect":"Deny"}', 'Effect'],
      ['{"StatementId":"x","Action":"lambda:InvokeFunction","Principal":"*","SourceArn":"arn:aws:s3:::b\\u0000"}', 'SourceArn'],
    ] as const) {
      const answer = await signedJson('POST', policyPath, json);
      expect(answer.status, json).toBe(400);
      expect(answer.headers['x-amzn-errortype'], json).toBe('InvalidParameterValueException');
      expect((JSON.parse(answer.body) as { message: string }).message, json).toContain(field);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // A statement id in the path is the id's characters only.
    const sneaky = '/2015-03-31/functions/policy-hostile/policy/a%22b';
    expect((await send('DELETE', sneaky, await signedHeaders('DELETE', sneaky, undefined))).status).toBe(400);

    // An alias named __proto__ gets a policy of its own and no other's.
    await cluster.client.createAlias({ functionName: 'policy-hostile', name: '__proto__', functionVersion: '$LATEST' });
    expect((await signedJson('POST', `${policyPath}?Qualifier=__proto__`, '{"StatementId":"p","Action":"lambda:InvokeFunction","Principal":"*"}')).status).toBe(201);
    const protoPolicy = await send('GET', `${policyPath}?Qualifier=__proto__`, await signedHeaders('GET', `${policyPath}?Qualifier=__proto__`, undefined));
    expect((JSON.parse((JSON.parse(protoPolicy.body) as { Policy: string }).Policy) as { Statement: unknown[] }).Statement).toHaveLength(1);
    const own = await send('GET', policyPath, await signedHeaders('GET', policyPath, undefined));
    expect((JSON.parse((JSON.parse(own.body) as { Policy: string }).Policy) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid)).toEqual(['public']);

    // Policies on many aliases stop at the function-wide bound instead of growing its etcd value without end.
    const arn = `arn:aws:sns:us-east-1:123456789012:${'t'.repeat(900)}`;
    let refusal: Answer | undefined;
    for (let a = 0; a < 30 && refusal === undefined; a += 1) {
      await cluster.client.createAlias({ functionName: 'policy-hostile', name: `p${a}`, functionVersion: '$LATEST' });
      // 15 statements of about 1 KB stay under Lambda's 20 KB per policy; the function-wide bound is what stops them.
      for (let i = 0; i < 15 && refusal === undefined; i += 1) {
        const answer = await signedJson('POST', `${policyPath}?Qualifier=p${a}`, JSON.stringify({ StatementId: `s${i}`, Action: 'lambda:InvokeFunction', Principal: '*', SourceArn: arn }));
        if (answer.status !== 201) refusal = answer;
      }
    }
    expect(refusal?.status).toBe(400);
    expect(refusal?.headers['x-amzn-errortype']).toBe('PolicyLengthExceededException');
    expect(refusal?.body).toContain("Stratus's limit per function");
    await expectClusterHealthy(cluster);
  }, 180_000);
});
