import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode, type StratusError } from '@stratus/errors';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// One cluster with two frontends against the same etcd and NATS.
let cluster: TestCluster;
let secondClient: StratusClient;
let secondMetrics: string | undefined;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, frontends: 2 });
  const second = cluster.frontends[1];
  if (second === undefined) throw new Error('the cluster has no second frontend');
  secondMetrics = second.metricsAddress;
  secondClient = createStratusClient({ endpoint: second.grpcAddress, apiKey: cluster.apiKey });
});

afterAll(async () => {
  await secondClient?.close();
  await cluster?.stop();
});

describe('concurrency limits with two frontends', () => {
  it('keeps a function within its reserved concurrency across both frontends', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'shared',
      zipFile: indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return 1; };`),
    });
    await client.putFunctionConcurrency('shared', 40);
    // Both frontends see each other through their leases in etcd.
    await eventually(async () => ((await secondClient.getAccountConcurrency()).frontends === 2 ? true : undefined), 'two live frontends');

    let peak = 0;
    let done = false;
    const sample = (async () => {
      while (!done) {
        const account = await client.getAccountConcurrency();
        peak = Math.max(peak, account.functions.find((f) => f.functionName === 'shared')?.inFlight ?? 0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const call = (c: StratusClient) => c.invoke({ functionName: 'shared' }).catch((err: unknown) => err as StratusError);
    const results = await Promise.all([...Array.from({ length: 100 }, () => call(client)), ...Array.from({ length: 100 }, () => call(secondClient))]);
    done = true;
    await sample;

    const succeeded = results.filter((r) => !(r instanceof Error)).length;
    const throttled = results.filter((r) => hasCode(r, 'THROTTLED')).length;
    expect(succeeded + throttled).toBe(200);
    expect(succeeded).toBeGreaterThanOrEqual(40);
    expect(throttled).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(40);

    // The second frontend counted what it admitted and refused in its Prometheus metrics.
    expect(secondMetrics).toMatch(/^127\.0\.0\.1:\d+$/);
    const metrics = await (await fetch(`http://${secondMetrics}/metrics`)).text();
    expect(metrics).toMatch(/stratus_invocations_total\{function="shared",outcome="success"\} [1-9]/);
    expect(metrics).toMatch(/stratus_throttles_total\{function="shared",reason="ReservedFunctionConcurrentInvocationLimitExceeded"\} [1-9]/);
    expect(metrics).toContain('stratus_warm_hit_ratio{function="shared"}');
  }, 60_000);
});
