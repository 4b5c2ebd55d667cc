import { decodeJson, usageRecordSchema, type UsageRecord } from '@stratus/contracts';
import type { Logger } from 'pino';
import type { AggregateStore } from './aggregate-store.js';

/** A message of the usage stream: its sequence number and body. */
export interface SequencedMessage {
  readonly seq: number;
  readonly data: Uint8Array;
  /** The subject it was published on: it names the node that published it. */
  readonly subject?: string;
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

async function applyOne(store: AggregateStore, message: SequencedMessage, log: Logger, admit: RecordAdmission): Promise<void> {
  let body: unknown;
  try {
    body = decodeJson(message.data);
  } catch (err) {
    log.warn({ err, seq: message.seq }, 'usage message is not JSON; skipped');
    store.skip(message.seq);
    return;
  }
  const parsed = usageRecordSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    log.warn({ seq: message.seq, field: issue?.path.join('.'), problem: issue?.message }, 'usage message is not a usage record; skipped');
    store.skip(message.seq);
    return;
  }
  const refusal = await admit(parsed.data, message.subject);
  if (refusal !== undefined) {
    log.warn({ seq: message.seq, subject: message.subject, refusal, record: parsed.data }, 'usage record refused; not billed');
    store.skip(message.seq);
    return;
  }
  store.apply(parsed.data, message.seq);
}
