import { StratusError } from '@stratus/errors';
import { ASYNC_LIMITS, EVENT_SOURCE_MAPPING_LIMITS as ESM, LIMITS, LIST_PAGE_DEFAULT, LIST_PAGE_MAX, OBJECT_LIMITS } from '@stratus/contracts';
import { requestTypeName, type StratusApi } from '@stratus/contracts/grpc';

/** The latest time a JavaScript Date holds: anything later is not a time. */
export const MAX_TIME_MS = 8.64e15;
/** Log events one GetLogs or TailLogs call returns at most. */
export const LOGS_LIMIT_MAX = 10_000;

export interface NumericRule {
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
  /** What 0 means when 0 is allowed outside [min, max] (proto3 sends an unset field as 0). */
  readonly zeroMeans?: string;
  /** A field that must be greater than this one's when both are set (and not 0). */
  readonly after?: string;
}

/**
 * The allowed range of every integer field of every request, by message
 * type. Protobuf already rules out fractions on the wire (the client refuses
 * them before they are truncated, see `@stratus/contracts/grpc`); this rules
 * out what the type allows and the setting does not: 0 MB, 4294967295 s,
 * negative times. Limits that depend on the cluster's state (what other
 * functions reserve) are checked where the setting is applied.
 */
export function numericRules(accountConcurrencyLimit: number): Readonly<Record<string, Readonly<Record<string, NumericRule>>>> {
  const memory = { min: LIMITS.memoryMinMb, max: LIMITS.memoryMaxMb, unit: 'MB' };
  const timeout = { min: LIMITS.timeoutMinSec, max: LIMITS.timeoutMaxSec, unit: 's' };
  const ephemeral = { min: LIMITS.ephemeralStorageMinMb, max: LIMITS.ephemeralStorageMaxMb, unit: 'MB' };
  const time = { min: 1, max: MAX_TIME_MS, unit: 'ms since the epoch', zeroMeans: 'unbounded' };
  const concurrency = Math.max(0, accountConcurrencyLimit - LIMITS.unreservedConcurrencyMin);
  const listPage = { min: 1, max: LIST_PAGE_MAX, zeroMeans: `the default, ${LIST_PAGE_DEFAULT}` };
  return {
    'stratus.v1.CreateFunctionRequest': {
      memorySizeMb: { ...memory, zeroMeans: `the default, ${LIMITS.memoryDefaultMb} MB` },
      timeoutSec: { ...timeout, zeroMeans: `the default, ${LIMITS.timeoutDefaultSec} s` },
      ephemeralStorageMb: { ...ephemeral, zeroMeans: `the default, ${LIMITS.ephemeralStorageDefaultMb} MB` },
    },
    'stratus.v1.UpdateFunctionRequest': { memorySizeMb: memory, timeoutSec: timeout, ephemeralStorageMb: ephemeral },
    'stratus.v1.PutFunctionConcurrencyRequest': { reservedConcurrentExecutions: { min: 0, max: concurrency } },
    'stratus.v1.PutProvisionedConcurrencyConfigRequest': { provisionedConcurrentExecutions: { min: 1, max: concurrency } },
    'stratus.v1.GetUsageRequest': { startTimeMs: time, endTimeMs: { ...time, after: 'startTimeMs' } },
    'stratus.v1.GetLogsRequest': {
      startTimeMs: time,
      endTimeMs: { ...time, after: 'startTimeMs' },
      limit: { min: 1, max: LOGS_LIMIT_MAX, zeroMeans: 'the default, 100' },
    },
    'stratus.v1.TailLogsRequest': { limit: { min: 0, max: LOGS_LIMIT_MAX } },
    'stratus.v1.PublishVersionRequest': { revision: { min: 1, max: Number.MAX_SAFE_INTEGER, zeroMeans: 'any revision' } },
    'stratus.v1.ListVersionsByFunctionRequest': { maxItems: listPage },
    'stratus.v1.ListAliasesRequest': { maxItems: listPage },
    'stratus.v1.ScheduleInput': {
      startDateMs: time,
      endDateMs: { ...time, after: 'startDateMs' },
    },
    'stratus.v1.ListSchedulesRequest': { maxResults: { min: 1, max: 1000, zeroMeans: 'the default, 100' } },
    'stratus.v1.PutFunctionEventInvokeConfigRequest': {
      maximumRetryAttempts: { min: ASYNC_LIMITS.retryAttemptsMin, max: ASYNC_LIMITS.retryAttemptsMax },
      maximumEventAgeInSeconds: { min: ASYNC_LIMITS.eventAgeMinSec, max: ASYNC_LIMITS.eventAgeMaxSec, unit: 's' },
    },
    'stratus.v1.ListObjectsRequest': { maxKeys: { min: 1, max: OBJECT_LIMITS.listMaxKeys, zeroMeans: `the default, ${OBJECT_LIMITS.listMaxKeys}` } },
    // PutObject is client-streaming: its header's trace_depth is checked by the object store as the header arrives.
    'stratus.v1.CreateEventSourceMappingRequest': {
      batchSize: { min: ESM.batchSizeMin, max: ESM.batchSizeMax, zeroMeans: `the default, ${ESM.batchSizeDefault}` },
      maximumBatchingWindowInSeconds: { min: 0, max: ESM.batchingWindowMaxSec, unit: 's' },
      startingPositionTimestampMs: time,
      maximumRetryAttempts: { min: ESM.retryAttemptsMin, max: ESM.retryAttemptsMax },
    },
    'stratus.v1.UpdateEventSourceMappingRequest': {
      batchSize: { min: ESM.batchSizeMin, max: ESM.batchSizeMax },
      maximumBatchingWindowInSeconds: { min: 0, max: ESM.batchingWindowMaxSec, unit: 's' },
      maximumRetryAttempts: { min: ESM.retryAttemptsMin, max: ESM.retryAttemptsMax },
    },
    'stratus.v1.ListEventSourceMappingsRequest': { maxItems: { min: 1, max: LIST_PAGE_MAX, zeroMeans: 'the default, 100' } },
  };
}

/** Throws INVALID_ARGUMENT naming the first field of `message` outside its rule's range. */
export function checkNumbers(rules: Readonly<Record<string, NumericRule>>, message: unknown): void {
  if (typeof message !== 'object' || message === null) return;
  const values = message as Record<string, unknown>;
  for (const [field, rule] of Object.entries(rules)) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw outOfRange(field, rule, value);
    if (value === 0 && rule.zeroMeans !== undefined) continue;
    if (value < rule.min || value > rule.max) throw outOfRange(field, rule, value);
    const earlier = rule.after === undefined ? undefined : values[rule.after];
    if (rule.after !== undefined && typeof earlier === 'number' && earlier !== 0 && value <= earlier) {
      throw new StratusError('INVALID_ARGUMENT', `${field} (${value}) must be after ${rule.after} (${earlier})`, { details: { field } });
    }
  }
}

function outOfRange(field: string, rule: NumericRule, value: unknown): StratusError {
  const unit = rule.unit === undefined ? '' : ` ${rule.unit}`;
  const zero = rule.zeroMeans === undefined ? '' : `, or 0 for ${rule.zeroMeans}`;
  return new StratusError('INVALID_ARGUMENT', `${field} must be a whole number from ${rule.min} to ${rule.max}${unit}${zero}; got ${String(value)}`, {
    details: { field },
  });
}

/**
 * Checks a request's integer fields against numericRules, for every method,
 * unary or streaming, so no handler can forget one: throws INVALID_ARGUMENT
 * for the first field out of range. `requestTypes` maps a method's path to
 * its request type's full name (from the loaded API). The frontend runs it
 * after the caller's key is checked (see `addAuthorizedService`), so a caller
 * without a valid key learns nothing about the request but UNAUTHENTICATED.
 */
export function requestNumbersCheck(options: {
  readonly requestTypes: ReadonlyMap<string, string>;
  readonly accountConcurrencyLimit: number;
}): (path: string, request: unknown) => void {
  const rules = numericRules(options.accountConcurrencyLimit);
  return (path, request) => {
    const typeName = options.requestTypes.get(path);
    const fieldRules = typeName === undefined ? undefined : rules[typeName];
    if (fieldRules !== undefined) checkNumbers(fieldRules, request);
  };
}

/** Each method's path and its request type's full name ('stratus.v1.CreateFunctionRequest'), from the loaded API. */
export function requestTypesOf(api: StratusApi): Map<string, string> {
  const types = new Map<string, string>();
  for (const [serviceName, definition] of Object.entries(api.packageDefinition)) {
    if ('format' in definition) continue;
    for (const method of Object.values(definition)) {
      const name = requestTypeName(serviceName, method);
      if (name !== undefined) types.set(method.path, name);
    }
  }
  return types;
}
