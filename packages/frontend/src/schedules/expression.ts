import { Cron } from 'croner';
import { StratusError } from '@stratus/errors';

/** What EventBridge Scheduler accepts, quoted in every refusal so the fix is in the message. */
export const EXPRESSION_GRAMMAR =
  'rate(VALUE UNIT) with a whole VALUE of at least 1 and UNIT minute|minutes|hour|hours|day|days (singular for 1), ' +
  'cron(MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR) with exactly 6 fields and ? in day-of-month or day-of-week, ' +
  'or at(yyyy-mm-ddThh:mm:ss)';

/** A parsed schedule expression: how often, not yet when (that needs the time zone and dates, see {@link TickPlan}). */
export type ScheduleExpression =
  | { readonly kind: 'rate'; readonly text: string; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly text: string; readonly pattern: string }
  | { readonly kind: 'at'; readonly text: string; readonly localTime: LocalTime };

export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };
/** EventBridge's year field. */
const YEAR_MIN = 1970;
const YEAR_MAX = 2199;
/** Longest rate: about 10 years, far past any sensible one, short of overflowing a timer computation. */
const RATE_MAX_MS = 3650 * UNIT_MS['day']!;

function invalid(message: string, field = 'scheduleExpression'): StratusError {
  return new StratusError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });
}

/** Parses an EventBridge Scheduler expression; INVALID_ARGUMENT naming `scheduleExpression` and the grammar for anything else. */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const trimmed = text.trim();
  const call = /^(rate|cron|at)\((.*)\)$/s.exec(trimmed);
  if (call === null) throw invalid(`${JSON.stringify(text)} is not an expression; use ${EXPRESSION_GRAMMAR}`);
  const [, kind, body = ''] = call;
  if (kind === 'rate') return parseRate(trimmed, body);
  if (kind === 'cron') return parseCron(trimmed, body);
  return parseAt(trimmed, body);
}

function parseRate(text: string, body: string): ScheduleExpression {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  if (match === null) throw invalid(`${JSON.stringify(text)}: rate() takes a whole number and a unit; use ${EXPRESSION_GRAMMAR}`);
  const value = Number(match[1]);
  const unitWord = match[2] ?? '';
  const unit = unitWord.endsWith('s') ? unitWord.slice(0, -1) : unitWord;
  if (unit === 'second' || unit === 'millisecond') {
    throw invalid(`${JSON.stringify(text)}: the shortest rate is 1 minute, as on EventBridge; seconds are not a unit`);
  }
  const unitMs = UNIT_MS[unit];
  if (unitMs === undefined) throw invalid(`${JSON.stringify(text)}: the unit must be minute(s), hour(s) or day(s)`);
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(`${JSON.stringify(text)}: the value must be a whole number of at least 1`);
  if ((value === 1) !== (unitWord === unit)) {
    throw invalid(`${JSON.stringify(text)}: the unit is singular for 1 and plural otherwise (rate(1 ${unit}), rate(${Math.max(2, value)} ${unit}s))`);
  }
  const intervalMs = value * unitMs;
  if (intervalMs > RATE_MAX_MS) throw invalid(`${JSON.stringify(text)}: at most 3650 days`);
  return { kind: 'rate', text, intervalMs };
}

/** Per field: what EventBridge's cron allows (the characters), and its range of plain numbers. */
const CRON_FIELDS = [
  { name: 'minutes', chars: /^[0-9,\-*/]+$/, min: 0, max: 59 },
  { name: 'hours', chars: /^[0-9,\-*/]+$/, min: 0, max: 23 },
  { name: 'day-of-month', chars: /^([0-9,\-*/?]+|L|LW|\d{1,2}W)$/, min: 1, max: 31 },
  { name: 'month', chars: /^[0-9A-Z,\-*/]+$/, min: 1, max: 12 },
  { name: 'day-of-week', chars: /^([0-9A-Z,\-*?]+|[1-7]L|L|[1-7A-Z]+#[1-5])$/, min: 1, max: 7 },
  { name: 'year', chars: /^[0-9,\-*/]+$/, min: YEAR_MIN, max: YEAR_MAX },
] as const;
const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';

function parseCron(text: string, body: string): ScheduleExpression {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw invalid(
      `${JSON.stringify(text)} has ${fields.length} field${fields.length === 1 ? '' : 's'}; cron() takes exactly 6 (MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), ` +
        'and no seconds: the shortest period is 1 minute',
    );
  }
  const upper = fields.map((f) => f.toUpperCase());
  upper.forEach((field, i) => {
    const spec = CRON_FIELDS[i]!;
    const words = spec.name === 'month' ? new RegExp(`\\b(${MONTHS})\\b`, 'g') : spec.name === 'day-of-week' ? new RegExp(`\\b(${DAYS})\\b`, 'g') : undefined;
    const numeric = words === undefined ? field : field.replace(words, '1');
    if (!spec.chars.test(numeric) || /[A-Z]/.test(numeric.replace(/^L$|L$|W$|LW$/, ''))) {
      throw invalid(`${JSON.stringify(text)}: the ${spec.name} field ${JSON.stringify(fields[i])} is not allowed there`);
    }
    for (const n of numeric.split(/[^0-9]+/).filter((s) => s !== '')) {
      const value = Number(n);
      // After a slash comes a step, not a value of the field.
      const isStep = new RegExp(`/${n}(?![0-9])`).test(numeric);
      if (!isStep && (value < spec.min || value > spec.max)) {
        throw invalid(`${JSON.stringify(text)}: the ${spec.name} field ${JSON.stringify(fields[i])} goes outside ${spec.min}-${spec.max}`);
      }
    }
  });
  const [minutes, hours, dom, month, dow, year] = upper as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw invalid(`${JSON.stringify(text)}: exactly one of day-of-month and day-of-week must be ?, as EventBridge requires`);
  }
  // croner's 7-part form with Quartz weekdays (1 = Sunday) is EventBridge's with seconds in front; a lone L there is Saturday.
  const pattern = `0 ${minutes} ${hours} ${dom} ${month} ${dow === 'L' ? '7' : dow} ${year}`;
  try {
    cronFor(pattern, 'UTC');
  } catch (err) {
    throw invalid(`${JSON.stringify(text)}: ${err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err)}`);
  }
  return { kind: 'cron', text, pattern };
}

function parseAt(text: string, body: string): ScheduleExpression {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (match === null) throw invalid(`${JSON.stringify(text)}: at() takes a local date and time, yyyy-mm-ddThh:mm:ss, without a zone (set scheduleExpressionTimezone)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    year < YEAR_MIN ||
    year > YEAR_MAX ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour ||
    probe.getUTCMinutes() !== minute ||
    probe.getUTCSeconds() !== second
  ) {
    throw invalid(`${JSON.stringify(text)} is not a date and time between ${YEAR_MIN} and ${YEAR_MAX}`);
  }
  return { kind: 'at', text, localTime: { year, month, day, hour, minute, second } };
}

function cronFor(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, mode: '7-part', alternativeWeekdays: true, sloppyRanges: true, paused: true });
}

/** Throws INVALID_ARGUMENT naming `scheduleExpressionTimezone` unless `zone` is an IANA time zone this Node knows. */
export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw invalid(`${JSON.stringify(zone)} is not an IANA time zone (such as UTC, Europe/Berlin, America/New_York)`, 'scheduleExpressionTimezone');
  }
}

/** When a schedule's ticks fall: its expression read in its time zone, between its dates. */
export interface TickPlan {
  readonly expression: ScheduleExpression;
  /** IANA zone cron() and at() are read in. */
  readonly timezone: string;
  /** No tick before this. */
  readonly startMs?: number | undefined;
  /** No tick at or after this. */
  readonly endMs?: number | undefined;
  /** rate() ticks fall at this plus whole intervals: the start date when there is one, else when the expression was set. */
  readonly rateAnchorMs: number;
}

/**
 * Computes a schedule's ticks. Daylight saving time is croner's rule, which
 * EventBridge shares in effect: a local time the clocks skip in spring fires
 * at the end of the gap, one they repeat in autumn fires once (the first).
 */
export class TickCalculator {
  readonly #plan: TickPlan;
  readonly #cron: Cron | undefined;
  readonly #atMs: number | undefined;

  constructor(plan: TickPlan) {
    this.#plan = plan;
    const { expression } = plan;
    if (expression.kind === 'cron') this.#cron = cronFor(expression.pattern, plan.timezone);
    if (expression.kind === 'at') this.#atMs = localTimeToMs(expression.localTime, plan.timezone);
  }

  /** The instant of an at() schedule's one tick (read in its zone); undefined for rate() and cron(). */
  get atMs(): number | undefined {
    return this.#atMs;
  }

  /** The first tick strictly after `afterMs` within the dates; undefined when none is left. */
  next(afterMs: number): number | undefined {
    const { startMs, endMs, expression } = this.#plan;
    // A tick exactly at the start date counts.
    const from = startMs !== undefined && startMs - 1 > afterMs ? startMs - 1 : afterMs;
    let tick: number | undefined;
    if (expression.kind === 'rate') {
      const anchor = this.#plan.rateAnchorMs;
      // Without a start date, the first tick is one interval after the expression was set, as on EventBridge.
      const firstK = startMs === undefined ? 1 : 0;
      const k = Math.max(firstK, Math.floor((from - anchor) / expression.intervalMs) + 1);
      tick = anchor + k * expression.intervalMs;
    } else if (expression.kind === 'cron') {
      tick = this.#cron?.nextRun(new Date(from))?.getTime();
    } else {
      tick = this.#atMs !== undefined && this.#atMs > from ? this.#atMs : undefined;
    }
    if (tick === undefined || (endMs !== undefined && tick >= endMs)) return undefined;
    return tick;
  }
}

/** The instant a local wall-clock time names in `timezone` (a time skipped by DST: the end of the gap). */
export function localTimeToMs(t: LocalTime, timezone: string): number | undefined {
  const cron = cronFor(`${t.second} ${t.minute} ${t.hour} ${t.day} ${t.month} ? ${t.year}`, timezone);
  // Time zones are at most 14 hours from UTC: start two days earlier.
  return cron.nextRun(new Date(Date.UTC(t.year, t.month - 1, t.day) - 2 * 24 * 3600 * 1000))?.getTime();
}
