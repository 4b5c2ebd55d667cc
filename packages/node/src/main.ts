import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { runService } from '@stratus/service';
import { WorkerNode, defaultMemoryBudgetMb } from './worker-node.js';

await runService({
  service: 'node',
  metrics: true,
  start: async ({ env, log, nc, metricsRegistry }) => {
    const etcd = createEtcdClient({ endpoints: (env.get('etcdEndpoints') ?? 'http://127.0.0.1:2379').split(',') });
    const codeCacheDir = env.get('nodeCodeCacheDir');
    try {
      const node = await WorkerNode.create({
        nc,
        etcd,
        ns: createNamespace(env.namespace),
        log,
        nodeId: env.get('nodeId') ?? `node-${randomBytes(4).toString('hex')}`,
        memoryBudgetMb: env.int('nodeMemoryMb', defaultMemoryBudgetMb()),
        maxInFlight: env.int('nodeMaxInFlight', 1000),
        maxRunningIsolates: env.int('nodeMaxRunningIsolates', availableParallelism()),
        spareIsolatesPerMemorySize: env.int('nodeSpareIsolates', 2),
        leaseTtlSec: env.int('nodeLeaseTtlSec', 5),
        keepWarmMs: env.int('nodeKeepWarmMs', 300_000),
        drainGraceMs: env.int('drainGraceMs', 30_000),
        ...(codeCacheDir ? { codeCacheDir } : {}),
        metricsRegistry,
      });
      return {
        ready: { nodeId: node.nodeId },
        stop: async () => {
          await node.close();
          etcd.close();
        },
      };
    } catch (err) {
      etcd.close();
      throw err;
    }
  },
});
