import { functionArn, type InvocationResult } from '@stratus/contracts';

/**
 * The pure rules of asynchronous invocation: when an event's next attempt
 * may start, when it has aged out, and the invocation record destinations
 * receive. No clock is read here: callers pass `nowMs`.
 */

/** How the dispatcher spaces attempts, resolved to milliseconds. */
export interface AsyncBackoff {
  /**
   * Delay before the first retry after a function error or timeout; each
   * further retry waits twice the previous one (Lambda: about 1 minute, then
   * 2). Default 60,000.
   */
  readonly retryBaseDelayMs: number;
  /** First wait of an event refused for concurrency (or with no node able to start it); doubles per refusal. Default 1,000. */
  readonly throttleBaseDelayMs: number;
  /** Longest wait between two tries of a refused event. Default 300,000 (5 minutes, as Lambda backs off at most). */
  readonly throttleMaxDelayMs: number;
}

export const DEFAULT_ASYNC_BACKOFF: AsyncBackoff = Object.freeze({
  retryBaseDelayMs: 60_000,
  throttleBaseDelayMs: 1_000,
  throttleMaxDelayMs: 300_000,
});

/** Delay before retry number `retry` (1 for the first retry) after a failed attempt. */
export function retryDelayMs(backoff: AsyncBackoff, retry: number): number {
  return backoff.retryBaseDelayMs * 2 ** Math.max(0, retry - 1);
}

/**
 * Delay before trying again an event that did not start (throttled, no
 * capacity), after `refusals` refusals in a row: doubling from the base up to
 * the maximum, less up to a quarter at random (`jitter` in [0, 1)) so events
 * refused together do not all come back together.
 */
export function throttleDelayMs(backoff: AsyncBackoff, refusals: number, jitter: number): number {
  const doubled = backoff.throttleBaseDelayMs * 2 ** Math.min(30, Math.max(0, refusals - 1));
  const capped = Math.min(backoff.throttleMaxDelayMs, doubled);
  return Math.max(1, Math.round(capped * (1 - jitter / 4)));
}

/** When an event accepted at `acceptedAtMs` ages out. */
export function expiresAtMs(acceptedAtMs: number, maximumEventAgeInSeconds: number): number {
  return acceptedAtMs + maximumEventAgeInSeconds * 1000;
}

export function isExpired(nowMs: number, acceptedAtMs: number, maximumEventAgeInSeconds: number): boolean {
  return nowMs >= expiresAtMs(acceptedAtMs, maximumEventAgeInSeconds);
}

/**
 * A wait that never outlasts the event: an event whose next try would come
 * after its expiry is looked at again at its expiry (and expired then).
 */
export function delayWithinAge(delayMs: number, nowMs: number, acceptedAtMs: number, maximumEventAgeInSeconds: number): number {
  const left = expiresAtMs(acceptedAtMs, maximumEventAgeInSeconds) - nowMs;
  return Math.max(0, Math.min(delayMs, left));
}

/** Lambda's `requestContext.condition` values. */
export type RecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'RecursiveInvocationLoop';

export interface InvocationRecordInput {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string;
  readonly condition: RecordCondition;
  /** Attempts that started. */
  readonly approximateInvokeCount: number;
  readonly nowMs: number;
  /** The event's bytes as the client sent them. */
  readonly requestPayload: Uint8Array;
  /** The last attempt's outcome; absent when no attempt ran. */
  readonly response?: {
    readonly executedVersion: string;
    readonly functionError?: string | undefined;
    readonly payload: Uint8Array;
  };
}

/**
 * Lambda's invocation record (the document on-success and on-failure
 * destinations receive), as JSON bytes. Payloads are embedded as JSON when
 * they are JSON and as strings otherwise, as Lambda does.
 */
export function invocationRecord(input: InvocationRecordInput): Uint8Array {
  const qualifier = input.qualifier === '' ? '$LATEST' : input.qualifier;
  const responseContext: Record<string, unknown> = { statusCode: input.response ? 200 : 0, executedVersion: input.response?.executedVersion ?? qualifier };
  if (input.response?.functionError) responseContext['functionError'] = input.response.functionError;
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${functionArn(input.functionName)}:${qualifier}`,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: jsonOrText(input.requestPayload, {}),
    responseContext,
  };
  if (input.response) record['responsePayload'] = jsonOrText(input.response.payload, null);
  return Buffer.from(JSON.stringify(record), 'utf8');
}

function jsonOrText(bytes: Uint8Array, empty: unknown): unknown {
  if (bytes.byteLength === 0) return empty;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A function error as one line for an event's status (`errorType: errorMessage`, or the raw text), at most 1 KB. */
export function describeFunctionError(result: InvocationResult): string {
  const text = Buffer.from(result.payload.buffer, result.payload.byteOffset, result.payload.byteLength).toString('utf8');
  try {
    const parsed = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorType === 'string') return `${parsed.errorType}: ${typeof parsed.errorMessage === 'string' ? parsed.errorMessage : ''}`.slice(0, 1024);
  } catch {
    // Not Lambda's error object: keep the text.
  }
  return `${result.functionError ?? 'Unhandled'}: ${text}`.slice(0, 1024);
}
