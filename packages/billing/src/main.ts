import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient, resolveEtcdCredentials } from '@stratus/registry/etcd';
import { readEtcdTls, runService } from '@stratus/service';
import { ensureUsageStream } from '@stratus/usage';
import { createBillingAggregator } from './billing-aggregator.js';
import { billingConfig } from './config.js';

await runService({
  config: billingConfig,
  start: async ({ config, log, nc }) => {
    const ns = createNamespace(config.namespace);
    const { drainGraceMs } = config;
    await ensureUsageStream(await nc.jetstreamManager(), ns, { replicas: config.jetStreamReplicas });
    // Read only, and only for a function billing has not seen yet: records for functions that do not exist are refused.
    const etcd = createEtcdClient({ endpoints: [...config.etcdEndpoints], auth: await resolveEtcdCredentials(config), tls: await readEtcdTls(config) });
    let aggregator: Awaited<ReturnType<typeof createBillingAggregator>>;
    try {
      aggregator = await createBillingAggregator({
        functionExists: async (functionName) => (await etcd.get(ns.keys.function(functionName)).exists()),
        nc,
        ns,
        log,
        dataDir: resolve(config.dataDir),
        prices: { perMillionRequestsUsd: config.perMillionRequestsUsd, perGbSecondUsd: config.perGbSecondUsd },
      });
    } catch (err) {
      etcd.close();
      throw err;
    }
    log.info({ namespace: ns.prefix }, 'billing aggregator ready');
    return {
      ready: {},
      // Finish the batch in hand within the grace period; past it, close anyway:
      // what was not acked is redelivered to the next aggregator and nothing is lost.
      stop: async () => {
        const grace = new AbortController();
        const outcome = await Promise.race([
          aggregator.drain().then(() => 'drained' as const),
          sleep(drainGraceMs, 'expired' as const, { signal: grace.signal }),
        ]);
        grace.abort();
        if (outcome === 'expired') log.warn({ drainGraceMs }, 'drain did not finish within the grace period; closing');
        await aggregator.close();
        etcd.close();
      },
    };
  },
});
