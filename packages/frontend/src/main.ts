import { createNamespace } from '@stratus/contracts';
import { createEtcdClient, resolveEtcdCredentials } from '@stratus/registry/etcd';
import { readEtcdTls, readTlsFiles, runService } from '@stratus/service';
import { frontendConfig } from './config.js';
import { frontendSettingsFrom } from './settings-from-config.js';
import { Frontend } from './frontend.js';
import { readApiKeySealingKeyFile } from '@stratus/registry';

await runService({
  config: frontendConfig,
  start: async ({ config, log, nc, metricsRegistry }) => {
    const grpcTls = await readTlsFiles({
      ca: [config.grpcTlsClientCa, frontendConfig.env.grpcTlsClientCa],
      cert: [config.grpcTlsCert, frontendConfig.env.grpcTlsCert],
      key: [config.grpcTlsKey, frontendConfig.env.grpcTlsKey],
    });
    if (grpcTls !== undefined && (grpcTls.cert === undefined || grpcTls.key === undefined)) {
      throw new Error(`${frontendConfig.env.grpcTlsClientCa} is set but ${frontendConfig.env.grpcTlsCert} is not: client certificates need TLS`);
    }
    const apiKeySealingKey = await readApiKeySealingKeyFile(config.apiKeySealingKeyFile);
    const etcd = createEtcdClient({ endpoints: config.etcdEndpoints, auth: await resolveEtcdCredentials(config), tls: await readEtcdTls(config) });
    try {
      const frontend = await Frontend.create({
        nc,
        etcd,
        ns: createNamespace(config.namespace),
        log,
        ...frontendSettingsFrom(config),
        metricsRegistry,
        apiKeySealingKey,
        tls: grpcTls === undefined ? undefined : { cert: grpcTls.cert ?? '', key: grpcTls.key ?? '', clientCa: grpcTls.ca },
      });
      return {
        ready: { address: frontend.address, ...(frontend.httpAddress === undefined ? {} : { httpAddress: frontend.httpAddress }) },
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
