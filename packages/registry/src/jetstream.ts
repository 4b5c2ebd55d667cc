import type { JetStreamManager, StreamConfig, StreamInfo } from 'nats';

/** JetStream API error codes Stratus branches on. */
export const JS_ERR = {
  consumerNotFound: 10014,
  noMessageFound: 10037,
  streamNameInUse: 10058,
  streamNotFound: 10059,
} as const;

/** JetStream's own error code (`err_code`), read structurally so it survives duplicate copies of the nats package. */
export function jetStreamErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const apiError = (err as { api_error?: { err_code?: unknown } }).api_error;
  return typeof apiError?.err_code === 'number' ? apiError.err_code : undefined;
}

const SETUP_ATTEMPTS = 5;

/**
 * Runs a JetStream setup step (creating or updating a stream or bucket),
 * again when it times out. nats-server 2.9 answers nobody when several
 * clients create the same replicated stream at once (three nodes or two
 * frontends starting together on a NATS cluster): each waits out its
 * timeout, and the next try finds the stream made. Other errors are thrown at once.
 */
export async function retryingSetup<T>(setup: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await setup();
    } catch (err) {
      const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
      if (code !== 'TIMEOUT' || attempt >= SETUP_ATTEMPTS) throw err;
    }
  }
}

/** The stream settings {@link ensureStream} compares to decide whether an existing stream needs an update. */
const COMPARED = ['max_age', 'max_bytes', 'duplicate_window', 'num_replicas', 'discard', 'retention', 'storage'] as const;

/**
 * Creates a stream with one subject, or updates it when its settings
 * differ. Safe to call at once from many processes: whoever loses the race
 * to create it falls through to the update path (or times out, and tries again).
 */
export function ensureStream(jsm: JetStreamManager, wanted: Partial<StreamConfig> & { name: string; subjects: [string] }): Promise<StreamInfo> {
  return retryingSetup(() => ensureStreamOnce(jsm, wanted));
}

async function ensureStreamOnce(jsm: JetStreamManager, wanted: Partial<StreamConfig> & { name: string; subjects: [string] }): Promise<StreamInfo> {
  let existing: StreamInfo | undefined;
  try {
    existing = await jsm.streams.info(wanted.name);
  } catch (err) {
    if (jetStreamErrorCode(err) !== JS_ERR.streamNotFound) throw err;
  }
  if (existing === undefined) {
    try {
      return await jsm.streams.add(wanted);
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_ERR.streamNameInUse) throw err;
      return await jsm.streams.update(wanted.name, wanted);
    }
  }
  const current = existing.config;
  const same =
    COMPARED.every((key) => wanted[key] === undefined || current[key] === wanted[key]) &&
    current.subjects.length === 1 &&
    current.subjects[0] === wanted.subjects[0];
  return same ? existing : await jsm.streams.update(wanted.name, wanted);
}
