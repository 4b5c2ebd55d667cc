import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// A short keep-warm period, so on-demand environments visibly go away while provisioned ones stay.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, env: { node: { STRATUS_NODE_KEEP_WARM_MS: '1000' } } });
});
afterAll(async () => {
  await cluster?.stop();
});

async function provisionedOnNodes(functionName: string): Promise<number> {
  let total = 0;
  for (const node of await cluster.client.listNodes()) {
    total += node.functions.filter((f) => f.functionName === functionName).reduce((sum, f) => sum + f.idle + f.busy, 0);
  }
  return total;
}

describe('provisioned concurrency', () => {
  it('keeps N environments initialised through idle periods, and calls up to N start warm', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'ready',
      zipFile: indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return 'warm?'; };`),
    });
    const requested = await client.putProvisionedConcurrencyConfig('ready', 4);
    expect(requested).toMatchObject({ requestedProvisionedConcurrentExecutions: 4 });
    expect(['IN_PROGRESS', 'READY']).toContain(requested.status);

    await eventually(async () => {
      const config = await client.getProvisionedConcurrencyConfig('ready');
      return config.status === 'READY' ? config : undefined;
    }, 'provisioned concurrency to be READY');
    // Well past the keep-warm period, nothing was called, and the environments are still there.
    await new Promise((r) => setTimeout(r, 2500));
    const config = await client.getProvisionedConcurrencyConfig('ready');
    expect(config).toMatchObject({ status: 'READY', allocatedProvisionedConcurrentExecutions: 4, availableProvisionedConcurrentExecutions: 4 });
    expect(await provisionedOnNodes('ready')).toBe(4);

    const results = await Promise.all(Array.from({ length: 4 }, () => client.invoke({ functionName: 'ready' })));
    expect(results.map((r) => r.coldStart)).toEqual([false, false, false, false]);
    // The environments are spread over both nodes.
    expect(new Set(results.map((r) => r.nodeId)).size).toBe(2);
  }, 60_000);

  it('goes back to on demand when the config is deleted', async () => {
    const { client } = cluster;
    const deleted = await client.deleteProvisionedConcurrencyConfig('ready');
    expect(deleted.status).toBe('NONE');
    await eventually(async () => ((await provisionedOnNodes('ready')) === 0 ? true : undefined), 'the environments to age out');
  });

  it('refuses more provisioned than reserved concurrency', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'small', zipFile: indexJs(`exports.handler = async () => 1;`) });
    await client.putFunctionConcurrency('small', 2);
    await expect(client.putProvisionedConcurrencyConfig('small', 3)).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_ARGUMENT') && /should not be greater than the reservedConcurrentExecution/.test((err as Error).message),
    );
  });
});
