import { DEFAULT_PRICES, ETCD_AUTH_SETTINGS, ETCD_ENDPOINTS_SETTING, ETCD_TLS_SETTINGS, SHARED_SETTINGS, defineServiceConfig, drainGraceMsSetting, numberSetting, pathSetting, type ConfigOf } from '@stratus/contracts';

/**
 * The billing aggregator's settings: each names its environment variable,
 * parses, validates and defaults it. This module is the package's `config`
 * subpath: it loads nothing but zod and contracts, so launchers (the local
 * cluster) import it for the variables' names without loading the aggregator.
 */
export const billingConfig = defineServiceConfig('billing', {
  ...SHARED_SETTINGS,
  etcdEndpoints: {
    ...ETCD_ENDPOINTS_SETTING,
    doc: 'The etcd endpoints, comma-separated: read only, to refuse usage records for functions that do not exist.',
  },
  ...ETCD_AUTH_SETTINGS,
  ...ETCD_TLS_SETTINGS,
  dataDir: pathSetting({
    env: 'STRATUS_BILLING_DATA_DIR',
    doc: 'Where the aggregate is stored (one JSON file; rebuilt from the usage stream if lost); relative to the working directory. One aggregator per directory.',
    default: '.stratus/billing',
  }),
  perMillionRequestsUsd: numberSetting({
    env: 'STRATUS_PRICE_PER_MILLION_REQUESTS_USD',
    doc: "Price of a million requests, in USD (Lambda's x86 price by default); applies to past periods too, as cost is worked out when queried.",
    default: DEFAULT_PRICES.perMillionRequestsUsd,
    min: 0,
  }),
  perGbSecondUsd: numberSetting({
    env: 'STRATUS_PRICE_PER_GB_SECOND_USD',
    doc: "Price of a GB-second, in USD (Lambda's x86 price by default).",
    default: DEFAULT_PRICES.perGbSecondUsd,
    min: 0,
  }),
  drainGraceMs: drainGraceMsSetting(
    10_000,
    'On SIGTERM, how long the batch in hand may take to be applied and acked, in ms; what is not acked is redelivered to the next aggregator.',
  ),
});

/** The billing aggregator's resolved configuration. */
export type BillingConfig = ConfigOf<typeof billingConfig.settings>;
