import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import { ensureStream } from '@stratus/registry';
import type { JetStreamManager, StreamConfig, StreamInfo } from 'nats';
import type { Namespace } from '@stratus/contracts';

/** Options of {@link ensureLogsStream}. */
export interface LogsStreamOptions {
  /** How long an invocation's log is kept. Default 604_800_000 (7 days). */
  readonly maxAgeMs?: number;
  /** Size of the whole stream; the oldest logs are discarded past it. Default 1_073_741_824 (1 GiB). */
  readonly maxBytes?: number;
  /** Window in which a republished log (same request id) is dropped as a duplicate. Default 120_000 (2 min), at most `maxAgeMs`. */
  readonly duplicateWindowMs?: number;
  /** Stream replicas. Default 1; 3 in a NATS cluster. */
  readonly replicas?: number;
}

export const DEFAULT_LOGS_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_LOGS_MAX_BYTES = 1024 * 1024 * 1024;
const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the logs stream (limits retention: logs age out or are pushed out
 * by size, nothing consumes them away), or updates it when its settings
 * differ. Safe to call at once from many processes.
 */
export async function ensureLogsStream(jsm: JetStreamManager, ns: Namespace, options: LogsStreamOptions = {}): Promise<StreamInfo> {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_LOGS_MAX_AGE_MS;
  // JetStream refuses a duplicate window longer than the stream's max age.
  const duplicateWindowMs = Math.min(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS, maxAgeMs);
  const wanted: Partial<StreamConfig> & { name: string; subjects: [string] } = {
    name: ns.streams.logs,
    subjects: [ns.subjects.allFunctionLogs()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(maxAgeMs),
    max_bytes: options.maxBytes ?? DEFAULT_LOGS_MAX_BYTES,
    duplicate_window: nanos(duplicateWindowMs),
    num_replicas: options.replicas ?? 1,
  };
  return ensureStream(jsm, wanted);
}

export { jetStreamErrorCode } from '@stratus/registry';
