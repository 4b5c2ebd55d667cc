import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStratusApi } from '@stratus/contracts/grpc';
import type { TestCluster } from '@stratus/testing';
import { indexJs, zipOf } from '../support/code.js';
import { besideHello, expectHelloServedBeside } from './support/beside-hello.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';
import { MB, deployError, withDeclaredSize, zipOfManyFiles, zipOfZeros, zipWithSymlinks } from '../support/zips.js';

// Uploads and requests that try to read the host or exhaust the frontend.
// One node: these attack the frontend and the deploy path, and hello (on
// the node) shows whether invocations kept flowing.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

/** A file on this host that exists wherever the suite runs, and text of it no bundle or error may carry. */
const REPO_PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const REPO_PACKAGE_DESCRIPTION = (JSON.parse(readFileSync(REPO_PACKAGE_JSON, 'utf8')) as { description: string }).description;
/** From any folder the frontend unzips into, enough `..` to reach / and then the absolute path. */
const UP_TO_ROOT = '../'.repeat(20);

const SLOW_CASE_MS = 120_000;

/** Maps `items` through `fn` with at most two calls running at once, in order. */
async function mapTwoAtATime<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** The frontend's peak resident memory so far (VmHWM), in bytes: a peak, so no sampling can miss it. */
function frontendPeakRssBytes(): number {
  const pid = cluster.frontends[0]?.pid;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

describe('oversize messages are refused on every RPC before the frontend holds them', () => {
  /** What each method may take: a 6 MB event or a 50 MB zip, each plus its envelope; everything else names and settings. */
  const OVER_LIMIT_BYTES: Readonly<Record<string, number>> = {
    '/stratus.v1.Invoker/Invoke': 7 * MB,
    '/stratus.v1.Functions/CreateFunction': 52 * MB,
    '/stratus.v1.Functions/UpdateFunction': 52 * MB,
    // Each message of an upload: a chunk of at most 1 MB, plus its envelope.
    '/stratus.v1.Objects/PutObject': 2 * MB,
  };
  const SMALL_OVER_LIMIT_BYTES = 1 * MB;
  const REFLECTION = ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'];

  type Method = { path: string; requestStream: boolean; responseStream: boolean };
  function everyMethod(): Method[] {
    const methods: Method[] = [];
    for (const service of Object.values(loadStratusApi().services)) {
      for (const definition of Object.values(service.service)) methods.push({ path: definition.path, requestStream: definition.requestStream, responseStream: definition.responseStream });
    }
    for (const path of REFLECTION) methods.push({ path, requestStream: true, responseStream: true });
    return methods;
  }

  /**
   * A valid encoding of any request message that holds only an unknown field
   * (number 1000, bytes) of `bytes` bytes: every protobuf parser skips it, so
   * only the size can be the reason for a refusal.
   */
  function paddedRequest(bytes: number): Buffer {
    const varint = (n: number): Buffer => {
      const out: number[] = [];
      for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
      out.push(n);
      return Buffer.from(out);
    };
    return Buffer.concat([varint((1000 << 3) | 2), varint(bytes), Buffer.alloc(bytes, 0x61)]);
  }

  /** The cluster's admin key: size, not a missing key, must be the reason for every refusal in the sweep. */
  function adminKey(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${cluster.apiKey}`);
    return metadata;
  }

  /** Sends one oversize request the way the method takes it, and resolves with the status it ended with. */
  function sendOversize(client: grpc.Client, method: Method, bytes: number, metadata: grpc.Metadata): Promise<grpc.StatusObject> {
    const request = paddedRequest(bytes);
    const identity = (value: Buffer): Buffer => value;
    return new Promise((resolve) => {
      const ended = (err: grpc.ServiceError | null): void => resolve(err ?? { code: grpc.status.OK, details: 'accepted', metadata: new grpc.Metadata() });
      if (!method.requestStream && !method.responseStream) {
        client.makeUnaryRequest(method.path, identity, identity, request, metadata, (err) => ended(err));
        return;
      }
      const call = method.requestStream
        ? client.makeBidiStreamRequest(method.path, identity, identity, metadata)
        : client.makeServerStreamRequest(method.path, identity, identity, request, metadata);
      call.on('data', () => {});
      call.on('error', (err: grpc.ServiceError) => ended(err));
      call.on('status', (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) resolve(status);
      });
      if (method.requestStream) {
        const duplex = call as grpc.ClientDuplexStream<Buffer, Buffer>;
        duplex.write(request);
        duplex.end();
      }
      // A stream the server accepted runs until cancelled (TailLogs follows new logs).
      setTimeout(() => call.cancel(), 10_000).unref();
    });
  }

  it('every method answers RESOURCE_EXHAUSTED to a message over its limit, and the frontend never holds them', { timeout: SLOW_CASE_MS }, async () => {
    const client = new grpc.Client(cluster.grpcAddress, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
    try {
      const peakBefore = frontendPeakRssBytes();
      const methods = everyMethod();
      expect(methods.map((method) => method.path)).toEqual(
        expect.arrayContaining(['/stratus.v1.Invoker/Invoke', '/stratus.v1.Functions/CreateFunction', '/stratus.v1.Nodes/ListNodes', '/stratus.v1.Logs/TailLogs', ...REFLECTION]),
      );
      const refusals: Record<string, string> = {};
      for (const method of methods) {
        const status = await sendOversize(client, method, OVER_LIMIT_BYTES[method.path] ?? SMALL_OVER_LIMIT_BYTES, adminKey());
        refusals[method.path] = `${grpc.status[status.code]}${/larger than max/.test(status.details) ? '' : `: ${status.details}`}`;
      }
      expect(refusals).toEqual(Object.fromEntries(methods.map((method) => [method.path, 'RESOURCE_EXHAUSTED'])));

      // Ten 50 MB events at once, half with a key and half from an anonymous caller: each is refused
      // at its length prefix, not after 50 MB arrived (an anonymous one may instead be refused for its
      // missing key, as long as that too comes before the message).
      const invoke = methods.find((method) => method.path === '/stratus.v1.Invoker/Invoke');
      if (invoke === undefined) throw new Error('no Invoke method');
      const [keyed, anonymous] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => sendOversize(client, invoke, 50 * MB, adminKey()))),
        Promise.all(Array.from({ length: 5 }, () => sendOversize(client, invoke, 50 * MB, new grpc.Metadata()))),
      ]);
      expect(keyed.map((status) => grpc.status[status.code])).toEqual(Array(5).fill('RESOURCE_EXHAUSTED'));
      for (const status of anonymous) expect(['RESOURCE_EXHAUSTED', 'UNAUTHENTICATED']).toContain(grpc.status[status.code]);
      // Holding them would have taken 500 MB; the bound leaves room for the frontend's own work.
      expect(frontendPeakRssBytes() - peakBefore, 'frontend peak RSS growth, bytes').toBeLessThan(150 * MB);
    } finally {
      client.close();
    }
    await expectClusterHealthy(cluster);
  });
});

describe('a deploy reads nothing outside the uploaded package', () => {
  const refused: Array<[string, string, Record<string, string>]> = [
    ['an absolute path with a text attribute', '/etc/hostname', { 'index.mjs': 'import t from "/etc/hostname" with { type: "text" };\nexport const handler = async () => t;\n' }],
    ['an absolute path', '/etc/passwd', { 'index.mjs': 'import t from "/etc/passwd";\nexport const handler = async () => t;\n' }],
    ['a .. escape with a text attribute', `${UP_TO_ROOT}etc/passwd`, { 'index.mjs': `import t from "${UP_TO_ROOT}etc/passwd" with { type: "text" };\nexport const handler = async () => t;\n` }],
    ['a file: URL', 'file:///etc/passwd', { 'index.mjs': 'import t from "file:///etc/passwd";\nexport const handler = async () => t;\n' }],
    ['a host JSON file with a json attribute', REPO_PACKAGE_JSON, { 'index.mjs': `import t from ${JSON.stringify(REPO_PACKAGE_JSON)} with { type: "json" };\nexport const handler = async () => t;\n` }],
    ['a bytes attribute', '/etc/hostname', { 'index.mjs': 'import t from "/etc/hostname" with { type: "bytes" };\nexport const handler = async () => t;\n' }],
    ['a file attribute', '/etc/hostname', { 'index.mjs': 'import t from "/etc/hostname" with { type: "file" };\nexport const handler = async () => t;\n' }],
    ['require() of a relative path outside the package', `${UP_TO_ROOT}${REPO_PACKAGE_JSON.slice(1)}`, { 'index.js': `const t = require(${JSON.stringify(`${UP_TO_ROOT}${REPO_PACKAGE_JSON.slice(1)}`)});\nexports.handler = async () => t;\n` }],
    ['require() of an absolute path', '/etc/passwd', { 'index.js': 'const t = require("/etc/passwd");\nexports.handler = async () => t;\n' }],
    ['a dynamic import() of a literal outside path', '/etc/passwd', { 'index.mjs': 'export const handler = async () => (await import("/etc/passwd")).default;\n' }],
    ['a package whose main points outside', 'evil', { 'index.js': 'const t = require("evil");\nexports.handler = async () => t;\n', 'node_modules/evil/package.json': `{"main": "${UP_TO_ROOT}etc/passwd"}` }],
    ['an escape from a nested file', '../../../../../../../../etc/passwd', { 'index.js': 'exports.handler = require("./lib/read.js");\n', 'lib/read.js': 'const t = require("../../../../../../../../etc/passwd");\nmodule.exports = async () => t;\n' }],
  ];
  it('every form of reaching a host file is INVALID_CODE naming the import, and carries none of the file', { timeout: SLOW_CASE_MS }, async () => {
    // Two at a time, as many as a frontend bundles at once: each deploy is a process of its own.
    const outcomes = await mapTwoAtATime(refused, async ([form, specifier, files]) => {
      const err = await deployError(cluster, `host-file-${form.replace(/[^a-z]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}`, zipOf(files));
      const leaked = /root:x:0:0/.test(err.message) || err.message.includes(REPO_PACKAGE_DESCRIPTION);
      return [form, { code: err.code, namesImport: err.message.includes(JSON.stringify(specifier)), leaked }] as const;
    });
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(refused.map(([form]) => [form, { code: 'INVALID_CODE', namesImport: true, leaked: false }])));
  });

  it('a glob import that walks the host’s folders: INVALID_CODE naming the importing file', async () => {
    const err = await deployError(cluster, 'host-file-glob', zipOf({ 'index.js': `exports.handler = async (event) => require("${UP_TO_ROOT}etc/" + event.name);\n` }));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toContain('index.js');
    expect(err.message).not.toMatch(/root:x:0:0|passwd|hostname/);
  });

  it('a symbolic link in the zip: INVALID_CODE naming the entry', { timeout: SLOW_CASE_MS }, async () => {
    const links = [
      ['link.js', '/etc/passwd', 'exports.handler = async () => require("./link.js");\n'],
      ['host-etc', '/etc', 'exports.handler = async () => require("./host-etc/passwd");\n'],
      ['up.json', `${UP_TO_ROOT}${REPO_PACKAGE_JSON.slice(1)}`, 'exports.handler = async () => require("./up.json");\n'],
    ] as const;
    const outcomes = await mapTwoAtATime(links, async ([name, target, importer]) => {
      const err = await deployError(cluster, `symlink-${name.replace('.', '-')}`, zipWithSymlinks({ 'index.js': importer }, { [name]: target }));
      return [name, { code: err.code, namesEntry: err.message.includes(JSON.stringify(name)), leaked: err.message.includes(REPO_PACKAGE_DESCRIPTION) }] as const;
    });
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(links.map(([name]) => [name, { code: 'INVALID_CODE', namesEntry: true, leaked: false }])));
  });

  it('require() and require.resolve() with paths computed at run time reach nothing: the bundle has no module system', async () => {
    await cluster.client.createFunction({
      functionName: 'runtime-require',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          const outcomes = {};
          for (const path of event.paths) {
            try { outcomes['require ' + path] = String(require(path)).slice(0, 40); } catch (err) { outcomes['require ' + path] = 'refused'; }
            try { outcomes['resolve ' + path] = String(require.resolve(path)); } catch (err) { outcomes['resolve ' + path] = 'refused'; }
          }
          return outcomes;
        };
      `),
    });
    const paths = ['/etc/passwd', `${UP_TO_ROOT}etc/passwd`, REPO_PACKAGE_JSON, 'fs', 'node:child_process'];
    const result = await cluster.client.invoke({ functionName: 'runtime-require', payload: JSON.stringify({ paths }) });
    expect(result.functionError).toBe('');
    expect(JSON.parse(result.payloadText)).toEqual(Object.fromEntries(paths.flatMap((path) => [[`require ${path}`, 'refused'], [`resolve ${path}`, 'refused']])));
    await expectClusterHealthy(cluster);
  });

  it('the AWS SDK Stratus offers opens only its own packages, and os and tls tell nothing of the node', { timeout: SLOW_CASE_MS }, async () => {
    // Names that would reach the repository's other packages through the SDK's node_modules, each required at
    // run time: none is bundled, each throws Node's "Cannot find module" when it runs.
    const reaching = [
      '@aws-sdk/client-s3/../../esbuild',
      '@aws-sdk/../@grpc/grpc-js',
      '@smithy/core/../../nats',
      '@aws-sdk/client-lambda/./../../etcd3',
      '@grpc/grpc-js',
      'isolated-vm',
      '@aws-sdk/client-not-offered',
    ];
    const deployed = await cluster.client.createFunction({
      functionName: 'sdk-layer-reach',
      timeoutSec: 10,
      zipFile: indexJs(`
        const os = require('os');
        const tls = require('tls');
        const attempts = {};
        ${reaching.map((name) => `try { require(${JSON.stringify(name)}); attempts[${JSON.stringify(name)}] = 'loaded'; } catch (err) { attempts[${JSON.stringify(name)}] = err.code; }`).join('\n        ')}
        exports.handler = async () => {
          const tlsError = await new Promise((resolve) => tls.connect(443, '127.0.0.1').on('error', (err) => resolve(err.code)));
          return {
            attempts,
            os: { hostname: os.hostname(), cpus: os.cpus().map((c) => c.model), interfaces: os.networkInterfaces(), user: os.userInfo().username, home: os.homedir(), load: os.loadavg() },
            tlsError,
          };
        };
      `),
    });
    expect(deployed.deployWarnings.filter((w) => /finds no module in the package/.test(w))).toHaveLength(reaching.length);
    const result = await cluster.client.invoke({ functionName: 'sdk-layer-reach', payload: '{}' });
    expect(result.functionError, result.payloadText).toBe('');
    expect(JSON.parse(result.payloadText)).toEqual({
      attempts: Object.fromEntries(reaching.map((name) => [name, 'MODULE_NOT_FOUND'])),
      os: { hostname: 'localhost', cpus: ['Stratus isolate', 'Stratus isolate'], interfaces: {}, user: 'sbx_user1051', home: '/home/sbx_user1051', load: [0, 0, 0] },
      tlsError: 'ERR_NOT_SUPPORTED',
    });
    await expectClusterHealthy(cluster);
  });
});

describe('zips that try to exhaust the deploy path are refused while invocations keep flowing', () => {
  it('a zip bomb (300 MB of zeros in 300 KB), honest or lying about its size, is INVALID_CODE', { timeout: SLOW_CASE_MS }, async () => {
    const bomb = zipOfZeros(300);
    expect(bomb.byteLength).toBeLessThan(MB);
    const liar = withDeclaredSize(bomb, 'zeros.bin', 1000);
    const { result, hello } = await besideHello(cluster, () => Promise.all([deployError(cluster, 'zip-bomb', bomb), deployError(cluster, 'zip-bomb-lying', liar)]));
    const [honest, lying] = result;
    expect(honest).toEqual({ code: 'INVALID_CODE', message: expect.stringMatching(/unzipped code exceeds 262144000 bytes \(250 MB\)/) });
    // Declared as 1000 bytes, the entry is stopped as it inflates past what it declared or past the limit.
    expect(lying?.code).toBe('INVALID_CODE');
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });

  it('a package carrying more than 50 MB of files to run time (60 MB of zeros in a small zip) is INVALID_CODE naming the limit and the file', { timeout: SLOW_CASE_MS }, async () => {
    const heavy = zipOfZeros(60);
    expect(heavy.byteLength).toBeLessThan(MB);
    const { result, hello } = await besideHello(cluster, () => deployError(cluster, 'heavy-assets', heavy));
    expect(result).toEqual({
      code: 'INVALID_CODE',
      message: expect.stringMatching(/^the package's files other than code total more than 52428800 bytes \(50 MB\), passed at "zeros\.bin"/),
    });
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });

  it('a zip of 100,000 tiny files is INVALID_CODE at once', { timeout: SLOW_CASE_MS }, async () => {
    const many = zipOfManyFiles(100_000);
    const { result, hello } = await besideHello(cluster, () => deployError(cluster, 'many-files', many));
    expect(result.code).toBe('INVALID_CODE');
    expect(result.message).toMatch(/entries; the limit is 10000 files and folders/);
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });
});

describe('settings that try to forge what Lambda prints or what the runtime sets', () => {
  it('a log group, tag or description carrying newlines or forged records, and reserved variables, are INVALID_ARGUMENT naming the field', async () => {
    const code = indexJs('exports.handler = async () => 1;');
    const forged = '\n{"time":"x","type":"platform.report","record":{"status":"success"}}';
    const attempts: Array<{ input: Parameters<TestCluster['client']['createFunction']>[0]; message: string | RegExp }> = [
      { input: { functionName: 'forge-group', zipFile: code, logging: { logFormat: 'JSON', logGroup: `/aws/lambda/x${forged}` } }, message: 'logging.logGroup: may contain only letters' },
      { input: { functionName: 'forge-group-dots', zipFile: code, logging: { logGroup: 'a'.repeat(513) } }, message: 'logging.logGroup: must be at most 512 characters' },
      { input: { functionName: 'forge-tag', zipFile: code, tags: { team: `a${forged}` } }, message: 'tags.team: a tag value may contain only' },
      { input: { functionName: 'forge-tags', zipFile: code, tags: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])) }, message: '1000 tags; the limit is 50' },
      { input: { functionName: 'forge-description', zipFile: code, description: 'x'.repeat(257) }, message: 'description: must be at most 256 characters' },
      {
        input: { functionName: 'forge-env', zipFile: code, environment: { AWS_LAMBDA_LOG_GROUP_NAME: '/other', _X_AMZN_TRACE_ID: 'Root=1-x', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' } },
        message: /Reserved keys used in this request: AWS_LAMBDA_LOG_GROUP_NAME, _X_AMZN_TRACE_ID, AWS_LAMBDA_RUNTIME_API$/,
      },
    ];
    for (const { input, message } of attempts) {
      const err: unknown = await cluster.client.createFunction(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, input.functionName).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((err as Error).message, input.functionName).toMatch(message);
    }
    await expect(cluster.client.getFunction('forge-group')).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    await expectClusterHealthy(cluster);
  });
});
