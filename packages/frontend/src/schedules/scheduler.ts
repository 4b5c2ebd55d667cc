import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { hasCode } from '@stratus/errors';
import type { TriggerRegistry, TriggerSource, TriggerStatus } from '../triggers.js';
import type { TickCalculator } from './expression.js';
import { scheduleArn, ticksOf, type StoredSchedule } from './schedule-record.js';

/** One tick of one schedule, ready to be stored as an asynchronous invocation. */
export interface ScheduledTick {
  readonly schedule: StoredSchedule;
  readonly tickMs: number;
  /**
   * The same on every frontend for this schedule and tick: the invocation's
   * request id and its JetStream message id, so the async stream's
   * deduplication keeps one copy however many frontends fire it.
   */
  readonly requestId: string;
  /** The target's input, or EventBridge's Scheduled Event document. */
  readonly payload: Uint8Array;
}

export interface SchedulerOptions {
  /** The schedules to fire (the frontend's mirror of etcd); read again on {@link Scheduler.changed}. */
  readonly schedules: () => Iterable<StoredSchedule>;
  /** Stores one tick as an asynchronous invocation; throws (FUNCTION_NOT_FOUND, UNAVAILABLE, …) when it cannot. */
  readonly fire: (tick: ScheduledTick) => Promise<void>;
  /** Deletes a schedule whose action after completion is DELETE once its last tick fired. */
  readonly completed: (name: string) => Promise<void>;
  /** Part of every request id, so two clusters (namespaces) never share one. */
  readonly idScope: string;
  readonly triggers?: TriggerRegistry | undefined;
  readonly log: Logger;
  /** Default Date.now. */
  readonly now?: () => number;
  /** How late a tick may still fire (a busy or restarting frontend); later ones are skipped, never caught up. Default LATE_TICK_GRACE_MS. */
  readonly lateTickGraceMs?: number;
  /** Ticks stored at once. Default 32. */
  readonly fireConcurrency?: number;
}

/**
 * How late a tick may still fire. Every frontend fires every tick, and the
 * async stream drops the copies by message id within its 120 s duplicate
 * window: a tick must therefore never be fired more than 120 s after its
 * first copy, which this grace and clocks within 90 s of each other ensure.
 */
export const LATE_TICK_GRACE_MS = 30_000;
/** The timer wakes at least this often, so a clock that jumps is noticed. */
const MAX_SLEEP_MS = 60_000;

interface Entry {
  record: StoredSchedule;
  ticks: TickCalculator;
  /** The next tick to fire and when (the tick plus its flexible delay); undefined when none is left. */
  tickMs: number | undefined;
  fireAtMs: number | undefined;
  firing: boolean;
  lastFireMs?: number;
  lagMs?: number;
  lastError?: string;
  lastErrorMs?: number;
  missedTicks: number;
}

/**
 * Fires every enabled schedule's ticks from this frontend. Every frontend
 * runs one over the same schedules; see LATE_TICK_GRACE_MS for why each tick
 * is still stored once. Missed ticks (the cluster down, a frontend stopped
 * longer than the grace) are skipped, as EventBridge does not catch up.
 */
export class Scheduler implements TriggerSource {
  readonly kind = 'schedule';
  readonly #options: SchedulerOptions;
  readonly #now: () => number;
  readonly #graceMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #unregister: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #run: Promise<void> | undefined;
  #closed = false;

  private constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#graceMs = options.lateTickGraceMs ?? LATE_TICK_GRACE_MS;
    this.#unregister = options.triggers?.register(this);
  }

  /** Starts firing; ticks up to the grace period old are fired too, as they may have been due while this frontend started. */
  static start(options: SchedulerOptions): Scheduler {
    const scheduler = new Scheduler(options);
    const since = scheduler.#now() - scheduler.#graceMs;
    for (const record of options.schedules()) scheduler.#set(record, since);
    scheduler.#arm();
    return scheduler;
  }

  /** A schedule was created, replaced or deleted (undefined): its next tick is after now. */
  changed(name: string, record: StoredSchedule | undefined): void {
    if (this.#closed) return;
    if (record === undefined) this.#entries.delete(name);
    else this.#set(record, this.#now(), this.#entries.get(name));
    this.#arm();
  }

  /** When a schedule fires next (its tick plus any flexible delay), as this frontend will fire it. */
  nextFireMs(name: string): number | undefined {
    return this.#entries.get(name)?.fireAtMs;
  }

  triggers(): TriggerStatus[] {
    return [...this.#entries.values()].map((e) => ({
      kind: this.kind,
      name: e.record.name,
      functionName: e.record.target.functionName,
      qualifier: e.record.target.qualifier,
      state: e.record.state === 'ENABLED' && e.tickMs === undefined ? 'COMPLETED' : e.record.state,
      source: e.record.timezone === 'UTC' ? e.record.scheduleExpression : `${e.record.scheduleExpression} ${e.record.timezone}`,
      lastFireMs: e.lastFireMs,
      nextFireMs: e.record.state === 'ENABLED' ? e.fireAtMs : undefined,
      lagMs: e.lagMs,
      lastError: e.lastError,
      lastErrorMs: e.lastErrorMs,
    }));
  }

  /** Stops the timer and waits for ticks being stored. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#unregister?.();
    await this.#run;
  }

  #set(record: StoredSchedule, afterMs: number, previous?: Entry): void {
    const entry: Entry = {
      record,
      ticks: ticksOf(record),
      tickMs: undefined,
      fireAtMs: undefined,
      firing: false,
      missedTicks: 0,
      ...(previous?.lastFireMs !== undefined ? { lastFireMs: previous.lastFireMs } : {}),
      ...(previous?.lagMs !== undefined ? { lagMs: previous.lagMs } : {}),
    };
    this.#advance(entry, afterMs);
    this.#entries.set(record.name, entry);
  }

  #advance(entry: Entry, afterMs: number): void {
    entry.tickMs = entry.ticks.next(afterMs);
    entry.fireAtMs = entry.tickMs === undefined ? undefined : entry.tickMs + flexibleDelayMs(entry.record, entry.tickMs);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    let earliest: number | undefined;
    for (const e of this.#entries.values()) {
      if (e.record.state !== 'ENABLED' || e.fireAtMs === undefined) continue;
      if (earliest === undefined || e.fireAtMs < earliest) earliest = e.fireAtMs;
    }
    if (earliest === undefined) return;
    const delayMs = Math.min(Math.max(0, earliest - this.#now()), MAX_SLEEP_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#run !== undefined) return;
      this.#run = this.#fireDue().finally(() => {
        this.#run = undefined;
        this.#arm();
      });
    }, delayMs);
  }

  async #fireDue(): Promise<void> {
    const now = this.#now();
    const due: Entry[] = [];
    for (const e of this.#entries.values()) {
      if (e.record.state !== 'ENABLED' || e.fireAtMs === undefined || e.fireAtMs > now || e.firing) continue;
      if (now - e.fireAtMs > this.#graceMs) {
        // Too late to fire without risking a second copy past the duplicate window: skipped, not caught up.
        e.missedTicks += 1;
        this.#options.log.warn({ schedule: e.record.name, tick: new Date(e.tickMs ?? 0).toISOString(), lateMs: now - e.fireAtMs }, 'schedule tick missed; skipped');
        this.#options.triggers?.fired(this.kind, e.record.name, 'missed');
        this.#advance(e, now - this.#graceMs);
        if (e.fireAtMs === undefined || e.fireAtMs > now) continue;
      }
      due.push(e);
    }
    const concurrency = this.#options.fireConcurrency ?? 32;
    for (let i = 0; i < due.length && !this.#closed; i += concurrency) {
      await Promise.all(due.slice(i, i + concurrency).map((e) => this.#fire(e)));
    }
  }

  async #fire(entry: Entry): Promise<void> {
    const { record } = entry;
    const tickMs = entry.tickMs;
    const fireAtMs = entry.fireAtMs;
    if (tickMs === undefined || fireAtMs === undefined) return;
    entry.firing = true;
    const requestId = tickRequestId(this.#options.idScope, record, tickMs, 'request');
    try {
      await this.#options.fire({ schedule: record, tickMs, requestId, payload: schedulePayload(record, tickMs, this.#options.idScope) });
      const firedAt = this.#now();
      entry.lastFireMs = firedAt;
      entry.lagMs = Math.max(0, firedAt - fireAtMs);
      this.#options.triggers?.fired(this.kind, record.name, 'ok');
    } catch (err) {
      entry.lastError = hasCode(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      entry.lastErrorMs = this.#now();
      this.#options.triggers?.fired(this.kind, record.name, 'error');
      // A deleted target is the user's business (the trigger shows it); anything else is the platform's.
      if (hasCode(err, 'FUNCTION_NOT_FOUND')) this.#options.log.info({ schedule: record.name, fn: record.target.functionName }, 'schedule target does not exist; tick dropped');
      else this.#options.log.warn({ err, schedule: record.name }, 'schedule tick could not be stored');
    } finally {
      entry.firing = false;
    }
    // The entry may have been replaced while the tick was stored: only advance the one that fired.
    if (this.#entries.get(record.name) !== entry) return;
    this.#advance(entry, tickMs);
    if (entry.tickMs === undefined && record.actionAfterCompletion === 'DELETE') {
      await this.#options.completed(record.name).catch((err: unknown) => this.#options.log.warn({ err, schedule: record.name }, 'deleting a completed schedule failed'));
    }
  }
}

/** The same on every frontend: a hash of the cluster, the schedule (its name and creation) and the tick, shaped as a UUID. */
export function tickRequestId(scope: string, record: StoredSchedule, tickMs: number, purpose: 'request' | 'event'): string {
  const hex = createHash('sha256').update(`${purpose}\0${scope}\0${record.name}\0${record.creationDateMs}\0${tickMs}`).digest('hex');
  // Version 5-style (name-based) and RFC 4122 variant bits, so it reads as any other UUID.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Where in its flexible window a tick fires: the same on every frontend, spread over the window by a hash. */
export function flexibleDelayMs(record: StoredSchedule, tickMs: number): number {
  if (record.flexibleWindowMinutes === 0) return 0;
  const hash = createHash('sha256').update(`${record.name}\0${tickMs}`).digest();
  return hash.readUInt32BE(0) % (record.flexibleWindowMinutes * 60_000);
}

/**
 * What the function receives: the target's input when set, else the
 * Scheduled Event document Lambda receives from EventBridge, with `time`
 * the tick (not when it was stored) and the schedule's ARN as its resource.
 */
export function schedulePayload(record: StoredSchedule, tickMs: number, scope: string): Uint8Array {
  if (record.target.input !== undefined) return Buffer.from(record.target.input);
  return Buffer.from(
    JSON.stringify({
      version: '0',
      id: tickRequestId(scope, record, tickMs, 'event'),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: new Date(tickMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources: [scheduleArn(record.name)],
      detail: {},
    }),
  );
}
