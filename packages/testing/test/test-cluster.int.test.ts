import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../src/index.js';

const fakeService = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-service.mjs');

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('startTestCluster', () => {
  it('starts a cluster in a temp dir with a random namespace and a connected client; stop removes it all', async () => {
    // Fake services: this checks the fixture's wiring, not the services.
    cluster = await startTestCluster({
      nodes: 1,
      serviceMains: { frontend: fakeService, node: fakeService, billing: fakeService },
      env: { frontend: { FAKE_SERVICE: 'frontend' }, node: { FAKE_SERVICE: 'node' }, billing: { FAKE_SERVICE: 'billing' } },
    });
    expect(cluster.namespace).toMatch(/^t[a-z0-9]{8}$/);
    expect(cluster.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cluster.grpcAddress).not.toBe('127.0.0.1:0');
    expect(cluster.client.endpoint).toBe(cluster.grpcAddress);
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(['node-1']);
    const { dataDir } = cluster;
    expect(await exists(dataDir)).toBe(true);

    await cluster.stop();
    await cluster.stop();
    expect(await exists(dataDir)).toBe(false);
  });
});
