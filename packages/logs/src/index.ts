export { ensureLogsStream, DEFAULT_LOGS_MAX_AGE_MS, DEFAULT_LOGS_MAX_BYTES } from './logs-stream.js';
export type { LogsStreamOptions } from './logs-stream.js';
export { createLogPublisher } from './log-publisher.js';
export type { LogPublisher, LogPublisherOptions } from './log-publisher.js';
export { LOG_HEADERS, encodeLogBatch, readLogEntries, readLogEntriesMetadata } from './log-entry.js';
export type { LogEntry, LogEntryMetadata } from './log-entry.js';
export { splitLogEvents, shiftEventSpans, cutEventSpans, validEventSpans } from './log-events.js';
export type { EventSpans, LogEvent } from './log-events.js';
