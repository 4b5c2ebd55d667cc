import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
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
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the logs stream (limits retention: logs age out or are pushed out
 * by size, nothing consumes them away), or updates it when its settings
 * differ. Safe to call at once from many processes.
 */
export async function ensureLogsStream(jsm: JetStreamManager, ns: Namespace, options: LogsStreamOptions = {}): Promise<StreamInfo> {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_LOGS_MAX_AGE_MS;
  // JetStream refuses a duplicate window longer than the stream's max age.
  const duplicateWindowMs = Math.min(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS, maxAgeMs);
  const wanted: Partial<StreamConfig> & { name: string } = {
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
  let existing: StreamInfo | undefined;
  try {
    existing = await jsm.streams.info(wanted.name);
  } catch (err) {
    if (jetStreamErrorCode(err) !== STREAM_NOT_FOUND) throw err;
  }
  if (existing === undefined) {
    try {
      return await jsm.streams.add(wanted);
    } catch (err) {
      // Another process created it between our info and add.
      if (jetStreamErrorCode(err) !== STREAM_NAME_IN_USE) throw err;
      return await jsm.streams.update(wanted.name, wanted);
    }
  }
  const current = existing.config;
  const same =
    current.max_age === wanted.max_age &&
    current.max_bytes === wanted.max_bytes &&
    current.duplicate_window === wanted.duplicate_window &&
    current.num_replicas === wanted.num_replicas &&
    current.subjects.length === 1 &&
    current.subjects[0] === wanted.subjects?.[0];
  return same ? existing : await jsm.streams.update(wanted.name, wanted);
}

/** JetStream's own error code, read structurally so it survives duplicate copies of the nats package. */
export function jetStreamErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const apiError = (err as { api_error?: { err_code?: unknown } }).api_error;
  return typeof apiError?.err_code === 'number' ? apiError.err_code : undefined;
}
