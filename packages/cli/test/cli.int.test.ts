import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRPC_ERROR_METADATA, loadStratusApi } from '@stratus/contracts/grpc';
import type {
  CreateFunctionRequestMessage,
  FunctionConfigurationMessage,
  InvokeRequestMessage,
  UpdateFunctionRequestMessage,
} from '@stratus/contracts/grpc';
import { runCli } from '../src/index.js';

// A fake frontend, to check the command line's wiring, output and exit codes.
// The CLI against a real cluster is tested end to end in test/.
const functions = new Map<string, FunctionConfigurationMessage>();
const requests: { method: string; request: unknown }[] = [];

const busyTokens = new Set<string>();

function stratusError(code: string, status: grpc.status, message: string, retryable = false): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  metadata.set(GRPC_ERROR_METADATA.code, code);
  metadata.set(GRPC_ERROR_METADATA.retryable, String(retryable));
  return { code: status, details: message, metadata };
}

function toConfig(name: string, fields: Partial<FunctionConfigurationMessage>): FunctionConfigurationMessage {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memorySizeMb: 128,
    timeoutSec: 3,
    environment: {},
    description: '',
    codeSha256: 'c2hh',
    codeSize: 100,
    version: '$LATEST',
    lastModified: '2024-05-01T10:00:00.000Z',
    revision: 1,
    hasReservedConcurrency: false,
    reservedConcurrency: 0,
    ephemeralStorageMb: 512,
    deployWarnings: [],
    egress: null,
    loggingConfig: { logFormat: 'Text', applicationLogLevel: '', systemLogLevel: '', logGroup: `/aws/lambda/${name}` },
    tags: {},
    ...fields,
  };
}

type Callback = grpc.sendUnaryData<unknown>;
type Call = grpc.ServerUnaryCall<unknown, unknown>;
const handle =
  (method: string, fn: (request: unknown) => unknown) =>
  (call: Call, callback: Callback): void => {
    requests.push({ method, request: call.request });
    const result = fn(call.request);
    if (result instanceof Error || (typeof result === 'object' && result !== null && 'metadata' in result)) callback(result as grpc.ServiceError);
    else callback(null, result);
  };

const notFound = (name: string): Partial<grpc.ServiceError> => stratusError('FUNCTION_NOT_FOUND', grpc.status.NOT_FOUND, `Function not found: ${name}`);

let server: grpc.Server;
let endpoint: string;
let cwd: string;

beforeAll(async () => {
  const api = loadStratusApi();
  server = new grpc.Server();
  server.addService(api.services.Functions.service, {
    CreateFunction: handle('CreateFunction', (req) => {
      const r = req as CreateFunctionRequestMessage;
      if (functions.has(r.functionName)) return stratusError('FUNCTION_ALREADY_EXISTS', grpc.status.ALREADY_EXISTS, 'exists');
      const fn = toConfig(r.functionName, {
        handler: r.handler || 'index.handler',
        environment: r.environment,
        codeSize: r.code?.zipFile.length ?? 0,
        ...(r.egress ? { egress: r.egress } : {}),
        ...(r.loggingConfig ? { loggingConfig: r.loggingConfig } : {}),
        tags: r.tags,
      });
      functions.set(r.functionName, fn);
      return fn;
    }),
    UpdateFunction: handle('UpdateFunction', (req) => {
      const r = req as UpdateFunctionRequestMessage;
      const fn = functions.get(r.functionName);
      if (!fn) return notFound(r.functionName);
      const updated = {
        ...fn,
        ...(r.memorySizeMb !== undefined ? { memorySizeMb: r.memorySizeMb } : {}),
        ...(r.egress ? { egress: r.egress } : {}),
        ...(r.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: r.ephemeralStorageMb } : {}),
        ...(r.loggingConfig ? { loggingConfig: r.loggingConfig } : {}),
        ...(r.replaceTags ? { tags: r.tags } : {}),
        revision: fn.revision + 1,
      };
      functions.set(r.functionName, updated);
      return updated;
    }),
    GetFunction: handle('GetFunction', (req) => {
      const name = (req as { functionName: string }).functionName;
      return functions.get(name) ?? notFound(name);
    }),
    ListFunctions: handle('ListFunctions', () => ({ functions: [...functions.values()] })),
    DeleteFunction: handle('DeleteFunction', (req) => (functions.delete((req as { functionName: string }).functionName) ? {} : notFound('x'))),
  });
  server.addService(api.services.Invoker.service, {
    Invoke: handle('Invoke', (req) => {
      const r = req as InvokeRequestMessage;
      // Busy on each token's first attempt.
      if (r.functionName === 'busy' && !busyTokens.has(r.clientToken)) {
        busyTokens.add(r.clientToken);
        return stratusError('NO_CAPACITY', grpc.status.UNAVAILABLE, 'no worker node could take the invocation', true);
      }
      if (r.functionName === 'broken') {
        return {
          statusCode: 200,
          functionError: 'Unhandled',
          payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'boom', trace: [] })),
        };
      }
      return {
        statusCode: 200,
        payload: Buffer.from(JSON.stringify({ got: JSON.parse(r.payload.toString() || '{}') as unknown })),
        logResult: r.logType === 'TAIL' ? Buffer.from('START RequestId: r1\nREPORT RequestId: r1\n').toString('base64') : '',
        requestId: 'r1',
      };
    }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  endpoint = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'stratus-cli-test-'));
});

afterEach(async () => {
  functions.clear();
  requests.length = 0;
  await rm(cwd, { recursive: true, force: true });
});

async function stratus(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
    defaultEndpoint: endpoint,
    logLevel: 'silent',
    stderrIsTty: false,
  });
  return { code, stdout, stderr };
}

describe('stratus', () => {
  it('deploys a folder, then updates it when the function exists', async () => {
    await mkdir(join(cwd, 'greeter'));
    await writeFile(join(cwd, 'greeter', 'index.js'), 'exports.handler = async () => 1;');

    const first = await stratus('deploy', 'greeter', '--env', 'A=1', '--env', 'B=x=y');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^created function greeter\n/);
    expect(first.stdout).toContain('handler            index.handler');
    expect(first.stdout).toContain('ephemeral storage  512 MB');
    expect(requests[0]?.request).toMatchObject({ functionName: 'greeter', handler: '', environment: { A: '1', B: 'x=y' } });

    const second = await stratus('deploy', 'greeter', '--memory', '512', '--ephemeral-storage', '2048');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^updated function greeter\n/);
    expect(second.stdout).toContain('memory             512 MB');
    expect(second.stdout).toContain('ephemeral storage  2048 MB');
    const update = requests.find((r) => r.method === 'UpdateFunction')?.request as UpdateFunctionRequestMessage;
    expect(update.ephemeralStorageMb).toBe(2048);
    expect(update.code?.zipFile.length).toBeGreaterThan(0);
    expect(update.handler).toBeUndefined();
    expect(update.replaceEnvironment).toBe(false);
  });

  it('sets the egress setting with --egress and --egress-allow, and shows it', async () => {
    await writeFile(join(cwd, 'net.js'), 'exports.handler = async () => 1;');
    const created = await stratus('deploy', 'net.js', '--egress-allow', '127.0.0.1:8080,10.0.0.0/8', '--egress-allow', 'api.internal');
    expect(created.code).toBe(0);
    expect(requests[0]?.request).toMatchObject({ egress: { mode: 'public', allow: ['127.0.0.1:8080', '10.0.0.0/8', 'api.internal'] } });
    expect(created.stdout).toContain('egress             public + 127.0.0.1:8080, 10.0.0.0/8, api.internal');

    const locked = await stratus('deploy', 'net.js', '--egress', 'none');
    expect(locked.code).toBe(0);
    expect(requests.find((r) => r.method === 'UpdateFunction')?.request).toMatchObject({ egress: { mode: 'none', allow: [] } });
    expect((await stratus('get', 'net')).stdout).toContain('egress             none');

    const untouched = await stratus('deploy', 'net.js', '--memory', '256');
    expect(untouched.code).toBe(0);
    expect(requests.filter((r) => r.method === 'UpdateFunction').at(-1)?.request).toMatchObject({ egress: null });
  });

  it('sets loggingConfig and tags with their flags, and shows them', async () => {
    await writeFile(join(cwd, 'logs.js'), 'exports.handler = async () => 1;');
    const created = await stratus('deploy', 'logs.js', '--log-format', 'json', '--application-log-level', 'warn', '--log-group', '/team/logs', '--tag', 'team=pay', '--tag', 'env=');
    expect(created.code).toBe(0);
    expect(requests[0]?.request).toMatchObject({
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: '', logGroup: '/team/logs' },
      tags: { team: 'pay', env: '' },
    });
    expect(created.stdout).toContain('logging            JSON, application WARN, group /team/logs\n');
    expect(created.stdout).toContain('tags               env= team=pay\n');

    // A level alone means JSON, the only format with levels; tags replace the old ones on update.
    const updated = await stratus('deploy', 'logs.js', '--system-log-level', 'DEBUG', '--tag', 'team=core');
    expect(updated.code).toBe(0);
    expect(requests.find((r) => r.method === 'UpdateFunction')?.request).toMatchObject({
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: '', systemLogLevel: 'DEBUG', logGroup: '' },
      tags: { team: 'core' },
      replaceTags: true,
    });

    const untouched = await stratus('deploy', 'logs.js', '--memory', '256');
    expect(requests.filter((r) => r.method === 'UpdateFunction').at(-1)?.request).toMatchObject({ loggingConfig: null, tags: {}, replaceTags: false });
    expect(untouched.code).toBe(0);
  });

  it('deploys a single file with a handler and name derived from it', async () => {
    await writeFile(join(cwd, 'ping.js'), 'exports.handler = async () => "pong";');
    const { code, stdout } = await stratus('deploy', 'ping.js', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ action: 'created', function: { functionName: 'ping', handler: 'ping.handler' } });
  });

  it('invokes, printing the result on stdout and the log tail on stderr', async () => {
    const { code, stdout, stderr } = await stratus('invoke', 'f', '--payload', '{"name":"Ada"}', '--log-type', 'Tail');
    expect(code).toBe(0);
    expect(stdout).toBe('{"got":{"name":"Ada"}}\n');
    expect(stderr).toContain('REPORT RequestId: r1');
  });

  it('retries a call that failed retryably, with the same client token', async () => {
    const { code, stdout, stderr } = await stratus('invoke', 'busy');
    expect(code).toBe(0);
    expect(stdout).toBe('{"got":{}}\n');
    expect(stderr).toMatch(/^retrying \(1 of 2\) after NO_CAPACITY/);
    const tokens = requests.filter((r) => r.method === 'Invoke').map((r) => (r.request as InvokeRequestMessage).clientToken);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe('');
  });

  it('reads the payload from a file', async () => {
    await writeFile(join(cwd, 'event.json'), '[1,2]');
    const { stdout } = await stratus('invoke', 'f', '--payload-file', 'event.json');
    expect(stdout).toBe('{"got":[1,2]}\n');
  });

  it("prints a failed handler's error on stderr and exits 1", async () => {
    const { code, stdout, stderr } = await stratus('invoke', 'broken');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toEqual({ errorType: 'Error', errorMessage: 'boom', trace: [] });
  });

  it('prints the whole invoke response with --json', async () => {
    const { code, stdout } = await stratus('invoke', 'f', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ statusCode: 200, payload: { got: {} }, requestId: 'r1' });
  });

  it('reports a platform error as "error: CODE: message" without a stack, exit 1', async () => {
    const { code, stdout, stderr } = await stratus('get', 'missing');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: FUNCTION_NOT_FOUND: Function not found: missing\n');
  });

  it('names the endpoint when nothing listens there', async () => {
    const dead = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) => {
      dead.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    dead.forceShutdown();
    const { code, stderr } = await stratus('ls', '--endpoint', `127.0.0.1:${port}`);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^error: UNAVAILABLE: could not reach the Stratus endpoint 127\\.0\\.0\\.1:${port}`));
  });

  it('exits 2 for bad usage, with the same error shape', async () => {
    const cases: string[][] = [
      ['invoke', 'f', '--payload', '{nope'],
      ['invoke', 'f', '--payload', '{}', '--payload-file', 'x.json'],
      ['invoke', 'f', '--log-type', 'Loud'],
      ['deploy', 'somewhere', '--memory', 'lots'],
      ['deploy', 'does-not-exist'],
      ['deploy', '.', '--env', 'NOEQUALS'],
      ['deploy', '.', '--egress', 'open'],
      ['deploy', '.', '--egress-allow', '10.0.0.0/33'],
      ['deploy', '.', '--log-format', 'xml'],
      ['deploy', '.', '--application-log-level', 'verbose'],
      ['deploy', '.', '--system-log-level', 'ERROR'],
      ['deploy', '.', '--tag', 'novalue'],
      ['ls', '--bogus'],
      ['get'],
    ];
    for (const argv of cases) {
      const { code, stderr } = await stratus(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toMatch(/^error: INVALID_ARGUMENT: /);
    }
  });

  it('lists functions as a table and as JSON, and deletes them', async () => {
    functions.set('a', toConfig('a', {}));
    expect((await stratus('ls')).stdout).toMatch(/^NAME\s+HANDLER/);
    expect(JSON.parse((await stratus('ls', '--json')).stdout)).toHaveLength(1);
    expect(await stratus('rm', 'a')).toMatchObject({ code: 0, stdout: 'deleted function a\n' });
    expect((await stratus('ls')).stdout).toMatch(/^no functions/);
  });
});
