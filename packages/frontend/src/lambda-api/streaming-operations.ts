import { randomUUID } from 'node:crypto';
import { toStratusError } from '@stratus/errors';
import { LIMITS } from '@stratus/contracts';
import type { InvokeAnswer } from '../invoke.js';
import { invokeCallOf, type Operation } from './operations.js';
import { EVENT_STREAM_CONTENT_TYPE, invokeComplete, payloadChunks } from './event-stream.js';

const FUNCTION = '([^/]+)';

/** Lambda's error type and message from an error payload (`{errorType, errorMessage}`), for InvokeComplete. */
function errorFields(payload: Uint8Array): { errorCode: string; errorDetails: string } {
  try {
    const error = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
    return {
      errorCode: typeof error.errorType === 'string' ? error.errorType : 'Unhandled',
      errorDetails: typeof error.errorMessage === 'string' ? error.errorMessage : '',
    };
  } catch {
    return { errorCode: 'Unhandled', errorDetails: '' };
  }
}

/**
 * The events of a response stream for an answer: the bytes a streaming handler wrote (split into PayloadChunks),
 * or an ordinary handler's result as one PayloadChunk, then InvokeComplete, which carries the error (its type and
 * message) when the call failed, after whatever the handler streamed before it, and the log tail when asked for.
 */
export function responseStreamEvents(answer: InvokeAnswer): Buffer[] {
  const { response, streamed } = answer;
  const failed = response.functionError !== '';
  const events: Buffer[] = [];
  if (streamed !== undefined) events.push(...payloadChunks(failed ? streamed.bytesBeforeError : response.payload));
  else if (!failed) events.push(...payloadChunks(response.payload));
  events.push(invokeComplete({ ...(failed ? errorFields(response.payload) : {}), logResult: response.logResult }));
  return events;
}

/** How a response stream whose reader is too slow for the frontend's stream budget ends: a failed InvokeComplete, as Lambda ends a stream that fails. */
function cutOff(): Buffer {
  return invokeComplete({
    errorCode: 'ServiceException',
    errorDetails: 'The response stream was cut off: the client read it too slowly, and this frontend holds only so many streamed bytes for slow readers.',
  });
}

/**
 * Lambda's `InvokeWithResponseStream` and the old `InvokeAsync`. A streaming handler's bytes reach the client as
 * the node publishes them (the head leaves with the first chunk); everything else (an ordinary handler's result,
 * InvokeComplete, an answer with no chunks at all) when the call has ended.
 */
export const STREAMING_OPERATIONS: readonly Operation[] = [
  {
    name: 'InvokeWithResponseStream',
    method: 'POST',
    path: new RegExp(`^/2021-11-15/functions/${FUNCTION}/response-streaming-invocations/?$`),
    scope: 'invoke',
    maxBodyBytes: LIMITS.syncPayloadMaxBytes + 1,
    async run({ invoker }, request) {
      // A response stream is an answer: Lambda takes no Event invocation here.
      const call = invokeCallOf(request, ['RequestResponse', 'DryRun']);
      const requestId = randomUUID();
      let write: ((bytes: Buffer) => boolean) | undefined;
      const sink = {
        chunk(bytes: Uint8Array, _contentType: string, executedVersion: string): void {
          write ??= request.startBody(200, { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': executedVersion, 'Content-Type': EVENT_STREAM_CONTENT_TYPE }, cutOff);
          for (const event of payloadChunks(bytes)) if (!write(event)) return;
        },
      };
      let answer;
      try {
        answer = await invoker.invokeDetailed(call, requestId, sink);
      } catch (err) {
        if (write === undefined) throw err;
        // The head has left: the stream itself says the call failed, as Lambda's does.
        const error = toStratusError(err);
        return { status: 200, body: invokeComplete({ errorCode: 'ServiceException', errorDetails: error.message }) };
      }
      const { response } = answer;
      if (write !== undefined) return { status: 200, body: Buffer.concat(responseStreamEvents(answer)) };
      const headers: Record<string, string> = { 'X-Amz-Executed-Version': response.executedVersion };
      if (response.statusCode !== 200) return { status: response.statusCode, headers, requestId: response.requestId };
      headers['Content-Type'] = EVENT_STREAM_CONTENT_TYPE;
      return { status: 200, body: Buffer.concat(responseStreamEvents(answer)), headers, requestId: response.requestId };
    },
  },
  {
    name: 'InvokeAsync',
    method: 'POST',
    path: new RegExp(`^/2014-11-13/functions/${FUNCTION}/invoke-async/?$`),
    scope: 'invoke',
    // The event invoke's own limit answers a larger event, with its message.
    maxBodyBytes: LIMITS.asyncPayloadMaxBytes + 1,
    async run({ invoker }, request) {
      // Lambda's deprecated form of an Event invoke: the body is the event; stored before it is answered, as an Event invoke is.
      const response = await invoker.invoke({
        functionName: request.functionName,
        qualifier: '',
        payload: request.body,
        invocationType: 'EVENT',
        logType: 'NONE',
        clientToken: '',
      });
      return { status: 202, body: { Status: 202 }, requestId: response.requestId };
    },
  },
];
