import { randomUUID } from 'node:crypto';
import { hasCode } from '@stratus/errors';
import type { InvokeInput, InvokeResult, StratusClient } from './stratus-client.js';

export interface RetryOptions {
  /** Attempts after the first. Default 2. */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each next one (a THROTTLED call's retryAfterMs hint wins when longer). Default 200 ms. */
  readonly backoffMs?: number;
  /** Called before each retry, with the error that caused it. */
  readonly onRetry?: (error: Error, attempt: number) => void;
}

/**
 * Invokes, retrying the failures that say a retry is safe (`retryable`),
 * always with one client token for every attempt (a random UUID unless the
 * input has one), so an attempt whose outcome was lost in transit (the
 * frontend died mid-call) never runs the function a second time: the retry
 * gets the first attempt's result instead.
 */
export async function invokeWithRetries(client: StratusClient, input: InvokeInput, options: RetryOptions = {}): Promise<InvokeResult> {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 200;
  const call: InvokeInput = { ...input, clientToken: input.clientToken || randomUUID() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await client.invoke(call);
    } catch (err) {
      if (!hasCode(err) || !err.retryable || attempt >= retries) throw err;
      const hint = Number(err.details['retryAfterMs'] ?? 0);
      options.onRetry?.(err, attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, Math.max(backoffMs * 2 ** attempt, Number.isFinite(hint) ? hint : 0)));
    }
  }
}
