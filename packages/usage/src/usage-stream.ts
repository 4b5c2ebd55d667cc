import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import type { JetStreamManager, StreamConfig, StreamInfo } from 'nats';
import { ensureStream } from '@stratus/registry';
import type { Namespace } from '@stratus/contracts';

/** Options of {@link ensureUsageStream}. */
export interface UsageStreamOptions {
  /** How long records are kept. Default 0: forever, because the billing aggregator rebuilds its store from this stream. */
  readonly maxAgeMs?: number;
  /** Window in which a republished record (same request id) is dropped as a duplicate. Default 120_000 (2 min). */
  readonly duplicateWindowMs?: number;
  /** Stream replicas. Default 1; 3 in a NATS cluster. */
  readonly replicas?: number;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the usage stream, or updates it when its settings differ. Safe to
 * call at once from many processes: whoever loses the race to create it
 * falls through to the update path.
 */
export async function ensureUsageStream(
  jsm: JetStreamManager,
  ns: Namespace,
  options: UsageStreamOptions = {},
): Promise<StreamInfo> {
  const wanted: Partial<StreamConfig> & { name: string; subjects: [string] } = {
    name: ns.streams.usage,
    subjects: [ns.subjects.allUsageRecords()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(options.maxAgeMs ?? 0),
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
  };
  return ensureStream(jsm, wanted);
}
