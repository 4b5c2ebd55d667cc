import * as grpc from '@grpc/grpc-js';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { createStratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 0 });
  await cluster.client.createFunction({ functionName: 'numbers', zipFile: zipSync({ 'index.js': strToU8('exports.handler = async () => 1;') }) });
});
afterAll(async () => {
  await cluster?.stop();
});

async function invalidArgument(call: () => Promise<unknown>): Promise<string> {
  const err: unknown = await call().then(
    () => new Error('expected INVALID_ARGUMENT'),
    (e: unknown) => e,
  );
  if (!hasCode(err, 'INVALID_ARGUMENT')) throw err;
  return err.message;
}

describe('numeric settings are validated, never truncated, through real gRPC calls', () => {
  it('refuses a fraction before it is sent: protobuf would have sent 128.5 MB as 128 and 2.5 s as 2', async () => {
    const { client } = cluster;
    const zipFile = zipSync({ 'index.js': strToU8('exports.handler = async () => 1;') });
    expect(await invalidArgument(() => client.createFunction({ functionName: 'frac', zipFile, memorySizeMb: 128.5 }))).toMatch(/^memorySizeMb must be a whole number/);
    expect(await invalidArgument(() => client.updateFunction({ functionName: 'numbers', timeoutSec: 2.5 }))).toMatch(/^timeoutSec must be a whole number/);
    expect(await invalidArgument(() => client.getUsage({ startTimeMs: 1.5 }))).toMatch(/^startTimeMs must be a whole number/);
    expect(() => client.tailLogs({ functionName: 'numbers', limit: 2.5 }, () => {})).toThrow(/limit must be a whole number/);
    await expect(client.getFunction('frac')).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    expect((await client.getFunction('numbers')).timeoutSec).toBe(3);
  });

  it('refuses it in any grpc-js client made from the API, rather than truncating it', async () => {
    const Functions = loadStratusApi().services.Functions;
    const raw = new Functions(cluster.client.endpoint, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) => {
        (raw['updateFunction'] as (req: object, cb: (err: grpc.ServiceError | null) => void) => void)({ functionName: 'numbers', memorySizeMb: 128.5 }, resolve);
      });
      expect(err?.details).toMatch(/memorySizeMb must be a whole number from 0 to 4294967295, got 128.5/);
    } finally {
      raw.close();
    }
    expect((await cluster.client.getFunction('numbers')).memorySizeMb).toBe(128);
  });

  it.each([
    ['memory over the maximum', () => cluster.client.updateFunction({ functionName: 'numbers', memorySizeMb: 4294967295 }), /memorySizeMb must be a whole number from 128 to 10240 MB; got 4294967295/],
    ['a zero timeout in an update', () => cluster.client.updateFunction({ functionName: 'numbers', timeoutSec: 0 }), /timeoutSec must be a whole number from 1 to 900 s; got 0/],
    ['a negative usage start', () => cluster.client.getUsage({ startTimeMs: -5 }), /startTimeMs must be a whole number from 1 to 8640000000000000 ms since the epoch, or 0 for unbounded; got -5/],
    ['a usage range that ends before it starts', () => cluster.client.getUsage({ startTimeMs: 2000, endTimeMs: 1000 }), /endTimeMs \(1000\) must be after startTimeMs \(2000\)/],
    ['a reservation over what the account has', () => cluster.client.putFunctionConcurrency('numbers', 4294967295), /reservedConcurrentExecutions must be a whole number from 0 to 900; got 4294967295/],
    ['zero provisioned concurrency', () => cluster.client.putProvisionedConcurrencyConfig('numbers', 0), /provisionedConcurrentExecutions must be a whole number from 1 to 900; got 0/],
    ['a log limit over the maximum', () => cluster.client.getLogs({ functionName: 'numbers', limit: 20_000 }), /limit must be a whole number from 1 to 10000, or 0 for the default, 100; got 20000/],
    ['a negative log end time', () => cluster.client.getLogs({ functionName: 'numbers', endTimeMs: -1 }), /endTimeMs must be a whole number from 1/],
    ['a tail limit over the maximum', () => cluster.client.tailLogs({ functionName: 'numbers', limit: 20_000 }, () => {}).done, /limit must be a whole number from 0 to 10000; got 20000/],
  ])('the frontend refuses %s, naming the field and the allowed range', async (_name, call, expected) => {
    expect(await invalidArgument(call)).toMatch(expected);
    const fn = await cluster.client.getFunction('numbers');
    expect(fn).toMatchObject({ memorySizeMb: 128, timeoutSec: 3, hasReservedConcurrency: false });
  });

  it('checks the caller first: without a valid key, or without the scope, a bad number is not what the caller hears about', async () => {
    const keyId = cluster.apiKey.split('.')[0];
    const wrongKey = createStratusClient({ endpoint: cluster.client.endpoint, apiKey: `${keyId}.${'x'.repeat(40)}` });
    const reader = createStratusClient({ endpoint: cluster.client.endpoint, apiKey: (await cluster.client.createKey({ scopes: ['read'] })).apiKey });
    try {
      await expect(wrongKey.updateFunction({ functionName: 'numbers', memorySizeMb: 4294967295 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(wrongKey.getUsage({ startTimeMs: -5 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(wrongKey.tailLogs({ functionName: 'numbers', limit: 20_000 }, () => {}).done).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(reader.putFunctionConcurrency('numbers', 4294967295)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await invalidArgument(() => reader.getUsage({ startTimeMs: -5 }))).toMatch(/^startTimeMs must be a whole number/);
    } finally {
      await wrongKey.close();
      await reader.close();
    }
  });
});
