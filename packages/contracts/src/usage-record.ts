/** How an invocation ended, as billing counts it. */
export type UsageOutcome = 'success' | 'function_error' | 'timeout' | 'crashed';

/**
 * One per invocation; the billing aggregator's only input. Written by the
 * node that ran the call, read back by {@link readUsageRecord}: this file is
 * the one definition of the record and its rules.
 */
export interface UsageRecord {
  /** Non-empty; the record's identity for exactly-once counting. */
  readonly requestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly nodeId: string;
  /** Wall clock (ms since the epoch) when the handler started. */
  readonly startTimeMs: number;
  /** The handler's run time, fractions kept; non-negative. */
  readonly durationMs: number;
  /** `durationMs` rounded up to a whole ms; a non-negative whole number. */
  readonly billedMs: number;
  /** Init time on a cold start, else 0; non-negative. */
  readonly initMs: number;
  /** Configured memory; a positive whole number. */
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  readonly cpuMs: number;
  /** Time the call waited on its node for an isolate slot: not in durationMs, not billed. 0 when absent (older records). */
  readonly queuedMs: number;
  readonly outcome: UsageOutcome;
  readonly cold: boolean;
}

/** What {@link readUsageRecord} makes of a value: the record, or the first field that is wrong and why. */
export type UsageRecordRead =
  | { readonly ok: true; readonly record: UsageRecord }
  | { readonly ok: false; readonly field: string; readonly problem: string };

const OUTCOMES: ReadonlySet<string> = new Set<UsageOutcome>(['success', 'function_error', 'timeout', 'crashed']);

/**
 * Checks a decoded usage record against {@link UsageRecord}'s rules and
 * copies its fields into a fresh record (unknown keys are not carried; an
 * absent `queuedMs` is 0). Hand-written rather than a zod schema: billing
 * reads every record of every batch, and a schema's `safeParse` cost about
 * as much per record as the JSON parse itself (2-3 µs, measured).
 */
export function readUsageRecord(value: unknown): UsageRecordRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong('', 'not an object');
  const v = value as Record<string, unknown>;
  const { requestId, functionName, functionVersion, nodeId, outcome, cold } = v;
  if (typeof requestId !== 'string') return wrong('requestId', 'not a string');
  if (requestId.length === 0) return wrong('requestId', 'empty');
  if (typeof functionName !== 'string') return wrong('functionName', 'not a string');
  if (typeof functionVersion !== 'string') return wrong('functionVersion', 'not a string');
  if (typeof nodeId !== 'string') return wrong('nodeId', 'not a string');
  const startTimeMs = v['startTimeMs'];
  if (!isNumber(startTimeMs)) return wrong('startTimeMs', 'not a finite number');
  const durationMs = nonNegative(v, 'durationMs');
  if (typeof durationMs === 'string') return wrong('durationMs', durationMs);
  const billedMs = nonNegative(v, 'billedMs');
  if (typeof billedMs === 'string') return wrong('billedMs', billedMs);
  if (!Number.isSafeInteger(billedMs)) return wrong('billedMs', 'not a whole number');
  const initMs = nonNegative(v, 'initMs');
  if (typeof initMs === 'string') return wrong('initMs', initMs);
  const memoryMb = v['memoryMb'];
  if (!isNumber(memoryMb)) return wrong('memoryMb', 'not a finite number');
  if (!Number.isSafeInteger(memoryMb) || memoryMb <= 0) return wrong('memoryMb', 'not a positive whole number');
  const maxMemoryUsedMb = nonNegative(v, 'maxMemoryUsedMb');
  if (typeof maxMemoryUsedMb === 'string') return wrong('maxMemoryUsedMb', maxMemoryUsedMb);
  const cpuMs = nonNegative(v, 'cpuMs');
  if (typeof cpuMs === 'string') return wrong('cpuMs', cpuMs);
  let queuedMs: number | string = 0;
  if (v['queuedMs'] !== undefined) {
    queuedMs = nonNegative(v, 'queuedMs');
    if (typeof queuedMs === 'string') return wrong('queuedMs', queuedMs);
  }
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return wrong('outcome', `not one of ${[...OUTCOMES].join(', ')}`);
  if (typeof cold !== 'boolean') return wrong('cold', 'not a boolean');
  return {
    ok: true,
    record: {
      requestId,
      functionName,
      functionVersion,
      nodeId,
      startTimeMs,
      durationMs,
      billedMs,
      initMs,
      memoryMb,
      maxMemoryUsedMb,
      cpuMs,
      queuedMs,
      outcome: outcome as UsageOutcome,
      cold,
    },
  };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The field's value, or what is wrong with it. */
function nonNegative(v: Record<string, unknown>, field: string): number | string {
  const value = v[field];
  if (!isNumber(value)) return 'not a finite number';
  if (value < 0) return 'negative';
  return value;
}

function wrong(field: string, problem: string): UsageRecordRead {
  return { ok: false, field, problem };
}
