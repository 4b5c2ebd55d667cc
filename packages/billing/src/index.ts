export { createBillingAggregator } from './billing-aggregator.js';
export type { BillingAggregator, BillingAggregatorOptions } from './billing-aggregator.js';
export { DEFAULT_PRICES, costUsd } from './prices.js';
export type { PriceTable } from './prices.js';
export { BILLING_STATE_FILE } from './state-file.js';
