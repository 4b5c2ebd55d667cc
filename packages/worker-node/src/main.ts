import { createNamespace } from '@stratus/contracts';
import { createEtcdClient, resolveEtcdCredentials } from '@stratus/registry/etcd';
import { readEtcdTls, runService } from '@stratus/service';
import { nodeConfig } from './config.js';
import { workerNodeSettingsFrom } from './settings-from-config.js';
import { WorkerNode } from './worker-node.js';

await runService({
  config: nodeConfig,
  start: async ({ config, log, nc, metricsRegistry }) => {
    const etcd = createEtcdClient({ endpoints: config.etcdEndpoints, auth: await resolveEtcdCredentials(config), tls: await readEtcdTls(config) });
    try {
      const node = await WorkerNode.create({
        nc,
        etcd,
        ns: createNamespace(config.namespace),
        log,
        ...workerNodeSettingsFrom(config),
        metricsRegistry,
        clusterEndpoints: [...config.etcdEndpoints, ...config.natsServers, ...(config.egressDeny ?? [])],
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
