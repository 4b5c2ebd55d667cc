export { createBillingAggregator } from './billing-aggregator.js';
export type { BillingAggregator, BillingAggregatorOptions } from './billing-aggregator.js';
export { BILLING_STATE_FILE } from './state-file.js';
