export { ensureUsageStream } from './usage-stream.js';
export type { UsageStreamOptions } from './usage-stream.js';
export { createUsagePublisher } from './usage-publisher.js';
export type { UsagePublisher, UsagePublisherOptions } from './usage-publisher.js';
export { USAGE_BATCH_HEADERS, encodeUsageBatch, encodeUsageBatchOfJson, readUsageMessage, usageBatchHeaders } from './usage-batch.js';
export type { UsageMessage } from './usage-batch.js';
export { UsageSpool, readSpool } from './usage-spool.js';
export type { SpoolContents, SpooledBatch, UsageSpoolOptions } from './usage-spool.js';
