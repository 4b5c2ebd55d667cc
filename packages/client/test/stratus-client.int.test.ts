import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { GRPC_ERROR_METADATA, loadStratusApi } from '@stratus/contracts/grpc';
import type {
  CreateFunctionRequestMessage,
  FunctionConfigurationMessage,
  InvokeRequestMessage,
  InvokeResponseMessage,
  UpdateFunctionRequestMessage,
} from '@stratus/contracts/grpc';
import { createStratusClient, invokeWithRetries, type StratusClient } from '../src/index.js';

// A fake frontend: this file tests the client's mapping of requests,
// responses and errors, not the platform.
type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

const seen: { method: string; request: unknown; authorization: unknown }[] = [];

function config(name: string): FunctionConfigurationMessage {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memorySizeMb: 256,
    timeoutSec: 5,
    environment: { A: '1' },
    description: '',
    codeSha256: 'abc=',
    codeSize: 1234,
    version: '$LATEST',
    lastModified: '2024-01-01T00:00:00.000Z',
    revision: 3,
    hasReservedConcurrency: false,
    reservedConcurrency: 0,
    ephemeralStorageMb: 512,
    deployWarnings: [],
    egress: null,
    loggingConfig: null,
    tags: {},
  };
}

const flakyTokens = new Set<string>();

function stratusError(code: string, grpcCode: grpc.status, message: string, details?: Record<string, string>, retryable = false): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  metadata.set(GRPC_ERROR_METADATA.code, code);
  metadata.set(GRPC_ERROR_METADATA.retryable, String(retryable));
  if (details) metadata.set(GRPC_ERROR_METADATA.details, JSON.stringify(details));
  return Object.assign(new Error(message), { code: grpcCode, details: message, metadata });
}

const record =
  (method: string, respond: (request: unknown) => unknown): Handler =>
  (call, callback) => {
    seen.push({ method, request: call.request, authorization: call.metadata.get('authorization')[0] });
    try {
      callback(null, respond(call.request));
    } catch (err) {
      callback(err as grpc.ServiceError);
    }
  };

function invokeResponse(req: unknown): Partial<InvokeResponseMessage> {
  const r = req as InvokeRequestMessage;
  return {
    statusCode: 200,
    payload: Buffer.from(JSON.stringify({ echo: r.payload.toString('utf8') })),
    functionError: r.functionName === 'fails' ? 'Unhandled' : '',
    requestId: 'req-1',
    durationMs: 1.5,
    billedDurationMs: 2,
    logResult: r.logType === 'TAIL' ? Buffer.from('START RequestId: req-1\nhello\n').toString('base64') : '',
    report: 'REPORT RequestId: req-1\tDuration: 1.50 ms',
  };
}

const handlers: Record<string, Record<string, Handler>> = {
  Functions: {
    CreateFunction: record('CreateFunction', (req) => {
      const r = req as CreateFunctionRequestMessage;
      if (r.functionName === 'taken') throw stratusError('FUNCTION_ALREADY_EXISTS', grpc.status.ALREADY_EXISTS, 'Function already exist: taken');
      return config(r.functionName);
    }),
    UpdateFunction: record('UpdateFunction', (req) => config((req as UpdateFunctionRequestMessage).functionName)),
    GetFunction: record('GetFunction', (req) => {
      const name = (req as { functionName: string }).functionName;
      if (name === 'missing') {
        throw stratusError('FUNCTION_NOT_FOUND', grpc.status.NOT_FOUND, 'Function not found: missing', { resource: 'missing' });
      }
      if (name === 'plain-unavailable') throw Object.assign(new Error('down'), { code: grpc.status.UNAVAILABLE, details: 'down' });
      if (name === 'plain-not-found') throw Object.assign(new Error('nope'), { code: grpc.status.NOT_FOUND, details: 'nope' });
      return config(name);
    }),
    ListFunctions: record('ListFunctions', () => ({ functions: [config('a'), config('b')] })),
    DeleteFunction: record('DeleteFunction', () => ({})),
  },
  Invoker: {
    Invoke: (call, callback) => {
      const request = call.request as InvokeRequestMessage;
      // Never answers, so the client's deadline has to end the call.
      if (request.functionName === 'hangs') return;
      // Refuses each token's first attempt with a retryable error.
      if (request.functionName === 'flaky' && !flakyTokens.has(request.clientToken)) {
        flakyTokens.add(request.clientToken);
        seen.push({ method: 'Invoke', request, authorization: undefined });
        callback(stratusError('NO_CAPACITY', grpc.status.UNAVAILABLE, 'no worker node could take the invocation', undefined, true));
        return;
      }
      record('Invoke', invokeResponse)(call, callback);
    },
  },
  Usage: {
    GetUsage: record('GetUsage', (req) => ({
      functions: [{ functionName: (req as { functionName: string }).functionName || 'a', requests: 2, billedMs: 3, gbSeconds: 0.5, costUsd: 0.001 }],
      total: { functionName: '', requests: 2 },
      appliedThroughSequence: 9,
    })),
  },
  Nodes: {
    ListNodes: record('ListNodes', () => ({ nodes: [{ nodeId: 'n1', host: 'h', pid: 42, memoryBudgetMb: 1024, state: 'ready' }] })),
  },
};

let server: grpc.Server;
let endpoint: string;
let client: StratusClient;

beforeAll(async () => {
  const api = loadStratusApi();
  server = new grpc.Server();
  for (const name of ['Functions', 'Invoker', 'Usage', 'Nodes'] as const) {
    server.addService(api.services[name].service, handlers[name] as grpc.UntypedServiceImplementation);
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  endpoint = `127.0.0.1:${port}`;
});

afterAll(async () => {
  // Forced: the call that never answers is still open.
  server.forceShutdown();
});

afterEach(async () => {
  seen.length = 0;
  await client.close();
});

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; retryable: boolean; details: Record<string, string> }> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!hasCode(err)) throw new Error(`expected a StratusError, got ${String(err)}`);
  return { code: err.code, message: err.message, retryable: err.retryable, details: { ...err.details } };
}

describe('StratusClient', () => {
  it('creates a function, sending the zip and leaving unset fields to the server defaults', async () => {
    client = createStratusClient({ endpoint });
    const zip = new Uint8Array([80, 75, 5, 6]);
    const result = await client.createFunction({ functionName: 'f', zipFile: zip, environment: { K: 'v' } });
    expect(result).toMatchObject({ functionName: 'f', memorySizeMb: 256, codeSize: 1234, revision: 3 });
    const request = seen[0]?.request as CreateFunctionRequestMessage;
    expect(request.code?.zipFile).toEqual(Buffer.from(zip));
    expect(request).toMatchObject({ handler: '', memorySizeMb: 0, timeoutSec: 0, environment: { K: 'v' } });
  });

  it('updates only the fields it is given', async () => {
    client = createStratusClient({ endpoint });
    await client.updateFunction({ functionName: 'f', memorySizeMb: 512 });
    const request = seen[0]?.request as UpdateFunctionRequestMessage;
    expect(request.memorySizeMb).toBe(512);
    expect(request.handler).toBeUndefined();
    expect(request.timeoutSec).toBeUndefined();
    expect(request.code).toBeNull();
  });

  it('gets, lists and deletes functions', async () => {
    client = createStratusClient({ endpoint });
    expect((await client.getFunction('f')).functionName).toBe('f');
    expect((await client.listFunctions()).map((f) => f.functionName)).toEqual(['a', 'b']);
    await expect(client.deleteFunction('a')).resolves.toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(['GetFunction', 'ListFunctions', 'DeleteFunction']);
  });

  it('invokes with a string or byte payload and decodes the payload and log tail', async () => {
    client = createStratusClient({ endpoint });
    const result = await client.invoke({ functionName: 'f', payload: '{"name":"Ada"}', logType: 'TAIL' });
    expect(JSON.parse(result.payloadText)).toEqual({ echo: '{"name":"Ada"}' });
    expect(Buffer.isBuffer(result.payload)).toBe(true);
    expect(result.logText).toBe('START RequestId: req-1\nhello\n');
    expect(result).toMatchObject({ statusCode: 200, functionError: '', requestId: 'req-1', billedDurationMs: 2 });
    expect(seen[0]?.request).toMatchObject({ invocationType: 'REQUEST_RESPONSE', logType: 'TAIL', qualifier: '' });

    const bytes = await client.invoke({ functionName: 'fails', payload: new TextEncoder().encode('[1]') });
    expect(bytes.functionError).toBe('Unhandled');
    expect(bytes.logText).toBe('');
    expect(JSON.parse(bytes.payloadText)).toEqual({ echo: '[1]' });
  });

  it('queries usage and nodes', async () => {
    client = createStratusClient({ endpoint });
    const usage = await client.getUsage({ functionName: 'x' });
    expect(usage.functions[0]).toMatchObject({ functionName: 'x', requests: 2, billedMs: 3, gbSeconds: 0.5 });
    expect(usage.appliedThroughSequence).toBe(9);
    expect(seen[0]?.request).toMatchObject({ functionName: 'x', startTimeMs: 0, endTimeMs: 0 });
    const nodes = await client.listNodes();
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ nodeId: 'n1', pid: 42, memoryBudgetMb: 1024, inFlight: 0 });
  });

  it('spreads calls over several channels', async () => {
    client = createStratusClient({ endpoint, channels: 3 });
    await client.waitForReady(5_000);
    const names = await Promise.all(Array.from({ length: 6 }, (_, i) => client.getFunction(`f${i}`)));
    expect(names.map((n) => n.functionName)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
  });

  it('rejects with the Stratus code from trailing metadata, with retryable and details', async () => {
    client = createStratusClient({ endpoint });
    const err = await rejection(client.getFunction('missing'));
    expect(err).toEqual({
      code: 'FUNCTION_NOT_FOUND',
      message: 'Function not found: missing',
      retryable: false,
      details: { resource: 'missing' },
    });
    expect((await rejection(client.createFunction({ functionName: 'taken', zipFile: new Uint8Array() }))).code).toBe(
      'FUNCTION_ALREADY_EXISTS',
    );
  });

  it('maps a gRPC status without metadata to a code', async () => {
    client = createStratusClient({ endpoint });
    expect(await rejection(client.getFunction('plain-not-found'))).toMatchObject({ code: 'FUNCTION_NOT_FOUND', message: 'nope' });
    const unavailable = await rejection(client.getFunction('plain-unavailable'));
    expect(unavailable.code).toBe('UNAVAILABLE');
    expect(unavailable.message).toContain(`could not reach the Stratus endpoint ${endpoint}`);
    expect(unavailable.retryable).toBe(true);
  });

  it('reports an endpoint nobody listens on as UNAVAILABLE, naming it', async () => {
    const closedServer = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) => {
      closedServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    closedServer.forceShutdown();
    client = createStratusClient({ endpoint: `127.0.0.1:${port}` });
    const err = await rejection(client.listFunctions());
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toContain(`could not reach the Stratus endpoint 127.0.0.1:${port}`);
    const ready = await rejection(client.waitForReady(200));
    expect(ready.code).toBe('UNAVAILABLE');
  });

  it('ends a call at its deadline: a timed-out invocation is not retryable', async () => {
    client = createStratusClient({ endpoint, deadlineMs: 200 });
    const err = await rejection(client.invoke({ functionName: 'hangs' }));
    expect(err.code).toBe('INVOCATION_TIMEOUT');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('within 200 ms');
  });

  it('sends its API key on every call as a bearer token', async () => {
    const apiKey = `SK${'A'.repeat(18)}.${'s'.repeat(40)}`;
    client = createStratusClient({ endpoint, apiKey });
    await client.listFunctions();
    await client.invoke({ functionName: 'f' });
    expect(seen.map((s) => s.authorization)).toEqual([`Bearer ${apiKey}`, `Bearer ${apiKey}`]);
    expect(() => createStratusClient({ endpoint, apiKey: 'two words' })).toThrow(/printable characters/);
  });

  it('reports an Invoke whose connection broke as INVOCATION_LOST, retryable only when it carried a client token', async () => {
    const api = loadStratusApi();
    const dropping = new grpc.Server();
    let arrived = 0;
    dropping.addService(api.services.Invoker.service, {
      Invoke: () => {
        arrived += 1;
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      dropping.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    client = createStratusClient({ endpoint: `127.0.0.1:${port}` });
    const plain = rejection(client.invoke({ functionName: 'f' }));
    const tokened = rejection(client.invoke({ functionName: 'f', clientToken: 'token-1' }));
    while (arrived < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    dropping.forceShutdown();
    expect(await plain).toMatchObject({ code: 'INVOCATION_LOST', retryable: false });
    expect(await tokened).toMatchObject({ code: 'INVOCATION_LOST', retryable: true });
    // Never sent at all: plainly retryable.
    expect(await rejection(client.invoke({ functionName: 'f' }))).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('retries a retryable failure with the same client token on every attempt', async () => {
    client = createStratusClient({ endpoint });
    const retried: string[] = [];
    const result = await invokeWithRetries(client, { functionName: 'flaky' }, { backoffMs: 1, onRetry: (err) => retried.push((err as unknown as { code: string }).code) });
    expect(result.statusCode).toBe(200);
    expect(retried).toEqual(['NO_CAPACITY']);
    const tokens = seen.filter((s) => s.method === 'Invoke').map((s) => (s.request as InvokeRequestMessage).clientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toBe(tokens[0]);
    await expect(invokeWithRetries(client, { functionName: 'missing-flaky' }, { retries: 0 })).resolves.toMatchObject({ statusCode: 200 });
  });

  it('fails calls after close, and close is idempotent', async () => {
    client = createStratusClient({ endpoint });
    await client.close();
    await client.close();
    expect((await rejection(client.listNodes())).code).toBe('UNAVAILABLE');
  });
});
