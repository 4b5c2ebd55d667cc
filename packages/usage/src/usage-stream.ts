import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import type { JetStreamManager, StreamConfig, StreamInfo } from 'nats';
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
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

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
  const wanted: Partial<StreamConfig> & { name: string } = {
    name: ns.streams.usage,
    subjects: [ns.subjects.allUsageRecords()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(options.maxAgeMs ?? 0),
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
  };
  const existing = await streamInfo(jsm, wanted.name);
  if (existing === undefined) {
    try {
      return await jsm.streams.add(wanted);
    } catch (err) {
      if (jetStreamErrorCode(err) !== STREAM_NAME_IN_USE) throw err;
      // Another process created it with other settings between our info and add.
      return await jsm.streams.update(wanted.name, wanted);
    }
  }
  return differs(existing.config, wanted) ? await jsm.streams.update(wanted.name, wanted) : existing;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (jetStreamErrorCode(err) === STREAM_NOT_FOUND) return undefined;
    throw err;
  }
}

function differs(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  return (
    current.max_age !== wanted.max_age ||
    current.duplicate_window !== wanted.duplicate_window ||
    current.num_replicas !== wanted.num_replicas ||
    current.discard !== wanted.discard ||
    current.subjects.length !== 1 ||
    current.subjects[0] !== wanted.subjects?.[0]
  );
}

/** JetStream's own error code (`err_code`), read structurally so it survives duplicate copies of the nats package. */
function jetStreamErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const apiError = (err as { api_error?: { err_code?: unknown } }).api_error;
  return typeof apiError?.err_code === 'number' ? apiError.err_code : undefined;
}
