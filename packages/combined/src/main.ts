import { createNamespace } from '@stratus/contracts';
import { createEtcdClient, resolveEtcdCredentials } from '@stratus/registry/etcd';
import { readEtcdTls, readTlsFiles, runService } from '@stratus/service';
import { frontendSettingsFrom, readApiKeySealingKeyFile } from '@stratus/frontend';
import { frontendConfig } from '@stratus/frontend/config';
import { workerNodeSettingsFrom } from '@stratus/worker-node';
import { combinedConfig } from './config.js';
import { Combined } from './combined.js';

await runService({
  config: combinedConfig,
  start: async ({ config, log, nc, connectNats, metricsRegistry }) => {
    const grpcTls = await readTlsFiles({
      ca: [config.grpcTlsClientCa, frontendConfig.env.grpcTlsClientCa],
      cert: [config.grpcTlsCert, frontendConfig.env.grpcTlsCert],
      key: [config.grpcTlsKey, frontendConfig.env.grpcTlsKey],
    });
    if (grpcTls !== undefined && (grpcTls.cert === undefined || grpcTls.key === undefined)) {
      throw new Error(`${frontendConfig.env.grpcTlsClientCa} is set but ${frontendConfig.env.grpcTlsCert} is not: client certificates need TLS`);
    }
    const ns = createNamespace(config.namespace);
    const apiKeySealingKey = await readApiKeySealingKeyFile(config.apiKeySealingKeyFile);
    const etcdTls = await readEtcdTls(config);
    // Each half logs in as its own role, so the node may write only its registration and the frontend only what frontends write.
    const nodeNc =
      config.nodeNatsUser === undefined ? nc : await connectNats({ user: config.nodeNatsUser, password: config.nodeNatsPassword, role: 'node', nodeId: config.nodeId });
    const frontendEtcd = createEtcdClient({ endpoints: config.etcdEndpoints, auth: await resolveEtcdCredentials(config), tls: etcdTls });
    let nodeEtcd = frontendEtcd;
    const closeEtcd = (): void => {
      frontendEtcd.close();
      if (nodeEtcd !== frontendEtcd) nodeEtcd.close();
    };
    try {
      if (config.nodeEtcdUser !== undefined || config.nodeEtcdPassword !== undefined || config.nodeEtcdPasswordFile !== undefined) {
        const auth = await resolveEtcdCredentials({ etcdUser: config.nodeEtcdUser, etcdPassword: config.nodeEtcdPassword, etcdPasswordFile: config.nodeEtcdPasswordFile });
        nodeEtcd = createEtcdClient({ endpoints: config.etcdEndpoints, auth, tls: etcdTls });
      }
      const combined = await Combined.create({
        node: {
          nc: nodeNc,
          etcd: nodeEtcd,
          ns,
          log,
          ...workerNodeSettingsFrom(config),
          metricsRegistry,
          clusterEndpoints: [...config.etcdEndpoints, ...config.natsServers, ...(config.egressDeny ?? [])],
        },
        frontend: {
          nc,
          etcd: frontendEtcd,
          ns,
          log,
          ...frontendSettingsFrom(config),
          localChoice: { maxLocalWaitMs: config.maxLocalWaitMs, maxQueuedWaitMs: config.maxQueuedWaitMs, spreadMinIdleMillicores: config.spreadMinIdleMillicores },
          metricsRegistry,
          apiKeySealingKey,
          tls: grpcTls === undefined ? undefined : { cert: grpcTls.cert ?? '', key: grpcTls.key ?? '', clientCa: grpcTls.ca },
        },
      });
      return {
        ready: {
          address: combined.frontend.address,
          nodeId: combined.node.nodeId,
          ...(combined.frontend.httpAddress === undefined ? {} : { httpAddress: combined.frontend.httpAddress }),
        },
        stop: async () => {
          await combined.close();
          closeEtcd();
        },
      };
    } catch (err) {
      closeEtcd();
      throw err;
    }
  },
});
