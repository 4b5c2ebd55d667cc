import { headers as natsHeaders, type MsgHdrs } from 'nats';

/** One invocation's log, as it is stored in the logs stream. */
export interface LogEntry {
  readonly requestId: string;
  readonly functionName: string;
  readonly version: string;
  readonly nodeId: string;
  /** When the invocation started, ms since the epoch. */
  readonly timestampMs: number;
  /** The invocation's whole log text (init output on a cold start, START, console lines, END, REPORT). */
  readonly message: string;
}

/**
 * Metadata travels in headers and the log text is the raw body, so a reader
 * can scan a stream headers-only (cheap) and fetch bodies only for the
 * invocations it keeps.
 */
export const LOG_HEADERS = {
  requestId: 'Stratus-Request-Id',
  functionName: 'Stratus-Function',
  version: 'Stratus-Version',
  nodeId: 'Stratus-Node',
  timestampMs: 'Stratus-Timestamp-Ms',
} as const;

/** An entry's metadata: everything but the log text. */
export type LogEntryMetadata = Omit<LogEntry, 'message'>;

export function logEntryHeaders(entry: LogEntryMetadata): MsgHdrs {
  const h = natsHeaders();
  h.set(LOG_HEADERS.requestId, entry.requestId);
  h.set(LOG_HEADERS.functionName, entry.functionName);
  h.set(LOG_HEADERS.version, entry.version);
  h.set(LOG_HEADERS.nodeId, entry.nodeId);
  h.set(LOG_HEADERS.timestampMs, String(entry.timestampMs));
  return h;
}

/** Reads an entry's metadata from a stored message's headers; undefined when they are not a log entry's. */
export function readLogEntryMetadata(h: MsgHdrs | undefined): LogEntryMetadata | undefined {
  if (h === undefined) return undefined;
  const requestId = h.get(LOG_HEADERS.requestId);
  const functionName = h.get(LOG_HEADERS.functionName);
  const timestampMs = Number(h.get(LOG_HEADERS.timestampMs));
  if (requestId === '' || functionName === '' || !Number.isFinite(timestampMs)) return undefined;
  return {
    requestId,
    functionName,
    version: h.get(LOG_HEADERS.version),
    nodeId: h.get(LOG_HEADERS.nodeId),
    timestampMs,
  };
}

const decoder = new TextDecoder();

/** Reads a whole entry from a stored message; undefined when it is not a log entry. */
export function readLogEntry(h: MsgHdrs | undefined, data: Uint8Array): LogEntry | undefined {
  const metadata = readLogEntryMetadata(h);
  return metadata === undefined ? undefined : { ...metadata, message: decoder.decode(data) };
}
