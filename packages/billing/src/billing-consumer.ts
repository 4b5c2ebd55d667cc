import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { ConsumerConfig, ConsumerInfo, JetStreamManager } from 'nats';
import { JS_ERR, jetStreamErrorCode } from './nats-errors.js';

/** The durable pull consumer the aggregator reads the usage stream through. */
export interface BillingConsumerSpec {
  readonly stream: string;
  readonly name: string;
  readonly filterSubject: string;
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
}

export type ConsumerPosition =
  | { readonly action: 'kept' }
  | { readonly action: 'created'; readonly fromSeq: number }
  | { readonly action: 'recreated'; readonly fromSeq: number; readonly reason: string };

/**
 * Makes the durable consumer deliver from the store's next sequence.
 *
 * The store is the authority, not the consumer: if the consumer has acked
 * past what the store holds (the state file was lost or restored from an
 * older copy), keeping it would lose those records, so it is deleted and
 * created again from `lastAppliedSeq + 1`, which for an empty store is the
 * start of the stream. It is also recreated when it has unacked deliveries
 * (the previous aggregator died holding a batch), so they come back now
 * instead of after the ack wait, or when its settings are not ours.
 */
export async function positionConsumer(
  jsm: JetStreamManager,
  spec: BillingConsumerSpec,
  lastAppliedSeq: number,
): Promise<ConsumerPosition> {
  const info = await consumerInfo(jsm, spec);
  if (info === undefined) {
    await jsm.consumers.add(spec.stream, consumerConfig(spec, lastAppliedSeq));
    return { action: 'created', fromSeq: lastAppliedSeq + 1 };
  }
  const reason = reasonToRecreate(info, spec, lastAppliedSeq);
  if (reason === undefined) return { action: 'kept' };
  await jsm.consumers.delete(spec.stream, spec.name);
  await jsm.consumers.add(spec.stream, consumerConfig(spec, lastAppliedSeq));
  return { action: 'recreated', fromSeq: lastAppliedSeq + 1, reason };
}

/** Creates the consumer from `lastAppliedSeq + 1` if it is gone; true when it had to. */
export async function createConsumerIfMissing(
  jsm: JetStreamManager,
  spec: BillingConsumerSpec,
  lastAppliedSeq: number,
): Promise<boolean> {
  if ((await consumerInfo(jsm, spec)) !== undefined) return false;
  await jsm.consumers.add(spec.stream, consumerConfig(spec, lastAppliedSeq));
  return true;
}

function reasonToRecreate(info: ConsumerInfo, spec: BillingConsumerSpec, lastAppliedSeq: number): string | undefined {
  if (info.config.filter_subject !== spec.filterSubject || info.config.ack_policy !== AckPolicy.Explicit) {
    return 'consumer settings differ';
  }
  if (info.ack_floor.stream_seq > lastAppliedSeq) {
    return `consumer acked through ${info.ack_floor.stream_seq} but the store holds only ${lastAppliedSeq}`;
  }
  if (info.num_ack_pending > 0) return `${info.num_ack_pending} deliveries were never acked`;
  return undefined;
}

function consumerConfig(spec: BillingConsumerSpec, lastAppliedSeq: number): Partial<ConsumerConfig> {
  return {
    durable_name: spec.name,
    ack_policy: AckPolicy.Explicit,
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    ...(lastAppliedSeq > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastAppliedSeq + 1 }
      : { deliver_policy: DeliverPolicy.All }),
  };
}

async function consumerInfo(jsm: JetStreamManager, spec: BillingConsumerSpec): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(spec.stream, spec.name);
  } catch (err) {
    if (jetStreamErrorCode(err) === JS_ERR.consumerNotFound) return undefined;
    throw err;
  }
}
