import type { StratusClient } from '@stratus/client';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import { eventually } from './code.js';

/**
 * Frontend settings for tests of asynchronous invocations: retries and
 * throttled events come back within a fraction of a second, and an event
 * whose dispatcher died within 2 s (Lambda's and Stratus's defaults take
 * minutes and 30 s).
 */
export const FAST_ASYNC = {
  STRATUS_ASYNC_RETRY_BASE_DELAY_MS: '200',
  STRATUS_ASYNC_THROTTLE_BASE_DELAY_MS: '100',
  STRATUS_ASYNC_THROTTLE_MAX_DELAY_MS: '500',
  STRATUS_ASYNC_ACK_WAIT_MS: '2000',
} as const;

/**
 * Waits until an asynchronous invocation is in one of `states` and gives its
 * status; a status not readable yet (the event just accepted) counts as not
 * there. Default deadline 60 s: retries and backoff take a while under load.
 */
export function asyncState(client: StratusClient, requestId: string, states: readonly string[], timeoutMs = 60_000): Promise<AsyncInvocationMessage> {
  return eventually(
    async () => {
      const status = await client.getAsyncInvocation(requestId).catch(() => undefined);
      return status !== undefined && states.includes(status.state) ? status : undefined;
    },
    `invocation ${requestId} to be ${states.join(' or ')}`,
    timeoutMs,
  );
}
