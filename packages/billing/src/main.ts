import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace } from '@stratus/contracts';
import { runService } from '@stratus/service';
import { ensureUsageStream } from '@stratus/usage';
import { createBillingAggregator } from './billing-aggregator.js';
import { billingConfig } from './config.js';

await runService({
  config: billingConfig,
  start: async ({ config, log, nc }) => {
    const ns = createNamespace(config.namespace);
    const { drainGraceMs } = config;
    await ensureUsageStream(await nc.jetstreamManager(), ns, { replicas: config.jetStreamReplicas });
    const aggregator = await createBillingAggregator({
      nc,
      ns,
      log,
      dataDir: resolve(config.dataDir),
      prices: { perMillionRequestsUsd: config.perMillionRequestsUsd, perGbSecondUsd: config.perGbSecondUsd },
    });
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
      },
    };
  },
});
