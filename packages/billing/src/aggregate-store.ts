import { costUsd, gbSecondsFor } from '@stratus/contracts';
import type { FunctionUsage, PriceTable, UsageQuery, UsageRecord, UsageReport } from '@stratus/contracts';

/** Totals of one function over one period. */
export interface PeriodTotals {
  requests: number;
  billedMs: number;
  durationMs: number;
  gbSeconds: number;
  errors: number;
  coldStarts: number;
}

/** The highest batch sequence applied from one publisher (a node process), and when that batch was stored. */
export interface PublisherMark {
  /** The batch subject (which names the node) and the publisher id from the batch's headers. */
  readonly publisher: string;
  readonly sequence: number;
  /** Stream time of that batch, ms since the epoch. */
  readonly storedAtMs: number;
}

/** The batch a usage message was, for the store to remember per publisher. */
export interface BatchOrigin {
  readonly publisher: string;
  readonly sequence: number;
  readonly storedAtMs: number;
}

/** The store's durable form: the aggregates, the last applied stream sequence and the publishers' marks, always written together. */
export interface AggregateState {
  readonly formatVersion: 1;
  readonly periodMs: number;
  readonly lastAppliedSeq: number;
  /** Creation time of the usage stream the sequence numbers refer to. */
  readonly streamCreated?: string;
  readonly buckets: readonly ({ readonly functionName: string; readonly periodStartMs: number } & Readonly<PeriodTotals>)[];
  /** Absent in stores written before usage was batched. */
  readonly publishers?: readonly PublisherMark[];
}

/**
 * How long a publisher's mark is kept after its last batch (stream time).
 * A duplicate batch can only be stored while its publisher is still retrying
 * it, and a publisher sends nothing newer meanwhile: a day covers any retry
 * a node process survives, while node restarts do not grow the store for ever.
 */
export const PUBLISHER_MARK_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Per-function, per-period usage totals, and the stream sequence through
 * which records have been applied. Records must be offered in sequence
 * order; the caller skips sequences at or below `lastAppliedSeq`.
 */
export class AggregateStore {
  readonly periodMs: number;
  #lastAppliedSeq = 0;
  #streamCreated: string | undefined;
  /** functionName → period start → totals. */
  readonly #functions = new Map<string, Map<number, PeriodTotals>>();
  /** publisher → its highest applied batch. */
  readonly #publishers = new Map<string, PublisherMark>();
  #newestBatchMs = 0;

  constructor(periodMs: number) {
    if (!Number.isInteger(periodMs) || periodMs <= 0) throw new RangeError(`periodMs must be a positive integer, got ${periodMs}`);
    this.periodMs = periodMs;
  }

  static fromState(state: AggregateState): AggregateStore {
    const store = new AggregateStore(state.periodMs);
    store.#lastAppliedSeq = state.lastAppliedSeq;
    store.#streamCreated = state.streamCreated;
    for (const { functionName, periodStartMs, ...totals } of state.buckets) {
      store.#bucketsOf(functionName).set(periodStartMs, { ...totals });
    }
    for (const mark of state.publishers ?? []) {
      store.#publishers.set(mark.publisher, mark);
      store.#newestBatchMs = Math.max(store.#newestBatchMs, mark.storedAtMs);
    }
    return store;
  }

  get lastAppliedSeq(): number {
    return this.#lastAppliedSeq;
  }

  get streamCreated(): string | undefined {
    return this.#streamCreated;
  }

  /**
   * Binds the sequence numbers to a stream. A different stream (deleted and
   * created again) restarts sequences at 1, so the aggregates are kept and
   * its records are applied from the start.
   */
  bindStream(created: string): 'same' | 'bound' | 'replaced' {
    if (this.#streamCreated === created) return 'same';
    const outcome = this.#streamCreated === undefined ? 'bound' : 'replaced';
    this.#streamCreated = created;
    if (outcome === 'replaced') this.#lastAppliedSeq = 0;
    return outcome;
  }

  apply(record: UsageRecord, seq: number): void {
    this.applyMessage(seq, [record]);
  }

  /**
   * Whether this publisher's batch, or a later one of it, was applied
   * already: a duplicate stored after JetStream's duplicate window (the
   * publisher retried after its first attempt was stored but not acked).
   * A publisher's batches are stored in sequence order.
   */
  appliedBatch(publisher: string, sequence: number): boolean {
    const mark = this.#publishers.get(publisher);
    return mark !== undefined && sequence <= mark.sequence;
  }

  /**
   * Applies every record of one stream message, and its sequence, at once:
   * a message is applied whole or not at all, so a crash or an error never
   * leaves part of a batch counted.
   */
  applyMessage(seq: number, records: readonly UsageRecord[], batch?: BatchOrigin): void {
    this.#advance(seq);
    for (const record of records) this.#add(record);
    if (batch !== undefined) this.#mark(batch);
  }

  #add(record: UsageRecord): void {
    const periodStartMs = Math.floor(record.startTimeMs / this.periodMs) * this.periodMs;
    const buckets = this.#bucketsOf(record.functionName);
    let totals = buckets.get(periodStartMs);
    if (totals === undefined) {
      totals = { requests: 0, billedMs: 0, durationMs: 0, gbSeconds: 0, errors: 0, coldStarts: 0 };
      buckets.set(periodStartMs, totals);
    }
    totals.requests += 1;
    totals.billedMs += record.billedMs;
    totals.durationMs += record.durationMs;
    totals.gbSeconds += gbSecondsFor(record.billedMs, record.memoryMb);
    if (record.outcome !== 'success') totals.errors += 1;
    if (record.cold) totals.coldStarts += 1;
  }

  /** Marks a sequence as consumed without counting it (a malformed message, a duplicate batch). */
  skip(seq: number): void {
    this.#advance(seq);
  }

  #mark(batch: BatchOrigin): void {
    const isNew = !this.#publishers.has(batch.publisher);
    this.#publishers.set(batch.publisher, { publisher: batch.publisher, sequence: batch.sequence, storedAtMs: batch.storedAtMs });
    this.#newestBatchMs = Math.max(this.#newestBatchMs, batch.storedAtMs);
    // Publishers appear when nodes start: forgetting the stale ones then keeps the work off the common path.
    if (!isNew) return;
    const before = this.#newestBatchMs - PUBLISHER_MARK_RETENTION_MS;
    for (const [publisher, mark] of this.#publishers) if (mark.storedAtMs < before) this.#publishers.delete(publisher);
  }

  /**
   * Sums the periods whose start lies in [startTimeMs, endTimeMs); the
   * resolution of a time range is one period. Functions sorted by name.
   */
  report(query: UsageQuery, prices: PriceTable): UsageReport {
    const startMs = query.startTimeMs ?? 0;
    const endMs = query.endTimeMs !== undefined && query.endTimeMs > 0 ? query.endTimeMs : Number.POSITIVE_INFINITY;
    const names =
      query.functionName !== undefined && query.functionName !== ''
        ? [query.functionName]
        : [...this.#functions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const functions: FunctionUsage[] = [];
    for (const functionName of names) {
      const sum = emptyTotals();
      let any = false;
      for (const [periodStartMs, totals] of this.#functions.get(functionName) ?? []) {
        if (periodStartMs < startMs || periodStartMs >= endMs) continue;
        addTotals(sum, totals);
        any = true;
      }
      if (any) functions.push({ functionName, ...sum, costUsd: costUsd(sum.requests, sum.gbSeconds, prices) });
    }
    const total = emptyTotals();
    let totalCostUsd = 0;
    for (const fn of functions) {
      addTotals(total, fn);
      totalCostUsd += fn.costUsd;
    }
    return {
      functions,
      total: { functionName: '', ...total, costUsd: totalCostUsd },
      appliedThroughSequence: this.#lastAppliedSeq,
    };
  }

  toState(): AggregateState {
    const buckets: AggregateState['buckets'][number][] = [];
    for (const [functionName, periods] of this.#functions) {
      for (const [periodStartMs, totals] of periods) buckets.push({ functionName, periodStartMs, ...totals });
    }
    return {
      formatVersion: 1,
      periodMs: this.periodMs,
      lastAppliedSeq: this.#lastAppliedSeq,
      ...(this.#streamCreated === undefined ? {} : { streamCreated: this.#streamCreated }),
      buckets,
      publishers: [...this.#publishers.values()],
    };
  }

  #advance(seq: number): void {
    if (seq <= this.#lastAppliedSeq) {
      throw new RangeError(`sequence ${seq} is not after the last applied ${this.#lastAppliedSeq}`);
    }
    this.#lastAppliedSeq = seq;
  }

  #bucketsOf(functionName: string): Map<number, PeriodTotals> {
    let buckets = this.#functions.get(functionName);
    if (buckets === undefined) {
      buckets = new Map();
      this.#functions.set(functionName, buckets);
    }
    return buckets;
  }
}

function emptyTotals(): PeriodTotals {
  return { requests: 0, billedMs: 0, durationMs: 0, gbSeconds: 0, errors: 0, coldStarts: 0 };
}

function addTotals(into: PeriodTotals, from: Readonly<PeriodTotals>): void {
  into.requests += from.requests;
  into.billedMs += from.billedMs;
  into.durationMs += from.durationMs;
  into.gbSeconds += from.gbSeconds;
  into.errors += from.errors;
  into.coldStarts += from.coldStarts;
}
