import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { LIMITS } from '@stratus/contracts';
import { checkTimeZone, parseScheduleExpression, TickCalculator } from './expression.js';

/** EventBridge Scheduler's limits that Stratus keeps, and its own. */
export const SCHEDULE_LIMITS = {
  /** Schedule names: EventBridge Scheduler's 1 to 64 of letters, digits, `.`, `-` and `_`. */
  namePattern: /^[0-9A-Za-z_.-]{1,64}$/,
  descriptionMaxLength: 512,
  flexibleWindowMinMinutes: 1,
  flexibleWindowMaxMinutes: 1440,
  /** A target's input (EventBridge: 8192 characters for a templated target; Lambda's async event limit is far above). */
  inputMaxBytes: 256 * 1024,
  /** Schedules in the cluster unless STRATUS_SCHEDULE_LIMIT says otherwise. */
  defaultLimit: 10_000,
  listPageDefault: 100,
  listPageMax: 1000,
} as const;

export const SCHEDULE_STATES = ['ENABLED', 'DISABLED'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];
export const ACTIONS_AFTER_COMPLETION = ['NONE', 'DELETE'] as const;

/** A schedule as etcd holds it under `keys.schedule(name)`. */
export const storedScheduleSchema = z.object({
  name: z.string().regex(SCHEDULE_LIMITS.namePattern),
  scheduleExpression: z.string(),
  timezone: z.string(),
  startDateMs: z.number().int().positive().optional(),
  endDateMs: z.number().int().positive().optional(),
  state: z.enum(SCHEDULE_STATES),
  description: z.string(),
  /** 0: no flexible window. */
  flexibleWindowMinutes: z.number().int().nonnegative(),
  target: z.object({ functionName: z.string(), qualifier: z.string(), input: z.string().optional() }),
  actionAfterCompletion: z.enum(ACTIONS_AFTER_COMPLETION),
  creationDateMs: z.number().int(),
  lastModificationDateMs: z.number().int(),
  /** Where rate() ticks are counted from: the start date, or when the expression was last set. */
  rateAnchorMs: z.number().int(),
});
export type StoredSchedule = z.infer<typeof storedScheduleSchema>;

/** What a caller gives to create or replace a schedule, as plain data (the gRPC and any REST layer map onto it). */
export interface ScheduleInput {
  readonly name: string;
  readonly scheduleExpression: string;
  /** '' means UTC. */
  readonly timezone?: string | undefined;
  /** 0 or absent: none. */
  readonly startDateMs?: number | undefined;
  readonly endDateMs?: number | undefined;
  /** '' means ENABLED. */
  readonly state?: string | undefined;
  readonly description?: string | undefined;
  /** '' or OFF: none; FLEXIBLE needs `maximumWindowInMinutes`. */
  readonly flexibleTimeWindow?: { readonly mode: string; readonly maximumWindowInMinutes: number } | undefined;
  readonly target: { readonly functionName: string; readonly qualifier?: string | undefined; readonly input?: string | undefined } | undefined;
  /** '' means NONE. */
  readonly actionAfterCompletion?: string | undefined;
}

function invalid(field: string, message: string): StratusError {
  return new StratusError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });
}

export function checkScheduleName(name: string): void {
  if (!SCHEDULE_LIMITS.namePattern.test(name)) {
    throw invalid('name', `${JSON.stringify(name)} must be 1 to 64 letters, digits, ".", "-" and "_"`);
  }
}

/**
 * Checks a schedule as given and makes the record to store, every bad field
 * refused with INVALID_ARGUMENT naming it. `previous` is the stored schedule
 * it replaces (its creation date and, when expression and start are
 * unchanged, its rate() grid are kept).
 */
export function scheduleRecordFrom(input: ScheduleInput, nowMs: number, previous?: StoredSchedule): StoredSchedule {
  checkScheduleName(input.name);
  const expression = parseScheduleExpression(input.scheduleExpression);
  const timezone = input.timezone === undefined || input.timezone === '' ? 'UTC' : input.timezone;
  checkTimeZone(timezone);
  const startDateMs = input.startDateMs === undefined || input.startDateMs === 0 ? undefined : input.startDateMs;
  const endDateMs = input.endDateMs === undefined || input.endDateMs === 0 ? undefined : input.endDateMs;
  if (startDateMs !== undefined && endDateMs !== undefined && endDateMs <= startDateMs) {
    throw invalid('endDateMs', `the end date (${new Date(endDateMs).toISOString()}) must be after the start date (${new Date(startDateMs).toISOString()})`);
  }
  if (endDateMs !== undefined && endDateMs <= nowMs) throw invalid('endDateMs', `the end date (${new Date(endDateMs).toISOString()}) is in the past`);
  const stateText = input.state === undefined || input.state === '' ? 'ENABLED' : input.state;
  const state = SCHEDULE_STATES.find((s) => s === stateText);
  if (state === undefined) throw invalid('state', `${JSON.stringify(stateText)} must be ENABLED or DISABLED`);
  const description = input.description ?? '';
  if (description.length > SCHEDULE_LIMITS.descriptionMaxLength || [...description].some((c) => c.charCodeAt(0) < 0x20)) {
    throw invalid('description', `at most ${SCHEDULE_LIMITS.descriptionMaxLength} characters, without control characters`);
  }
  const window = input.flexibleTimeWindow;
  const mode = window === undefined || window.mode === '' ? 'OFF' : window.mode;
  let flexibleWindowMinutes = 0;
  if (mode === 'FLEXIBLE') {
    const minutes = window?.maximumWindowInMinutes ?? 0;
    if (!Number.isInteger(minutes) || minutes < SCHEDULE_LIMITS.flexibleWindowMinMinutes || minutes > SCHEDULE_LIMITS.flexibleWindowMaxMinutes) {
      throw invalid(
        'flexibleTimeWindow.maximumWindowInMinutes',
        `with mode FLEXIBLE it must be a whole number from ${SCHEDULE_LIMITS.flexibleWindowMinMinutes} to ${SCHEDULE_LIMITS.flexibleWindowMaxMinutes}; got ${minutes}`,
      );
    }
    flexibleWindowMinutes = minutes;
  } else if (mode !== 'OFF') {
    throw invalid('flexibleTimeWindow.mode', `${JSON.stringify(mode)} must be OFF or FLEXIBLE`);
  } else if ((window?.maximumWindowInMinutes ?? 0) !== 0) {
    throw invalid('flexibleTimeWindow.maximumWindowInMinutes', 'is only for mode FLEXIBLE');
  }
  const target = checkTarget(input.target);
  const actionAfterCompletion = input.actionAfterCompletion === undefined || input.actionAfterCompletion === '' ? 'NONE' : input.actionAfterCompletion;
  if (actionAfterCompletion !== 'NONE' && actionAfterCompletion !== 'DELETE') {
    throw invalid('actionAfterCompletion', `${JSON.stringify(actionAfterCompletion)} must be NONE or DELETE`);
  }
  const sameGrid = previous !== undefined && previous.scheduleExpression === expression.text && previous.startDateMs === startDateMs;
  const record: StoredSchedule = {
    name: input.name,
    scheduleExpression: expression.text,
    timezone,
    ...(startDateMs !== undefined ? { startDateMs } : {}),
    ...(endDateMs !== undefined ? { endDateMs } : {}),
    state,
    description,
    flexibleWindowMinutes,
    target,
    actionAfterCompletion,
    creationDateMs: previous?.creationDateMs ?? nowMs,
    lastModificationDateMs: nowMs,
    rateAnchorMs: startDateMs ?? (sameGrid ? previous.rateAnchorMs : nowMs),
  };
  if (expression.kind === 'at') {
    const atMs = new TickCalculator({ expression, timezone, rateAnchorMs: record.rateAnchorMs }).atMs;
    if (atMs === undefined) throw invalid('scheduleExpression', `${JSON.stringify(expression.text)} does not name a time in ${timezone}`);
  }
  return record;
}

function checkTarget(target: ScheduleInput['target']): StoredSchedule['target'] {
  if (target === undefined || target.functionName === '') throw invalid('target.functionName', 'a schedule needs a target function');
  let name = target.functionName;
  const arn = /^arn:aws:lambda:[^:]*:[^:]*:function:(.+)$/.exec(name);
  if (arn?.[1] !== undefined) name = arn[1];
  let qualifier = target.qualifier ?? '';
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const fromName = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (qualifier !== '' && qualifier !== fromName) throw invalid('target.qualifier', `differs from the qualifier in target.functionName (${fromName})`);
    qualifier = fromName;
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name) || name.length > LIMITS.functionNameMaxLength) {
    throw invalid('target.functionName', `${JSON.stringify(target.functionName)} is not a function name, name:qualifier or function ARN`);
  }
  if (qualifier !== '' && !/^(\$LATEST|[0-9]{1,10}|[A-Za-z0-9_-]{1,128})$/.test(qualifier)) {
    throw invalid('target.qualifier', `${JSON.stringify(qualifier)} is not $LATEST, a version or an alias name`);
  }
  const input = target.input ?? '';
  if (input === '') return { functionName: name, qualifier: qualifier === '$LATEST' ? '' : qualifier };
  if (Buffer.byteLength(input) > SCHEDULE_LIMITS.inputMaxBytes) throw invalid('target.input', `at most ${SCHEDULE_LIMITS.inputMaxBytes} bytes`);
  try {
    JSON.parse(input);
  } catch (err) {
    throw invalid('target.input', `must be a JSON document: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { functionName: name, qualifier: qualifier === '$LATEST' ? '' : qualifier, input };
}

/** The schedule's ARN, in EventBridge Scheduler's form (group `default`), with the region and account Stratus's function ARNs use. */
export function scheduleArn(name: string, region = 'local', account = '000000000000'): string {
  return `arn:aws:scheduler:${region}:${account}:schedule/default/${name}`;
}

/** The tick calculator of a stored schedule. */
export function ticksOf(record: StoredSchedule): TickCalculator {
  return new TickCalculator({
    expression: parseScheduleExpression(record.scheduleExpression),
    timezone: record.timezone,
    startMs: record.startDateMs,
    endMs: record.endDateMs,
    rateAnchorMs: record.rateAnchorMs,
  });
}
