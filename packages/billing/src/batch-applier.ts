import { decodeJson, usageRecordSchema } from '@stratus/contracts';
import type { Logger } from 'pino';
import type { AggregateStore } from './aggregate-store.js';

/** A message of the usage stream: its sequence number and body. */
export interface SequencedMessage {
  readonly seq: number;
  readonly data: Uint8Array;
}

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
): Promise<void> {
  const ordered = [...batch].sort((a, b) => a.seq - b.seq);
  for (const message of ordered) {
    if (message.seq <= store.lastAppliedSeq) continue;
    if (message.seq > store.lastAppliedSeq + 1) {
      const gap = await loadGap(store.lastAppliedSeq + 1, message.seq - 1);
      for (const missed of gap) {
        if (missed.seq > store.lastAppliedSeq && missed.seq < message.seq) applyOne(store, missed, log);
      }
    }
    applyOne(store, message, log);
  }
}

function applyOne(store: AggregateStore, message: SequencedMessage, log: Logger): void {
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
  store.apply(parsed.data, message.seq);
}
