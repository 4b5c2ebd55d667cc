import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { validEventSpans, type EventSpans } from './log-events.js';

/** One invocation's log, as readers get it from the logs stream. */
export interface LogEntry {
  readonly requestId: string;
  readonly functionName: string;
  readonly version: string;
  readonly nodeId: string;
  /** When the invocation started, ms since the epoch. */
  readonly timestampMs: number;
  /** The invocation's whole log text (init output on a cold start, START, console lines, END, REPORT). */
  readonly message: string;
  /** The events of `message` that cover several lines (see {@link EventSpans}); absent when every line is an event of its own. */
  readonly eventSpans?: EventSpans;
}

/** An entry's metadata: everything but the log text and its framing. */
export type LogEntryMetadata = Omit<LogEntry, 'message' | 'eventSpans'>;

/**
 * A message of the logs stream holds a batch of one function's invocation
 * logs from one node. Metadata travels in headers, with an index of the
 * entries, and the body is their log texts one after the other, so a reader
 * can scan a stream headers-only (cheap) and fetch bodies only for the
 * messages holding the invocations it keeps.
 */
export const LOG_HEADERS = {
  functionName: 'Stratus-Function',
  nodeId: 'Stratus-Node',
  /**
   * JSON array of `[requestId, version, timestampMs, bodyBytes]`, one per entry, in body order, with a fifth
   * element, the entry's event spans, when it has multi-line events (readers that predate it ignore it).
   */
  index: 'Stratus-Log-Index',
  /** Before batching, one entry per message: its request id, version and time in headers of their own. */
  requestId: 'Stratus-Request-Id',
  version: 'Stratus-Version',
  timestampMs: 'Stratus-Timestamp-Ms',
} as const;

type IndexEntry = [requestId: string, version: string, timestampMs: number, bodyBytes: number, eventSpans?: EventSpans];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One message's headers and body for entries of one function and one node (`bodyBytes` is each message's UTF-8 length). */
export function encodeLogBatch(
  functionName: string,
  nodeId: string,
  entries: readonly { readonly entry: LogEntry; readonly bodyBytes: number }[],
): { readonly headers: MsgHdrs; readonly body: Uint8Array } {
  const h = natsHeaders();
  h.set(LOG_HEADERS.functionName, functionName);
  h.set(LOG_HEADERS.nodeId, nodeId);
  const index: IndexEntry[] = entries.map(({ entry, bodyBytes }) =>
    entry.eventSpans === undefined || entry.eventSpans.length === 0
      ? [entry.requestId, entry.version, entry.timestampMs, bodyBytes]
      : [entry.requestId, entry.version, entry.timestampMs, bodyBytes, entry.eventSpans],
  );
  h.set(LOG_HEADERS.index, JSON.stringify(index));
  let text = '';
  for (const { entry } of entries) text += entry.message;
  return { headers: h, body: encoder.encode(text) };
}

/** Where each entry's text lies in the body, with its metadata. */
interface Located {
  readonly metadata: LogEntryMetadata;
  readonly eventSpans: EventSpans | undefined;
  readonly start: number;
  readonly end: number;
}

function locate(h: MsgHdrs | undefined): Located[] | undefined {
  if (h === undefined) return undefined;
  const functionName = h.get(LOG_HEADERS.functionName);
  if (functionName === '') return undefined;
  const nodeId = h.get(LOG_HEADERS.nodeId);
  const indexText = h.get(LOG_HEADERS.index);
  if (indexText === '') {
    const requestId = h.get(LOG_HEADERS.requestId);
    const timestampMs = Number(h.get(LOG_HEADERS.timestampMs));
    if (requestId === '' || !Number.isFinite(timestampMs)) return undefined;
    return [
      { metadata: { requestId, functionName, version: h.get(LOG_HEADERS.version), nodeId, timestampMs }, eventSpans: undefined, start: 0, end: Number.POSITIVE_INFINITY },
    ];
  }
  let index: unknown;
  try {
    index = JSON.parse(indexText);
  } catch {
    return undefined;
  }
  if (!Array.isArray(index)) return undefined;
  const located: Located[] = [];
  let offset = 0;
  for (const item of index as unknown[]) {
    if (!Array.isArray(item)) return undefined;
    const [requestId, version, timestampMs, bodyBytes, eventSpans] = item as unknown[];
    if (typeof requestId !== 'string' || typeof version !== 'string' || typeof timestampMs !== 'number' || typeof bodyBytes !== 'number') return undefined;
    // Malformed spans cost the entry its framing (one event per line), not its text.
    located.push({ metadata: { requestId, functionName, version, nodeId, timestampMs }, eventSpans: validEventSpans(eventSpans), start: offset, end: offset + bodyBytes });
    offset += bodyBytes;
  }
  return located;
}

/** The metadata of every entry a stored message holds, in order, from its headers alone; empty when it is not a log message. */
export function readLogEntriesMetadata(h: MsgHdrs | undefined): LogEntryMetadata[] {
  return locate(h)?.map((l) => l.metadata) ?? [];
}

/** Every entry a stored message holds, in order; empty when it is not a log message. */
export function readLogEntries(h: MsgHdrs | undefined, data: Uint8Array): LogEntry[] {
  return (
    locate(h)?.map(({ metadata, eventSpans, start, end }) => ({
      ...metadata,
      message: decoder.decode(data.subarray(start, Math.min(end, data.length))),
      ...(eventSpans !== undefined && eventSpans.length > 0 ? { eventSpans } : {}),
    })) ?? []
  );
}
