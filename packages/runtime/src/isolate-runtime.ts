/**
 * Source of the runtime, evaluated in every isolate before the function's
 * code (see isolate-shell.ts for how: a strict function body, run as a
 * classic script so V8's code cache applies). It installs the globals user
 * code sees (console, timers, process.env) and implements the handler
 * calling convention; its entry points (setup, configure, invoke, tick,
 * ready, host*) are returned to the host and to the `stratus:runtime`
 * module, never put on the global object.
 *
 * Security: the host hands it three `ivm.Callback` functions (log, wake,
 * signal) through `setup()`, and the function's configuration as JSON text
 * through `configure()`. They live only in this function's scope, never on
 * the global object, and they copy primitive arguments only; the user's
 * module cannot import `stratus:runtime` (the resolver refuses). The code is
 * strict, so stack-trace call sites expose neither its functions nor `this`.
 *
 * Primordials used on the invocation path are captured up front so a handler
 * that patches JSON, Date or Promise cannot wedge the runtime's own bookkeeping.
 *
 * Kept as a string (String.raw, so backslashes reach the isolate unchanged)
 * rather than a compiled function's toString(), which coverage or transpilers
 * could rewrite. The inner code avoids backticks and "${".
 */
export const ISOLATE_RUNTIME_SOURCE = String.raw`
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectKeys = Object.keys;
const ObjectIs = Object.is;
const ArrayIsArray = Array.isArray;
const ReflectApply = Reflect.apply;
const JSONStringify = JSON.stringify;
const JSONParse = JSON.parse;
const DateNow = Date.now;
const MathMax = Math.max;
const MathFloor = Math.floor;
const PromiseCtor = Promise;
const PromiseResolve = Promise.resolve;
const PromisePrototypeThen = Promise.prototype.then;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const StringCtor = String;
const NumberCtor = Number;
const TIMEOUT_MAX = 2147483647;

let hostLog;
let hostWake;
let hostSignal;
let config;
let handlerFn;
let initDone = false;
let current;

function then(promise, onFulfilled, onRejected) {
  ReflectApply(PromisePrototypeThen, promise, [onFulfilled, onRejected]);
}

function toLambdaError(err) {
  try {
    if (err instanceof ErrorCtor || (err !== null && typeof err === 'object' && typeof err.name === 'string' &&
        typeof err.message === 'string' && typeof err.stack === 'string')) {
      const stack = typeof err.stack === 'string' ? err.stack : StringCtor(err);
      return { errorType: StringCtor(err.name || 'Error'), errorMessage: StringCtor(err.message), trace: stack.split('\n') };
    }
    // Lambda uses toString(): null and undefined fail it and become the 'handled' error below.
    return { errorType: typeof err, errorMessage: err.toString(), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function errorJson(err) {
  return JSONStringify(toLambdaError(err));
}

function runtimeErrorJson(errorType, message) {
  return JSONStringify({ errorType: errorType, errorMessage: message, trace: [errorType + ': ' + message] });
}

// --- console -----------------------------------------------------------------

function quote(s) {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + "'";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function describeFunction(fn) {
  let source = '';
  try { source = ReflectApply(Function.prototype.toString, fn, []); } catch (_) {}
  const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : '';
  if (source.startsWith('class')) return '[class ' + (name || '(anonymous)') + ']';
  return '[Function: ' + (name || '(anonymous)') + ']';
}

function inspect(value, depth, seen) {
  switch (typeof value) {
    case 'string': return quote(value);
    case 'number': return ObjectIs(value, -0) ? '-0' : '' + value;
    case 'bigint': return value + 'n';
    case 'boolean':
    case 'undefined': return '' + value;
    case 'symbol': return value.toString();
    case 'function': return describeFunction(value);
  }
  if (value === null) return 'null';
  if (seen.includes(value)) return '[Circular]';
  if (value instanceof ErrorCtor) return typeof value.stack === 'string' ? value.stack : StringCtor(value);
  if (value instanceof Date) return NumberCtor.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return StringCtor(value);
  if (value instanceof PromiseCtor) return 'Promise {}';
  if (depth > 2) return ArrayIsArray(value) ? '[Array]' : '[Object]';
  seen.push(value);
  try {
    if (ArrayIsArray(value)) {
      const shown = value.length > 100 ? 100 : value.length;
      const items = [];
      for (let i = 0; i < shown; i++) items.push(inspect(value[i], depth + 1, seen));
      if (value.length > shown) items.push('... ' + (value.length - shown) + ' more items');
      return items.length === 0 ? '[]' : '[ ' + items.join(', ') + ' ]';
    }
    if (value instanceof Map) {
      const items = [];
      value.forEach((v, k) => { items.push(inspect(k, depth + 1, seen) + ' => ' + inspect(v, depth + 1, seen)); });
      return 'Map(' + value.size + ') ' + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
    }
    if (value instanceof Set) {
      const items = [];
      value.forEach((v) => { items.push(inspect(v, depth + 1, seen)); });
      return 'Set(' + value.size + ') ' + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const shown = value.length > 100 ? 100 : value.length;
      const items = [];
      for (let i = 0; i < shown; i++) items.push(inspect(value[i], depth + 1, seen));
      if (value.length > shown) items.push('... ' + (value.length - shown) + ' more items');
      return value.constructor.name + '(' + value.length + ') ' + (items.length === 0 ? '[]' : '[ ' + items.join(', ') + ' ]');
    }
    const proto = ObjectGetPrototypeOf(value);
    let prefix = '';
    if (proto === null) prefix = '[Object: null prototype] ';
    else if (proto !== Object.prototype) {
      const ctor = proto.constructor;
      const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
      if (name !== '' && name !== 'Object') prefix = name + ' ';
    }
    const items = [];
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const shownKey = IDENTIFIER.test(key) ? key : quote(key);
      const desc = ObjectGetOwnPropertyDescriptor(value, key);
      let shownValue;
      if (desc !== undefined && (desc.get !== undefined || desc.set !== undefined)) {
        shownValue = desc.get !== undefined && desc.set !== undefined ? '[Getter/Setter]' : desc.get !== undefined ? '[Getter]' : '[Setter]';
      } else {
        shownValue = inspect(value[key], depth + 1, seen);
      }
      items.push(shownKey + ': ' + shownValue);
    }
    return prefix + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
  } finally {
    seen.pop();
  }
}

function formatValue(value) {
  return typeof value === 'string' ? value : inspect(value, 0, []);
}

function formatSpecifier(spec, arg) {
  switch (spec) {
    case 's':
      if (typeof arg === 'bigint') return arg + 'n';
      if (typeof arg === 'symbol') return arg.toString();
      if (typeof arg === 'object' && arg !== null) return inspect(arg, 1, []);
      return ObjectIs(arg, -0) ? '-0' : StringCtor(arg);
    case 'd':
    case 'i': {
      if (typeof arg === 'bigint') return arg + 'n';
      if (typeof arg === 'symbol') return 'NaN';
      const n = NumberCtor(arg);
      return spec === 'i' ? StringCtor(NumberCtor.parseInt(StringCtor(n), 10)) : StringCtor(n);
    }
    case 'f': return typeof arg === 'symbol' ? 'NaN' : StringCtor(NumberCtor.parseFloat(StringCtor(arg)));
    case 'j':
      try { return JSONStringify(arg); } catch (_) { return '[Circular]'; }
    case 'o':
    case 'O': return inspect(arg, 0, []);
    case 'c': return '';
  }
  return undefined;
}

function format(args) {
  if (args.length === 0) return '';
  const first = args[0];
  if (typeof first !== 'string' || args.length === 1) {
    let out = formatValue(first);
    for (let i = 1; i < args.length; i++) out += ' ' + formatValue(args[i]);
    return out;
  }
  let out = '';
  let last = 0;
  let next = 1;
  for (let i = 0; i < first.length - 1; i++) {
    if (first.charCodeAt(i) !== 37) continue;
    const spec = first[i + 1];
    if (spec === '%') {
      out += first.slice(last, i) + '%';
      last = i + 2;
      i++;
      continue;
    }
    if (next >= args.length) continue;
    const replacement = formatSpecifier(spec, args[next]);
    if (replacement === undefined) continue;
    out += first.slice(last, i) + replacement;
    last = i + 2;
    i++;
    next++;
  }
  out += first.slice(last);
  for (let i = next; i < args.length; i++) out += ' ' + formatValue(args[i]);
  return out;
}

let groupIndent = '';

// Console output is formatted, counted and capped here, inside the isolate's
// memory limit, and crosses to the host in batches: one crossing per line let
// a logging loop queue gigabytes of copies for the node's main thread and
// starve it. The host gets every line before the signal that ends a phase.
const LOG_FLUSH_BYTES = 65536;
const LOG_FLUSH_INTERVAL_MS = 100;
const DateCtor = Date;
const DatePrototypeToISOString = Date.prototype.toISOString;
const ArrayPrototypeJoin = Array.prototype.join;
let logRequestId = 'undefined';
let logPending = [];
let logPendingBytes = 0;
let logPhaseBytes = 0;
let logDroppedUnreported = 0;
let logLastFlushMs = 0;

/** UTF-8 length; a lone surrogate counts 2 where Node counts 3 (the host's count is exact). */
function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

function formatLine(timeMs, level, message) {
  const timestamp = ReflectApply(DatePrototypeToISOString, new DateCtor(timeMs), []);
  if (config !== undefined && config.logFormat === 'JSON') {
    return logRequestId === 'undefined'
      ? JSONStringify({ timestamp: timestamp, level: level, message: message })
      : JSONStringify({ timestamp: timestamp, level: level, requestId: logRequestId, message: message });
  }
  return timestamp + '	' + logRequestId + '	' + level + '	' + message;
}

/** Starts a phase's count (init, or one invocation): the cap is per phase. */
function startLogPhase(requestId) {
  flushLogs();
  logRequestId = requestId;
  logPhaseBytes = 0;
}

function flushLogs() {
  if (logPending.length === 0 && logDroppedUnreported === 0) return;
  const text = logPending.length === 0 ? '' : ReflectApply(ArrayPrototypeJoin, logPending, ['\n']) + '\n';
  const dropped = logDroppedUnreported;
  logPending = [];
  logPendingBytes = 0;
  logDroppedUnreported = 0;
  logLastFlushMs = DateNow();
  hostLog(text, dropped);
}

function emit(level, message) {
  const text = groupIndent === '' ? message : groupIndent + message.split('\n').join('\n' + groupIndent);
  const limit = config === undefined ? 0 : config.logLimitBytes;
  const now = DateNow();
  const line = formatLine(now, level, text);
  // A UTF-8 line is at least as many bytes as UTF-16 units: most drops need no count.
  const size = line.length + 1 > limit - logPhaseBytes ? line.length + 1 : utf8Length(line) + 1;
  if (logPhaseBytes + size > limit) {
    logDroppedUnreported++;
    return;
  }
  logPhaseBytes += size;
  logPending.push(line);
  logPendingBytes += size;
  if (logPendingBytes >= LOG_FLUSH_BYTES || now - logLastFlushMs >= LOG_FLUSH_INTERVAL_MS) flushLogs();
}

/** Every signal ends or decides a phase: the host must have its logs first. */
function sendSignal(kind, seq, json) {
  flushLogs();
  hostSignal(kind, seq, json);
}

function createConsole() {
  const counts = new Map();
  const timers = new Map();
  const level = (name) => function () { emit(name, format(arguments)); };
  return {
    log: level('INFO'),
    info: level('INFO'),
    warn: level('WARN'),
    error: level('ERROR'),
    debug: level('DEBUG'),
    trace: function () {
      const stack = new ErrorCtor().stack.split('\n').slice(2).join('\n');
      emit('TRACE', 'Trace' + (arguments.length > 0 ? ': ' + format(arguments) : '') + '\n' + stack);
    },
    dir: function (value) { emit('INFO', inspect(value, 0, [])); },
    table: level('INFO'),
    assert: function (condition) {
      if (condition) return;
      const rest = [];
      for (let i = 1; i < arguments.length; i++) rest.push(arguments[i]);
      emit('ERROR', 'Assertion failed' + (rest.length > 0 ? ': ' + format(rest) : ''));
    },
    count: function (label) {
      const key = label === undefined ? 'default' : StringCtor(label);
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      emit('INFO', key + ': ' + n);
    },
    countReset: function (label) { counts.delete(label === undefined ? 'default' : StringCtor(label)); },
    time: function (label) { timers.set(label === undefined ? 'default' : StringCtor(label), DateNow()); },
    timeLog: function (label) {
      const key = label === undefined ? 'default' : StringCtor(label);
      const start = timers.get(key);
      if (start !== undefined) emit('INFO', key + ': ' + (DateNow() - start) + 'ms');
    },
    timeEnd: function (label) {
      const key = label === undefined ? 'default' : StringCtor(label);
      const start = timers.get(key);
      if (start === undefined) return;
      timers.delete(key);
      emit('INFO', key + ': ' + (DateNow() - start) + 'ms');
    },
    group: function () {
      if (arguments.length > 0) emit('INFO', format(arguments));
      groupIndent += '  ';
    },
    groupCollapsed: function () {
      if (arguments.length > 0) emit('INFO', format(arguments));
      groupIndent += '  ';
    },
    groupEnd: function () { groupIndent = groupIndent.slice(2); },
  };
}

// --- timers --------------------------------------------------------------------
// The host keeps a single alarm per isolate ("wake me at T"); the timer table
// lives here, inside the isolate's memory limit, so user code cannot make the
// host hold one native timer per setTimeout. Each alarm runs one due timer as
// its own task, so microtasks drain between timer callbacks as in Node.

const timerTable = new Map();
let nextTimerId = 1;
let nextOrder = 1;
let refedCount = 0;
let requestedWake = Infinity;

function requestWake(due) {
  if (due < requestedWake) {
    requestedWake = due;
    hostWake(due);
  }
}

class TimerHandle {
  #id;
  constructor(id) { this.#id = id; }
  static idOf(value) {
    return value !== null && typeof value === 'object' && #id in value ? value.#id : undefined;
  }
  ref() { setRefed(this.#id, true); return this; }
  unref() { setRefed(this.#id, false); return this; }
  hasRef() {
    const timer = timerTable.get(this.#id);
    return timer !== undefined && timer.refed;
  }
  [Symbol.toPrimitive]() { return this.#id; }
}

class Timeout extends TimerHandle {
  refresh() {
    const timer = timerTable.get(TimerHandle.idOf(this));
    if (timer !== undefined) {
      timer.due = DateNow() + timer.delay;
      timer.order = nextOrder++;
      requestWake(timer.due);
    }
    return this;
  }
  close() { clearTimer(this); return this; }
}

class Immediate extends TimerHandle {}

function setRefed(id, refed) {
  const timer = timerTable.get(id);
  if (timer === undefined || timer.refed === refed) return;
  timer.refed = refed;
  refedCount += refed ? 1 : -1;
  noteLoopMaybeEmpty();
}

function normalizeDelay(delay) {
  const ms = NumberCtor(delay);
  return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
}

function addTimer(callback, delay, args, repeat, immediate) {
  if (typeof callback !== 'function') {
    throw new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(callback, 0, []));
  }
  const id = nextTimerId++;
  const handle = immediate ? new Immediate(id) : new Timeout(id);
  const ms = immediate ? 0 : normalizeDelay(delay);
  // Immediates are due at epoch 0: before any timer, and "now" for the host.
  const due = immediate ? 0 : DateNow() + ms;
  timerTable.set(id, { id: id, handle: handle, callback: callback, args: args, delay: ms, repeat: repeat, due: due, order: nextOrder++, refed: true });
  refedCount++;
  requestWake(due);
  return handle;
}

function clearTimer(handleOrId) {
  let id = TimerHandle.idOf(handleOrId);
  if (id === undefined && (typeof handleOrId === 'number' || typeof handleOrId === 'string')) id = NumberCtor(handleOrId);
  const timer = timerTable.get(id);
  if (timer === undefined) return;
  timerTable.delete(id);
  if (timer.refed) {
    refedCount--;
    noteLoopMaybeEmpty();
  }
}

function earliestTimer() {
  let best;
  for (const timer of timerTable.values()) {
    if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
  }
  return best;
}

function restArgs(args, from) {
  const rest = [];
  for (let i = from; i < args.length; i++) rest.push(args[i]);
  return rest;
}

function uncaughtException(err) {
  const seq = current !== undefined ? current.seq : 0;
  if (current !== undefined) {
    current.settled = true;
    current = undefined;
  }
  sendSignal('fatal', seq, errorJson(err));
}

function queueMicrotaskImpl(callback) {
  if (typeof callback !== 'function') {
    throw new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(callback, 0, []));
  }
  then(ReflectApply(PromiseResolve, PromiseCtor, []), () => {
    try { callback(); } catch (err) { uncaughtException(err); }
  });
}

// --- globals ---------------------------------------------------------------------

function defineGlobal(name, value, enumerable) {
  ObjectDefineProperty(globalThis, name, { value: value, writable: true, configurable: true, enumerable: enumerable });
}

let processObject;

function installGlobals() {
  defineGlobal('global', globalThis, true);
  defineGlobal('console', createConsole(), false);
  defineGlobal('setTimeout', function setTimeout(callback, delay) { return addTimer(callback, delay, restArgs(arguments, 2), false, false); }, true);
  defineGlobal('setInterval', function setInterval(callback, delay) { return addTimer(callback, delay, restArgs(arguments, 2), true, false); }, true);
  defineGlobal('setImmediate', function setImmediate(callback) { return addTimer(callback, 0, restArgs(arguments, 1), false, true); }, true);
  defineGlobal('clearTimeout', function clearTimeout(timeout) { clearTimer(timeout); }, true);
  defineGlobal('clearInterval', function clearInterval(interval) { clearTimer(interval); }, true);
  defineGlobal('clearImmediate', function clearImmediate(immediate) { clearTimer(immediate); }, true);
  defineGlobal('queueMicrotask', function queueMicrotask(callback) { queueMicrotaskImpl(callback); }, true);
  const hrtime = function hrtime(previous) {
    const ms = performanceNow();
    let sec = MathFloor(ms / 1000);
    let ns = MathFloor((ms % 1000) * 1e6);
    if (ArrayIsArray(previous)) {
      sec -= previous[0];
      ns -= previous[1];
      if (ns < 0) { sec -= 1; ns += 1e9; }
    }
    return [sec, ns];
  };
  hrtime.bigint = function bigint() { return BigInt(MathFloor(performanceNow() * 1e6)); };
  const noop = function () { return processObject; };
  processObject = {
    env: {},
    argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
    execArgv: [],
    version: 'v20.0.0',
    versions: { node: '20.0.0' },
    release: { name: 'node', lts: 'Iron' },
    platform: 'linux',
    arch: 'x64',
    pid: 1,
    title: 'node',
    cwd: function cwd() { return '/var/task'; },
    uptime: function uptime() { return performanceNow() / 1000; },
    hrtime: hrtime,
    memoryUsage: function memoryUsage() { return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }; },
    emitWarning: function emitWarning(warning) { emit('WARN', '(node) ' + (warning instanceof ErrorCtor ? warning.name + ': ' + warning.message : StringCtor(warning))); },
    exit: function exit(code) { throw new ErrorCtor('process.exit(' + (code === undefined ? '' : code) + ') is not supported in Stratus'); },
    on: noop,
    once: noop,
    off: noop,
    addListener: noop,
    removeListener: noop,
    removeAllListeners: noop,
    listeners: function listeners() { return []; },
    emit: function () { return false; },
    nextTick: function nextTick(callback) {
      const args = restArgs(arguments, 1);
      queueMicrotaskImpl(() => ReflectApply(callback, undefined, args));
    },
  };
  defineGlobal('process', processObject, false);
}

// --- entry points (called by the host and by the init wrapper) ----------------------

// Called by the host once per isolate, before any function is known: the
// callbacks and every global (an isolate waiting as a spare shell is here).
function setup(log, wake, signal, hostCrypto, hostHash, memoryBudgetBytes) {
  if (hostLog !== undefined) return;
  hostLog = log;
  hostWake = wake;
  hostSignal = signal;
  installGlobals();
  installWebGlobals(hostCrypto, hostHash);
  installMemoryGuards(memoryBudgetBytes);
}

// Called by the host once, when the isolate is given its function, before
// the function's module is evaluated: identity and process.env arrive as
// JSON text, so nothing of the host stays reachable.
function configure(configJson) {
  if (config !== undefined) return;
  config = JSONParse(configJson);
  processObject.env = config.env;
  restartClock();
}

function lookup(root, path) {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (value === null || value === undefined) return undefined;
    value = value[path[i]];
  }
  return value;
}

// Called by the init wrapper once the function's module (and any top-level
// await) has finished evaluating.
function ready(namespace) {
  if (initDone) return;
  initDone = true;
  let status = '';
  try {
    let fn = lookup(namespace, config.exportPath);
    // esbuild exposes a CommonJS bundle's module.exports as the default export.
    if (fn === undefined) fn = lookup(namespace.default, config.exportPath);
    if (fn === undefined) status = runtimeErrorJson('Runtime.HandlerNotFound', config.handler + ' is undefined or not exported');
    else if (typeof fn !== 'function') status = runtimeErrorJson('Runtime.HandlerNotFound', config.handler + ' is not a function');
    else handlerFn = fn;
  } catch (err) {
    status = errorJson(err);
  }
  sendSignal('init', 0, status);
}

/** JSON text of a result, or undefined when it cannot be serialised. */
function serializeResponse(value) {
  try {
    const json = JSONStringify(value === undefined ? null : value);
    return json === undefined ? 'null' : json;
  } catch (_) {
    return undefined;
  }
}

function unableToStringify() {
  const err = new ErrorCtor('Unable to stringify response body');
  return err;
}

function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

// Lambda's "empty event loop" is checked from a fresh task: only then have all
// microtasks that might schedule more timers run.
function noteLoopMaybeEmpty() {
  if (current !== undefined && current.waiting && refedCount === 0) requestWake(0);
}

/**
 * Starts one invocation. Returns '' when the handler was called, 'P' + reason
 * when the event is not JSON. The outcome arrives later via signal('ok' |
 * 'error' | 'fatal', seq, json): the result, or the error, as JSON text.
 */
function invoke(seq, requestId, eventJson, deadlineMs) {
  if (handlerFn === undefined) return 'Nthe function is not initialized';
  let event;
  try {
    event = JSONParse(eventJson === '' ? '{}' : eventJson);
  } catch (err) {
    return 'P' + StringCtor(err && err.message);
  }
  startLogPhase(requestId);
  const invocation = { seq: seq, settled: false, waiting: false, pending: undefined };
  current = invocation;
  const finish = (kind, body) => {
    if (invocation.settled) return;
    invocation.settled = true;
    if (current === invocation) current = undefined;
    sendSignal(kind, seq, body);
  };
  // Lambda's runtime: the first of callback/succeed/fail/done (or the
  // returned promise) decides; later calls are ignored.
  let reported = false;
  let waitForEmptyEventLoop = true;
  const postError = (err) => {
    const error = toLambdaError(err);
    emit('ERROR', 'Invoke Error \t' + JSONStringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace || [] }));
    finish('error', JSONStringify(error));
  };
  const complete = (value) => {
    const body = serializeResponse(value);
    if (body === undefined) postError(unableToStringify());
    else finish('ok', body);
  };
  const done = (err, value) => {
    if (reported) return;
    reported = true;
    if (err !== undefined && err !== null) postError(err);
    else complete(value);
  };
  const callback = function callback(err, value) {
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
    get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
    set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
    succeed: function succeed(value) { done(null, value); },
    fail: function fail(err) { done(err === undefined || err === null ? 'handled' : err, null); },
    done: function done_(err, value) { done(err, value); },
    functionVersion: config.functionVersion,
    functionName: config.functionName,
    memoryLimitInMB: config.memoryLimitInMB,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    clientContext: undefined,
    identity: undefined,
    invokedFunctionArn: config.invokedFunctionArn,
    awsRequestId: requestId,
    getRemainingTimeInMillis: function getRemainingTimeInMillis() { return MathMax(0, deadlineMs - DateNow()); },
  };
  // A handler that neither returns a promise nor calls back answers null
  // once its event loop is empty, as Lambda's default beforeExit listener does.
  invocation.waiting = true;
  invocation.pending = () => { if (!reported) { reported = true; complete(null); } };
  try {
    const result = ReflectApply(handlerFn, undefined, [event, context, callback]);
    if (isThenable(result)) {
      then(ReflectApply(PromiseResolve, PromiseCtor, [result]), (value) => done(null, value), (err) => done(err === undefined || err === null ? 'handled' : err, null));
    }
  } catch (err) {
    done(err, null);
  }
  noteLoopMaybeEmpty();
  flushLogs();
  return '';
}

/** Runs when the host's alarm fires: at most one due timer per task. */
function tick() {
  requestedWake = Infinity;
  const waiting = current;
  if (waiting !== undefined && waiting.waiting && refedCount === 0) {
    waiting.waiting = false;
    waiting.pending();
  }
  const timer = earliestTimer();
  if (timer !== undefined && timer.due <= DateNow()) {
    if (timer.repeat) {
      timer.due = DateNow() + timer.delay;
      timer.order = nextOrder++;
    } else {
      timerTable.delete(timer.id);
      if (timer.refed) refedCount--;
    }
    try {
      ReflectApply(timer.callback, timer.handle, timer.args);
    } catch (err) {
      uncaughtException(err);
    }
  }
  const next = earliestTimer();
  if (next !== undefined) requestWake(next.due);
  if (wasmPending > 0) requestWake(DateNow() + WASM_POLL_MS);
  noteLoopMaybeEmpty();
  flushLogs();
}
`;

/**
 * The `stratus:runtime` module: what the init wrapper and the host module
 * import. The host calls `bind` once with the runtime's entry points; the
 * functions are kept in this module's scope and called without a receiver.
 */
export const RUNTIME_MODULE_SOURCE = `let readyFn;
let digestFn;
let hmacFn;
let randomFillFn;
export function bind(runtime) {
  if (readyFn !== undefined) return;
  readyFn = runtime.ready;
  digestFn = runtime.hostDigest;
  hmacFn = runtime.hostHmac;
  randomFillFn = runtime.hostRandomFill;
}
export function ready(namespace) { readyFn(namespace); }
export function hostDigest(algorithm, data) { return digestFn(algorithm, data); }
export function hostHmac(algorithm, key, data) { return hmacFn(algorithm, key, data); }
export function hostRandomFill(view) { return randomFillFn(view); }
`;

/** The init wrapper: evaluates after the function's module, top-level await included. */
export const INIT_WRAPPER_SOURCE = `import * as functionModule from 'stratus:function';
import { ready } from 'stratus:runtime';
ready(functionModule);
`;

export const RUNTIME_SPECIFIER = 'stratus:runtime';
export const FUNCTION_SPECIFIER = 'stratus:function';

/**
 * What the bundler's `crypto` polyfill imports: host-computed hashes, HMACs
 * and random bytes, each taking and returning copies.
 */
export const HOST_MODULE_SOURCE = `export { hostDigest as digest, hostHmac as hmac, hostRandomFill as randomFill } from 'stratus:runtime';
`;

export const HOST_SPECIFIER = 'stratus:host';
