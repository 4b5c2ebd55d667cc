import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { StratusError, toStratusError } from '@stratus/errors';
import {
  LATEST_VERSION,
  LIMITS,
  invocationTargetOf,
  type InvocationResult,
  type InvocationTarget,
  type NodeInvokeRequest,
  type StoredFunction,
  type StreamedResult,
  decodeStreamChunk,
} from '@stratus/contracts';
import type { InvokeRequestMessage, InvokeResponseMessage } from '@stratus/contracts/grpc';
import type { Dispatcher } from '@stratus/placement';
import type { FunctionCatalog } from './function-catalog.js';
import type { ConcurrencyGovernor } from './concurrency.js';
import type { FrontendMetrics } from './metrics.js';
import { CLIENT_TOKEN_PATTERN, requestHashOf, type ClientTokens } from './client-tokens.js';
import type { AsyncEvents } from './async-events.js';
import type { ResponseStreams } from './response-streams.js';

export interface InvokerOptions {
  readonly catalog: FunctionCatalog;
  readonly dispatcher: Dispatcher;
  readonly governor: ConcurrencyGovernor;
  readonly metrics: FrontendMetrics;
  /** Runs each client token once; calls without one do not touch it. */
  readonly tokens: ClientTokens;
  /** Where Event invocations are stored before they are acknowledged. */
  readonly asyncEvents: AsyncEvents;
  /** Told the function of each event accepted here, so this frontend's dispatcher starts on it at once. Default nothing. */
  readonly onEventAccepted?: (functionName: string) => void;
  /** Where nodes publish streamed responses as they are written; without it a streaming call gets its bytes in the reply. */
  readonly responseStreams?: ResponseStreams;
  readonly log: Logger;
}

/** Takes a streaming handler's bytes as they are written (InvokeWithResponseStream, RESPONSE_STREAM function URLs). */
export interface ResponseStreamSink {
  /** Each chunk, in order, with the stream's content type; never called after invokeDetailed settles. */
  chunk(bytes: Uint8Array, contentType: string, executedVersion: string): void;
}

/** How long the frontend waits, after the reply, for chunks the node says it published and that have not arrived. */
const LATE_CHUNKS_WAIT_MS = 5_000;

/** The frontend's half of an invocation: check the request, resolve the function, hand it to placement. */
export class Invoker {
  readonly #catalog: FunctionCatalog;
  readonly #dispatcher: Dispatcher;
  readonly #governor: ConcurrencyGovernor;
  readonly #metrics: FrontendMetrics;
  readonly #tokens: ClientTokens;
  readonly #asyncEvents: AsyncEvents;
  readonly #onEventAccepted: (functionName: string) => void;
  readonly #responseStreams: ResponseStreams | undefined;
  readonly #log: Logger;
  /** Each configuration's target, digest included, computed once: the catalog hands out the same object until the function changes. */
  readonly #targets = new WeakMap<StoredFunction, InvocationTarget>();

  constructor(options: InvokerOptions) {
    this.#catalog = options.catalog;
    this.#dispatcher = options.dispatcher;
    this.#governor = options.governor;
    this.#metrics = options.metrics;
    this.#tokens = options.tokens;
    this.#asyncEvents = options.asyncEvents;
    this.#onEventAccepted = options.onEventAccepted ?? (() => {});
    this.#responseStreams = options.responseStreams;
    this.#log = options.log;
  }

  /**
   * Every failure carries the call's request id in `details.requestId`, as
   * Lambda's errors carry x-amzn-RequestId, so a throttled or refused call
   * can be named in a support request as a served one can. `requestId` is
   * given by a caller that already named the call (a function URL's event
   * carries it); default a new one.
   */
  async invoke(request: InvokeCall, requestId: string = randomUUID()): Promise<InvokeResponseMessage> {
    return (await this.invokeDetailed(request, requestId)).response;
  }

  /**
   * As invoke(), with what only the HTTP face uses: a streaming handler's content type and bytes before an error;
   * with a `sink` (a RequestResponse call without a client token), its bytes are handed over as the node publishes
   * them, and the answer then carries none of them.
   */
  async invokeDetailed(request: InvokeCall, requestId: string = randomUUID(), sink?: ResponseStreamSink): Promise<InvokeAnswer> {
    try {
      return await this.#invoke(request, requestId, sink);
    } catch (err) {
      throw withRequestId(err, requestId);
    }
  }

  async #invoke(request: InvokeCall, requestId: string, sink?: ResponseStreamSink): Promise<InvokeAnswer> {
    const { name, qualifier } = splitQualifier(request.functionName, request.qualifier);
    // Only measured here: the isolate parses the event, once, and a parse failure comes back as INVALID_PAYLOAD.
    const payload = eventPayloadWithinLimit(request.payload);
    const token = request.clientToken;
    if (token !== '' && !CLIENT_TOKEN_PATTERN.test(token)) {
      throw new StratusError('INVALID_ARGUMENT', 'clientToken: must be 1 to 128 printable ASCII characters');
    }
    // Checked for every type, as Lambda checks it, though only a RequestResponse call's handler sees it.
    const clientContext = clientContextJson(request.clientContext ?? '');
    const fn = await this.#catalog.resolve(name, qualifier);
    if (request.invocationType === 'EVENT') return { response: await this.#accept(fn.name, qualifier, requestId, payload) };
    if (request.invocationType === 'DRY_RUN') {
      // Nothing will parse the event, so the dry run checks it as the call would.
      assertEventJson(payload);
      return { response: emptyResponse(204, requestId, fn.version) };
    }
    const nodeRequest: NodeInvokeRequest = {
      requestId,
      target: this.#targetOf(fn),
      payload,
      tailLogs: request.logType === 'TAIL',
      ...(qualifier !== '' ? { invokedQualifier: qualifier } : {}),
      ...(clientContext !== '' ? { clientContext } : {}),
    };
    const run = async (sent: NodeInvokeRequest = nodeRequest): Promise<InvocationResult> => {
      let result: InvocationResult;
      try {
        const release = this.#governor.admit(this.#catalog.admissionOf(fn));
        try {
          result = await this.#dispatcher.dispatch(sent);
        } finally {
          release();
        }
      } catch (err) {
        const error = toStratusError(err);
        this.#metrics.failed(fn.name, error.code, error.details['reason']);
        throw error;
      }
      this.#metrics.invoked(fn.name, result);
      this.#log.debug({ fn: fn.name, requestId, nodeId: result.nodeId, durationMs: result.durationMs }, 'invoked');
      return result;
    };
    if (token === '' && sink !== undefined && this.#responseStreams !== undefined) {
      return answerOf(await this.#streamed(nodeRequest, fn.version, run, sink, this.#responseStreams));
    }
    if (token === '') return answerOf(await run());
    // A retry gets the first call's result, request id included.
    const result = await this.#tokens.once({
      functionName: fn.name,
      token,
      requestHash: requestHashOf(qualifier, payload),
      waitMs: this.#dispatcher.replyTimeoutMs(fn.timeoutSec),
      run,
    });
    return answerOf(result);
  }

  /**
   * Runs a call whose streamed bytes the node publishes to a subject of its own as the handler writes them: each
   * chunk goes to the sink in order; a gap (a chunk lost on the way) or chunks that never come after the reply end
   * the call with an error rather than a response with a hole in it.
   */
  async #streamed(
    nodeRequest: NodeInvokeRequest,
    executedVersion: string,
    run: (request: NodeInvokeRequest) => Promise<InvocationResult>,
    sink: ResponseStreamSink,
    streams: ResponseStreams,
  ): Promise<InvocationResult> {
    let received = 0;
    let broken: string | undefined;
    let contentType = 'application/octet-stream';
    let arrived: () => void = () => {};
    // Chunks come on the frontend's one stream subscription, whose interest every server has long known: nothing
    // to subscribe, flush or unsubscribe per call.
    const stream = streams.open((data) => {
      if (broken !== undefined) return;
      try {
        const chunk = decodeStreamChunk(data);
        if (chunk.index !== received) {
          broken = `chunk ${chunk.index} arrived where ${received} was due`;
        } else {
          received += 1;
          if (chunk.contentType !== undefined) contentType = chunk.contentType;
          sink.chunk(chunk.bytes, contentType, executedVersion);
        }
      } catch (err) {
        broken = err instanceof Error ? err.message : String(err);
      }
      arrived();
    });
    try {
      const result = await run({ ...nodeRequest, responseStream: stream.subject });
      const expected = result.streamed?.chunksSent ?? 0;
      if (received < expected && broken === undefined) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, LATE_CHUNKS_WAIT_MS);
          arrived = () => {
            if (received >= expected || broken !== undefined) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
      }
      if (broken !== undefined || received < expected) {
        this.#log.warn({ requestId: nodeRequest.requestId, subject: stream.subject, received, expected, broken }, 'a response stream lost chunks');
        throw new StratusError('INTERNAL', `the response stream lost chunks (${received} of ${expected} arrived${broken === undefined ? '' : `: ${broken}`})`);
      }
      return result;
    } finally {
      stream.close();
    }
  }

  /**
   * An Event invocation: checked as Lambda checks it (at most 1 MB, JSON),
   * stored durably in the async stream, and only then answered 202 with its
   * request id; a dispatcher runs it later.
   */
  async #accept(functionName: string, qualifier: string, requestId: string, payload: Uint8Array): Promise<InvokeResponseMessage> {
    if (payload.byteLength > LIMITS.asyncPayloadMaxBytes) {
      throw new StratusError(
        'PAYLOAD_TOO_LARGE',
        `Request must be smaller than ${LIMITS.asyncPayloadMaxBytes} bytes for an asynchronous (Event) invocation (got ${payload.byteLength})`,
      );
    }
    // No isolate sees it before it is accepted, and an event that can never run must not be accepted.
    assertEventJson(payload);
    await this.#asyncEvents.enqueue({ requestId, functionName, qualifier, acceptedAtMs: Date.now(), traceDepth: 0, payload });
    this.#onEventAccepted(functionName);
    return emptyResponse(202, requestId, qualifier === '' ? LATEST_VERSION : qualifier);
  }

  /** The invocation target of a configuration, computed once per configuration object. */
  targetOf(fn: StoredFunction): InvocationTarget {
    return this.#targetOf(fn);
  }

  #targetOf(fn: StoredFunction): InvocationTarget {
    let target = this.#targets.get(fn);
    if (target === undefined) {
      target = invocationTargetOf(fn);
      this.#targets.set(fn, target);
    }
    return target;
  }
}

/** An invocation's answer: the gRPC message, and a streaming handler's extras for the HTTP face. */
export interface InvokeAnswer {
  readonly response: InvokeResponseMessage;
  /** Set when the handler streams its response (`awslambda.streamifyResponse`). */
  readonly streamed?: StreamedResult;
}

function answerOf(result: InvocationResult): InvokeAnswer {
  const response = toResponse(result);
  return result.streamed === undefined ? { response } : { response, streamed: result.streamed };
}

/** An Invoke as the gRPC and REST APIs hand it over; `clientContext` may be left out (none). */
export type InvokeCall = Omit<InvokeRequestMessage, 'clientContext'> & { readonly clientContext?: string };

/** Lambda's limit on ClientContext: 3,583 characters of base64. */
export const CLIENT_CONTEXT_MAX_CHARS = 3583;

/**
 * Lambda's ClientContext (base64 of a JSON object) as the JSON text the handler's context.clientContext is
 * parsed from; '' for none. INVALID_ARGUMENT (Lambda's InvalidRequestContentException) naming what is wrong.
 */
export function clientContextJson(base64: string): string {
  if (base64 === '') return '';
  if (base64.length > CLIENT_CONTEXT_MAX_CHARS) {
    throw new StratusError('INVALID_ARGUMENT', `ClientContext: must be at most ${CLIENT_CONTEXT_MAX_CHARS} characters of base64, got ${base64.length}`);
  }
  const invalid = (why: string): StratusError =>
    new StratusError('INVALID_ARGUMENT', `Client context must be a valid Base64-encoded JSON object: ${why}`, { details: { lambdaName: 'InvalidRequestContentException' } });
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1) throw invalid('it is not base64');
  const text = Buffer.from(base64, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('it is JSON, but not an object');
  // Re-serialised, so what crosses to the node and the isolate is exactly one JSON object and nothing after it.
  return JSON.stringify(parsed);
}

/** The error as a StratusError whose details name the request (a retry with a client token keeps the first call's id when it has one). */
function withRequestId(err: unknown, requestId: string): StratusError {
  const error = toStratusError(err);
  if (error.details['requestId'] !== undefined) return error;
  return new StratusError(error.code, error.message, { retryable: error.retryable, details: { ...error.details, requestId }, cause: error.cause ?? err });
}

/** Accepts "name", "name:qualifier", or a Lambda ARN, as Lambda's Invoke does. */
export function splitQualifier(functionName: string, qualifier: string): { name: string; qualifier: string } {
  let name = functionName;
  let fromName = '';
  const arn = /^arn:aws:lambda:[^:]*:[^:]*:function:(.+)$/.exec(name);
  if (arn?.[1]) name = arn[1];
  const colon = name.indexOf(':');
  if (colon >= 0) {
    fromName = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  if (name === '') throw new StratusError('INVALID_ARGUMENT', 'functionName is required');
  if (fromName && qualifier && fromName !== qualifier) {
    throw new StratusError('INVALID_ARGUMENT', `the qualifier in functionName (${fromName}) differs from qualifier (${qualifier})`);
  }
  return { name, qualifier: qualifier || fromName };
}

/**
 * The event's bytes as an Invoke carries them, at most 6 MB as Lambda
 * requires. They are not parsed here: the isolate parses them (an empty
 * payload is the empty object, which is what Lambda's clients send when
 * given none) and answers INVALID_PAYLOAD, "Could not parse request body
 * into json: …", for what is not JSON.
 */
export function eventPayloadWithinLimit(payloadBytes: Uint8Array): Uint8Array {
  if (payloadBytes.byteLength > LIMITS.syncPayloadMaxBytes) {
    throw new StratusError(
      'PAYLOAD_TOO_LARGE',
      `Request must be smaller than ${LIMITS.syncPayloadMaxBytes} bytes for the InvokeFunction operation`,
      { details: { payloadBytes: String(payloadBytes.byteLength) } },
    );
  }
  return payloadBytes;
}

/** Throws INVALID_PAYLOAD, with the isolate's wording, unless the bytes are JSON (or empty); for a dry run, which no isolate sees. */
export function assertEventJson(payloadBytes: Uint8Array): void {
  if (payloadBytes.byteLength === 0) return;
  try {
    JSON.parse(Buffer.from(payloadBytes.buffer, payloadBytes.byteOffset, payloadBytes.byteLength).toString('utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StratusError('INVALID_PAYLOAD', `Could not parse request body into json: ${reason}`);
  }
}

function toResponse(result: InvocationResult): InvokeResponseMessage {
  return {
    statusCode: 200,
    // A view of the bytes the node sent: grpc-js copies them once, into the response.
    payload: Buffer.isBuffer(result.payload) ? result.payload : Buffer.from(result.payload.buffer, result.payload.byteOffset, result.payload.byteLength),
    functionError: result.functionError ?? '',
    executedVersion: result.executedVersion,
    logResult: result.logTail ?? '',
    requestId: result.requestId,
    durationMs: result.durationMs,
    billedDurationMs: result.billedMs,
    initDurationMs: result.initMs,
    coldStart: result.cold,
    nodeId: result.nodeId,
    report: result.report,
  };
}

function emptyResponse(statusCode: number, requestId: string, version: string): InvokeResponseMessage {
  return {
    statusCode,
    payload: Buffer.alloc(0),
    functionError: '',
    executedVersion: version,
    logResult: '',
    requestId,
    durationMs: 0,
    billedDurationMs: 0,
    initDurationMs: 0,
    coldStart: false,
    nodeId: '',
    report: '',
  };
}
