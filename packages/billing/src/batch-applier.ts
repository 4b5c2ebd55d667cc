import type { MsgHdrs } from 'nats';
import type { Logger } from 'pino';
import { readUsageRecord, type UsageRecord } from '@stratus/contracts';
import { readUsageMessage } from '@stratus/usage';
import type { AggregateStore } from './aggregate-store.js';

/** A message of the usage stream: its sequence number and body. */
export interface SequencedMessage {
  readonly seq: number;
  readonly data: Uint8Array;
  /** The subject it was published on: it names the node that published it. */
  readonly subject?: string;
  /** A batch's publisher and sequence are in its headers. */
  readonly headers?: MsgHdrs;
  /** When the stream stored it, ms since the epoch. */
  readonly storedAtMs?: number;
}

/**
 * Decides whether a well-formed record is billed: undefined to apply it, or
 * why it is refused (it is then skipped, counted and logged). Throwing leaves
 * the record unapplied, to be redelivered: for "cannot tell now", not "no".
 */
export type RecordAdmission = (record: UsageRecord, subject: string | undefined) => Promise<string | undefined> | string | undefined;

const admitAll: RecordAdmission = () => undefined;

/** Reads the stream messages with sequences in [fromSeq, toSeq] that still exist, in order. */
export type GapLoader = (fromSeq: number, toSeq: number) => Promise<readonly SequencedMessage[]>;

/**
 * Applies the messages above the store's last applied sequence, in sequence
 * order. A delivery can overtake an earlier one that was lost on the way (a
 * reconnect, a redelivery after ack_wait); skipping by sequence alone would
 * then skip the lost message forever, so a gap is filled from the stream
 * itself before going on.
 */
export async function applyBatch(
  store: AggregateStore,
  batch: readonly SequencedMessage[],
  loadGap: GapLoader,
  log: Logger,
  admit: RecordAdmission = admitAll,
): Promise<void> {
  const ordered = [...batch].sort((a, b) => a.seq - b.seq);
  for (const message of ordered) {
    if (message.seq <= store.lastAppliedSeq) continue;
    if (message.seq > store.lastAppliedSeq + 1) {
      const gap = await loadGap(store.lastAppliedSeq + 1, message.seq - 1);
      for (const missed of gap) {
        if (missed.seq > store.lastAppliedSeq && missed.seq < message.seq) await applyOne(store, missed, log, admit);
      }
    }
    await applyOne(store, message, log, admit);
  }
}

/**
 * Applies one stream message: a batch of records, or a single record as
 * nodes published before batching. Every record is checked and admitted
 * before any is counted, so a throw (admission cannot tell now) leaves the
 * whole message unapplied, to be redelivered, and never half of it.
 */
async function applyOne(store: AggregateStore, message: SequencedMessage, log: Logger, admit: RecordAdmission): Promise<void> {
  const read = readUsageMessage(message.headers, message.data);
  if (read.kind === 'malformed') {
    log.warn({ seq: message.seq, subject: message.subject, reason: read.reason }, 'usage message is not a usage batch or record; skipped');
    store.skip(message.seq);
    return;
  }
  if (read.kind === 'single') {
    const pending = admitted(read.record, message, log, admit);
    const record = pending instanceof Promise ? await pending : pending;
    if (record === undefined) store.skip(message.seq);
    else store.applyMessage(message.seq, [record]);
    return;
  }
  // The subject names the node and NATS lets only that node publish on it, so no node can touch another's mark.
  const publisher = `${message.subject ?? ''} ${read.publisherId}`;
  if (store.appliedBatch(publisher, read.sequence)) {
    log.warn({ seq: message.seq, publisher, batch: read.sequence }, 'usage batch already applied (stored again after the duplicate window); skipped');
    store.skip(message.seq);
    return;
  }
  const records: UsageRecord[] = [];
  for (const raw of read.records) {
    // Awaited only when admission has to ask (a function not seen yet): a batch of known functions is read without a promise per record.
    const pending = admitted(raw, message, log, admit);
    const record = pending instanceof Promise ? await pending : pending;
    if (record !== undefined) records.push(record);
  }
  store.applyMessage(message.seq, records, { publisher, sequence: read.sequence, storedAtMs: message.storedAtMs ?? 0 });
}

/** The record, when it is well formed and admitted; undefined (logged) when it is skipped. A promise only when admission returned one. */
function admitted(raw: unknown, message: SequencedMessage, log: Logger, admit: RecordAdmission): Promise<UsageRecord | undefined> | UsageRecord | undefined {
  const read = readUsageRecord(raw);
  if (!read.ok) {
    log.warn({ seq: message.seq, field: read.field, problem: read.problem }, 'usage message holds something that is not a usage record; skipped');
    return undefined;
  }
  const { record } = read;
  const refusal = admit(record, message.subject);
  if (refusal instanceof Promise) return refusal.then((asked) => refusedOrRecord(asked, record, message, log));
  return refusedOrRecord(refusal, record, message, log);
}

function refusedOrRecord(refusal: string | undefined, record: UsageRecord, message: SequencedMessage, log: Logger): UsageRecord | undefined {
  if (refusal === undefined) return record;
  log.warn({ seq: message.seq, subject: message.subject, refusal, record }, 'usage record refused; not billed');
  return undefined;
}
