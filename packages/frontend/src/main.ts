import { createNamespace } from '@stratus/contracts';
import { createEtcdClient, resolveEtcdCredentials } from '@stratus/registry/etcd';
import { runService } from '@stratus/service';
import { frontendConfig } from './config.js';
import { Frontend } from './frontend.js';

await runService({
  config: frontendConfig,
  start: async ({ config, log, nc, metricsRegistry }) => {
    const etcd = createEtcdClient({ endpoints: config.etcdEndpoints, auth: await resolveEtcdCredentials(config) });
    try {
      const frontend = await Frontend.create({
        nc,
        etcd,
        ns: createNamespace(config.namespace),
        log,
        grpcAddress: config.grpcAddress,
        drainGraceMs: config.drainGraceMs,
        accountConcurrencyLimit: config.accountConcurrencyLimit,
        deploy: {
          maxRunning: config.deployConcurrency,
          maxWaiting: config.deployQueue,
          timeLimitMs: config.deployTimeLimitMs,
        },
        metricsRegistry,
        jetStreamReplicas: config.jetStreamReplicas,
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
