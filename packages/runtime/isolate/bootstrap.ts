// The runtime's entry points, evaluated in every isolate before the function's code. The build
// (scripts/build-isolate.mjs) bundles this file and what it imports into one strict function body, run as a
// classic script so V8's code cache applies (see src/isolate-shell.ts); the script's value is `entryPoints`,
// which only the host and the `stratus:runtime` module see: nothing here is put on the global object.
//
// Security: the host hands it three `ivm.Callback` functions (log, wake, signal), a synchronous crypto callback
// and a Reference to its off-thread hash through setup(), and the function's configuration as JSON text through
// configure(). They live only in module scope, never on the global object, and they copy primitive arguments
// only; the user's module cannot import `stratus:runtime` (the resolver refuses). The code is strict, so
// stack-trace call sites expose neither its functions nor `this`.
import { restartClock } from './clock.js';
import { config, setConfig, type FunctionConfig } from './config.js';
import { bindHost, type HostCrypto, type HostHashReference, type HostLog, type HostSignal, type HostSourceMap, type HostWake } from './host.js';
import { errorJson, runtimeErrorJson, toLambdaError } from './lambda-error.js';
import { emitInvokeError, flushLogs, sendSignal, startLogPhase } from './log.js';
import { bindEgress, Exchange, pumpEgress, type ExchangeRequest, type HostEgress } from './egress.js';
import { current, alarmFired, noteLoopMaybeEmpty, refedCount, requestWake, setCurrent, type Invocation } from './loop.js';
import { installMemoryGuards, WASM_POLL_MS, wasmPending } from './memory.js';
import { installNodeGlobals, processObject } from './node-globals.js';
import { DateNow, ErrorCtor, JSONParse, JSONStringify, MathFloor, MathMax, ReflectApply, StringCtor, resolved, promiseThen } from './primordials.js';
import { installStackMapping } from './stack-map.js';
import { runDueTimer } from './timers.js';
import { installWebGlobals } from './web-globals.js';
import { ResponseStream, STREAM_MAX_BYTES, flushResponse, installAwsLambdaGlobal, isResponseTooLarge, isStreamingHandler, setActiveStream } from './response-stream.js';
import { hostCryptoOp, hostDigest, hostHmac, hostRandomFill } from './web-crypto.js';

type Handler = (event: unknown, context: object, callback: (err?: unknown, value?: unknown) => void) => unknown;

let handlerFn: Handler | undefined;
/** The handler was wrapped in awslambda.streamifyResponse: it gets a response stream instead of a callback. */
let handlerStreams = false;
let initDone = false;

/**
 * Called by the host once per isolate, before any function is known: the callbacks and every global (an isolate
 * waiting as a spare shell is here).
 */
function setup(
  log: HostLog,
  wake: HostWake,
  signal: HostSignal,
  hostCrypto: HostCrypto,
  hostHash: HostHashReference,
  memoryBudgetBytes: number,
  egress: HostEgress,
  sourceMap: HostSourceMap,
): void {
  if (!bindHost(log, wake, signal, hostCrypto, hostHash, sourceMap)) return;
  bindEgress(egress);
  installStackMapping();
  installNodeGlobals();
  installWebGlobals();
  installAwsLambdaGlobal();
  installMemoryGuards(memoryBudgetBytes);
}

/**
 * Called by the host once, when the isolate is given its function, before the function's module is evaluated:
 * identity and process.env arrive as JSON text, so nothing of the host stays reachable.
 */
function configure(configJson: string): void {
  if (config !== undefined) return;
  const parsed = JSONParse(configJson) as FunctionConfig;
  setConfig(parsed);
  if (processObject !== undefined) processObject.env = parsed.env;
  restartClock();
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[path[i] as string];
  }
  return value;
}

/** Called by the init wrapper once the function's module (and any top-level await) has finished evaluating. */
function ready(namespace: Record<string, unknown>): void {
  if (initDone) return;
  initDone = true;
  let status = '';
  const fnConfig = config as FunctionConfig;
  try {
    let fn = lookup(namespace, fnConfig.exportPath);
    // esbuild exposes a CommonJS bundle's module.exports as the default export.
    if (fn === undefined) fn = lookup(namespace.default, fnConfig.exportPath);
    if (fn === undefined) status = runtimeErrorJson('Runtime.HandlerNotFound', fnConfig.handler + ' is undefined or not exported');
    else if (typeof fn !== 'function') status = runtimeErrorJson('Runtime.HandlerNotFound', fnConfig.handler + ' is not a function');
    else {
      handlerFn = fn as Handler;
      handlerStreams = isStreamingHandler(fn);
    }
  } catch (err) {
    status = errorJson(err);
  }
  if (handlerStreams && status === '') sendSignal('streaming', 0, '');
  sendSignal('init', 0, status);
}

/**
 * Lambda sets _X_AMZN_TRACE_ID for each invocation (Sampled=0 without active
 * tracing). The ids come from the request id, which is already random, and
 * the time, in X-Ray's shape: Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>.
 */
function setTraceId(requestId: string): void {
  const env: unknown = processObject?.env;
  if (env === undefined || env === null || typeof env !== 'object') return;
  const vars = env as Record<string, string>;
  let hex = '';
  for (let i = 0; i < requestId.length; i++) {
    const c = requestId.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) hex += requestId[i];
  }
  while (hex.length < 32) hex += '0';
  const seconds = MathFloor(DateNow() / 1000).toString(16).padStart(8, '0');
  vars['_X_AMZN_TRACE_ID'] = 'Root=1-' + seconds + '-' + hex.slice(0, 24) + ';Parent=' + hex.slice(16, 32) + ';Sampled=0';
}

/** JSON text of a result, or undefined when it cannot be serialised. */
function serializeResponse(value: unknown): string | undefined {
  try {
    const json = JSONStringify(value === undefined ? null : value) as string | undefined;
    return json === undefined ? 'null' : json;
  } catch {
    return undefined;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Starts one invocation. Returns '' when the handler was called, 'P' + reason when the event is not JSON. The
 * outcome arrives later via signal('ok' | 'error' | 'fatal', seq, json): the result, or the error, as JSON text.
 */
function invoke(seq: number, requestId: string, eventJson: string, deadlineMs: number, invokedFunctionArn: string, attempt: number, clientContextJson: string): string {
  const handler = handlerFn;
  if (handler === undefined) return 'Nthe function is not initialized';
  const fnConfig = config as FunctionConfig;
  let event: unknown;
  try {
    event = JSONParse(eventJson === '' ? '{}' : eventJson);
  } catch (err) {
    return 'P' + StringCtor(err && (err as { message?: unknown }).message);
  }
  // Lambda's runtime client parses the ClientContext it is given and hands the object over as it is (client,
  // custom, env, as the caller sent them); the frontend checked it is one JSON object.
  let clientContext: unknown = undefined;
  if (clientContextJson !== '') {
    try {
      clientContext = JSONParse(clientContextJson);
    } catch {
      clientContext = undefined;
    }
  }
  startLogPhase(requestId);
  setTraceId(requestId);
  const invocation: Invocation = { seq: seq, settled: false, waiting: false, pending: undefined };
  setCurrent(invocation);
  const finish = (kind: string, body: string): void => {
    if (invocation.settled) return;
    invocation.settled = true;
    if (current === invocation) setCurrent(undefined);
    sendSignal(kind, seq, body);
  };
  // Lambda's runtime: the first of callback/succeed/fail/done (or the returned promise) decides; later calls
  // are ignored.
  let reported = false;
  let waitForEmptyEventLoop: unknown = true;
  const postError = (err: unknown): void => {
    const error = toLambdaError(err);
    emitInvokeError(err);
    finish('error', JSONStringify(error));
  };
  const complete = (value: unknown): void => {
    const body = serializeResponse(value);
    if (body === undefined) postError(new ErrorCtor('Unable to stringify response body'));
    else finish('ok', body);
  };
  const done = (err: unknown, value: unknown): void => {
    if (reported) return;
    reported = true;
    if (err !== undefined && err !== null) postError(err);
    else complete(value);
  };
  const callback = function callback(err?: unknown, value?: unknown): void {
    if (reported) return;
    if ((err !== undefined && err !== null) || !waitForEmptyEventLoop) {
      done(err, value);
      return;
    }
    // The result goes out once the event loop is empty (Lambda's beforeExit).
    reported = true;
    invocation.waiting = true;
    invocation.pending = () => complete(value);
    noteLoopMaybeEmpty();
  };
  const context = {
    get callbackWaitsForEmptyEventLoop(): unknown {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: unknown) {
      waitForEmptyEventLoop = value;
    },
    succeed: function succeed(value?: unknown) {
      done(null, value);
    },
    fail: function fail(err?: unknown) {
      done(err === undefined || err === null ? 'handled' : err, null);
    },
    done: function done_(err?: unknown, value?: unknown) {
      done(err, value);
    },
    functionVersion: fnConfig.functionVersion,
    functionName: fnConfig.functionName,
    memoryLimitInMB: fnConfig.memoryLimitInMB,
    logGroupName: fnConfig.logGroupName,
    logStreamName: fnConfig.logStreamName,
    clientContext: clientContext,
    identity: undefined,
    invokedFunctionArn: invokedFunctionArn,
    awsRequestId: requestId,
    // Stratus's own: Lambda's context has no attempt number, and an asynchronous invocation's retries share its request id.
    attempt,
    getRemainingTimeInMillis: function getRemainingTimeInMillis() {
      return MathMax(0, deadlineMs - DateNow());
    },
  };
  if (handlerStreams) {
    invokeStreaming(handler, event, context, invocation, finish);
    return '';
  }
  setActiveStream(undefined);
  // A handler that neither returns a promise nor calls back answers null once its event loop is empty, as
  // Lambda's default beforeExit listener does.
  invocation.waiting = true;
  invocation.pending = () => {
    if (!reported) {
      reported = true;
      complete(null);
    }
  };
  try {
    const result = ReflectApply(handler, undefined, [event, context, callback]);
    if (isThenable(result)) {
      void promiseThen(
        resolved(result),
        (value) => done(null, value),
        (err) => done(err === undefined || err === null ? 'handled' : err, null),
      );
    }
  } catch (err) {
    done(err, null);
  }
  noteLoopMaybeEmpty();
  flushLogs();
  return '';
}

/**
 * A streaming handler: `(event, responseStream, context)`. The call ends when the stream ends (its bytes are the
 * response) or fails (a throw, a rejection, destroy(err), the size limit); a handler that returns without ending
 * its stream keeps the call open until it does or the timeout ends it, as on Lambda. An empty event loop ends
 * nothing here: there is no value to answer with.
 */
function invokeStreaming(
  handler: Handler,
  event: unknown,
  context: object,
  invocation: Invocation,
  finish: (kind: string, body: string) => void,
): void {
  const stream = new ResponseStream(invocation.seq, (error) => {
    if (error === undefined) finish('ok', '');
    else if (isResponseTooLarge(error)) {
      // Lambda reports it without a trace: the runtime, not the handler, refused the bytes.
      emitInvokeError(error);
      finish('error', JSONStringify({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (' + STREAM_MAX_BYTES + ' bytes).' }));
    } else {
      emitInvokeError(error);
      finish('error', JSONStringify(toLambdaError(error)));
    }
  });
  setActiveStream(stream);
  const fail = (err: unknown): void => {
    if (!stream.writableEnded) stream.destroy(err === undefined || err === null ? 'handled' : err);
  };
  try {
    const result: unknown = ReflectApply(handler, undefined, [event, stream, context]);
    if (isThenable(result)) void promiseThen(resolved(result), undefined, fail);
  } catch (err) {
    fail(err);
  }
  flushResponse();
  flushLogs();
}

/** Runs when the host's alarm fires: at most one due timer per task. */
function tick(): void {
  alarmFired();
  const waiting = current;
  if (waiting !== undefined && waiting.waiting && refedCount === 0) {
    waiting.waiting = false;
    (waiting.pending as () => void)();
  }
  // After the empty-loop check: what the host delivers now resumes code in microtasks after this task, which
  // the next tick's check must see.
  pumpEgress();
  runDueTimer();
  if (wasmPending > 0) requestWake(DateNow() + WASM_POLL_MS);
  noteLoopMaybeEmpty();
  flushResponse();
  flushLogs();
}

/** The script's value (see scripts/build-isolate.mjs): a plain object, as isolated-vm reads no getters. */
export const entryPoints = { setup, configure, invoke, tick, flush: flushLogs, ready, hostDigest, hostHmac, hostRandomFill, httpExchange, hostCryptoOp };

/** What the bundler's http/https shims build on (through `stratus:host`): one host-performed exchange. */
function httpExchange(request: ExchangeRequest, body: Uint8Array | undefined): Exchange {
  return new Exchange(request, body);
}
