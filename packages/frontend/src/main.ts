import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { runService } from '@stratus/service';
import { Frontend } from './frontend.js';

await runService({
  service: 'frontend',
  metrics: true,
  start: async ({ env, log, nc, metricsRegistry }) => {
    const etcd = createEtcdClient({ endpoints: (env.get('etcdEndpoints') ?? 'http://127.0.0.1:2379').split(',') });
    try {
      const frontend = await Frontend.create({
        nc,
        etcd,
        ns: createNamespace(env.namespace),
        log,
        grpcAddress: env.get('grpcAddress') ?? '127.0.0.1:50051',
        drainGraceMs: env.int('drainGraceMs', 30_000),
        accountConcurrencyLimit: env.int('accountConcurrency', 1000),
        deploy: {
          maxRunning: env.int('deployConcurrency', 2),
          maxWaiting: env.int('deployQueue', 4),
          timeLimitMs: env.int('deployTimeLimitMs', 30_000),
        },
        metricsRegistry,
      });
      return {
        ready: { address: frontend.address },
        stop: async () => {
          await frontend.close();
          etcd.close();
        },
      };
    } catch (err) {
      etcd.close();
      throw err;
    }
  },
});
