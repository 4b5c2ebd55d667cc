import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_PRICES, createNamespace } from '@stratus/contracts';
import { runService } from '@stratus/service';
import { ensureUsageStream } from '@stratus/usage';
import { createBillingAggregator } from './billing-aggregator.js';

await runService({
  service: 'billing',
  start: async ({ env, log, nc }) => {
    const ns = createNamespace(env.namespace);
    const drainGraceMs = env.int('drainGraceMs', 10_000);
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const aggregator = await createBillingAggregator({
      nc,
      ns,
      log,
      dataDir: resolve(env.get('billingDataDir') ?? '.stratus/billing'),
      prices: {
        perMillionRequestsUsd: env.float('pricePerMillionRequestsUsd', DEFAULT_PRICES.perMillionRequestsUsd),
        perGbSecondUsd: env.float('pricePerGbSecondUsd', DEFAULT_PRICES.perGbSecondUsd),
      },
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
