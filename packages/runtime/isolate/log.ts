// Console output is formatted, counted and capped here, inside the isolate's memory limit, and crosses to the
// host in batches: one crossing per line let a logging loop queue gigabytes of copies for the node's main
// thread and starve it. The host gets every line before the signal that ends a phase.
import { config } from './config.js';
import { format, inspect } from './format.js';
import { hostLog, hostSignal } from './host.js';
import { toLambdaError } from './lambda-error.js';
import { current, setCurrent } from './loop.js';
import {
  ArrayPrototypeJoin,
  DateCtor,
  DateNow,
  DatePrototypeToISOString,
  ErrorCtor,
  JSONStringify,
  ObjectAssign,
  ReflectApply,
  StringCtor,
  StringPrototypeIndexOf,
} from './primordials.js';

const LOG_FLUSH_BYTES = 65536;
const LOG_FLUSH_INTERVAL_MS = 100;
let logRequestId = 'undefined';
let logPending: string[] = [];
let logPendingBytes = 0;
/** Lines queued so far, counted only once a queued event spans several. */
let logPendingLines = 0;
/**
 * The queued events that cover several lines (a message with newlines), as "first,count,…" with lines counted
 * from the batch's first: the host keeps them so readers see one event per console call, not one per line.
 * Built only for such events, so a log of single lines pays one indexOf per line for its framing.
 */
let logPendingSpans = '';
/** indexOf's arguments, made once: this runs for every line logged. */
const NEWLINE_ARGS: [string] = ['\n'];
let logPhaseBytes = 0;
let logDroppedUnreported = 0;
let logLastFlushMs = 0;
/** process.exit() was called: the host discards the environment, and hears nothing more from it. */
let exited = false;

/** UTF-8 length; a lone surrogate counts 2 where Node counts 3 (the host's count is exact). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** One log line in Lambda's Text format (tab-separated) or JSON format. */
export function formatLine(timeMs: number, level: string, message: string, requestId: string, logFormat: 'Text' | 'JSON' | undefined): string {
  const timestamp = ReflectApply(DatePrototypeToISOString, new DateCtor(timeMs), []);
  if (logFormat === 'JSON') {
    return requestId === 'undefined'
      ? JSONStringify({ timestamp: timestamp, level: level, message: message })
      : JSONStringify({ timestamp: timestamp, level: level, requestId: requestId, message: message });
  }
  return timestamp + '\t' + requestId + '\t' + level + '\t' + message;
}

/** Starts a phase's count (init, or one invocation): the cap is per phase. */
export function startLogPhase(requestId: string): void {
  flushLogs();
  logRequestId = requestId;
  logPhaseBytes = 0;
}

export function flushLogs(): void {
  if (exited || (logPending.length === 0 && logDroppedUnreported === 0)) return;
  const text = logPending.length === 0 ? '' : ReflectApply(ArrayPrototypeJoin, logPending, ['\n']) + '\n';
  const dropped = logDroppedUnreported;
  const spans = logPendingSpans;
  logPending = [];
  logPendingBytes = 0;
  logPendingLines = 0;
  logPendingSpans = '';
  logDroppedUnreported = 0;
  logLastFlushMs = DateNow();
  hostLog(text, dropped, spans);
}

/** The runtime client's priorities: a level is logged when it is at least the application log level. */
const LEVEL_PRIORITY: Readonly<Record<string, number>> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

/** Whether the application log level (JSON only; Text logs everything) keeps a record of `level`. */
export function levelEnabled(level: string): boolean {
  const minimum = config?.applicationLogLevel;
  if (minimum === undefined || config?.logFormat !== 'JSON') return true;
  return (LEVEL_PRIORITY[level] ?? 3) >= (LEVEL_PRIORITY[minimum] ?? 1);
}

/** The name Lambda's runtime client gives an error's type in JSON records. */
function errorTypeOf(error: Error): string {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' ? ctor.name : 'UnknownError';
}

function stackLines(error: Error): unknown {
  return typeof error.stack === 'string' ? error.stack.split('\n') : error.stack;
}

/** Lambda's runtime client serialises an error in a JSON record as its type, message and stack, then its own properties. */
function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof ErrorCtor) {
    return ObjectAssign({ errorType: errorTypeOf(value), errorMessage: value.message, stackTrace: stackLines(value) }, value);
  }
  return value;
}

/**
 * One console call as Lambda's runtime client writes it in JSON: a single
 * argument is the message as it is (an error as {errorType, errorMessage,
 * stackTrace, …}; what JSON cannot hold, formatted instead); several are
 * formatted into the message, the first error among them also given as
 * errorType, errorMessage and stackTrace.
 */
export function jsonRecord(timeMs: number, level: string, requestId: string, args: readonly unknown[]): string {
  const record: Record<string, unknown> = { timestamp: ReflectApply(DatePrototypeToISOString, new DateCtor(timeMs), []), level: level };
  if (requestId !== 'undefined') record['requestId'] = requestId;
  if (args.length === 1) {
    record['message'] = args[0];
    try {
      return JSONStringify(record, jsonErrorReplacer);
    } catch {
      record['message'] = format(args);
      return JSONStringify(record);
    }
  }
  record['message'] = format(args);
  for (const arg of args) {
    if (arg instanceof ErrorCtor) {
      record['errorType'] = errorTypeOf(arg);
      record['errorMessage'] = arg.message;
      record['stackTrace'] = typeof arg.stack === 'string' ? arg.stack.split('\n') : [];
      break;
    }
  }
  return JSONStringify(record);
}

/** A console call: filtered by level, formatted as the function's log format has it. */
export function emitArgs(level: string, args: readonly unknown[]): void {
  if (!levelEnabled(level)) return;
  if (config?.logFormat === 'JSON') push(jsonRecord(DateNow(), level, logRequestId, args));
  else emit(level, format(args));
}

/** Lambda's runtime client's `_withEnumerableProperties`: an error as its type, message and `code`, then its own enumerable properties, its stack as lines. */
function withEnumerableProperties(_key: string, value: unknown): unknown {
  if (value instanceof ErrorCtor) {
    const out: Record<string, unknown> = ObjectAssign({ errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code } as Record<string, unknown>, value);
    if (typeof value.stack === 'string') out['stack'] = value.stack.split('\n');
    return out;
  }
  return value;
}

/**
 * The "Invoke Error" record of a handler's error, as Lambda's runtime client logs it: what was thrown made an
 * Error when it is not one (a thrown string is logged as `Error: <string>` with a stack), then in Text the whole
 * error as JSON with its own enumerable properties (`code` and the rest), in JSON a record whose message is the
 * error. When the error cannot be serialised (a getter that throws, a cycle), its type, message and trace.
 */
export function emitInvokeError(thrown: unknown): void {
  if (!levelEnabled('ERROR')) return;
  let error: unknown;
  try {
    error = thrown instanceof ErrorCtor ? thrown : new ErrorCtor(thrown as string);
  } catch {
    error = thrown;
  }
  if (config?.logFormat === 'JSON') {
    push(jsonRecord(DateNow(), 'ERROR', logRequestId, [error]));
    return;
  }
  let text: string;
  try {
    text = JSONStringify(error, withEnumerableProperties);
  } catch {
    text = JSONStringify(toLambdaError(error));
  }
  emit('ERROR', 'Invoke Error \t' + text);
}

export function emit(level: string, message: string): void {
  if (!levelEnabled(level)) return;
  push(formatLine(DateNow(), level, message, logRequestId, config?.logFormat));
}

/**
 * process.stdout.write / process.stderr.write: the text goes to the log as it is, without Lambda's timestamp,
 * request id and level (as on Lambda, where the runtime's stdout is the log), one line per line written; a
 * trailing newline ends the last line rather than adding an empty one.
 */
export function emitRaw(text: string): void {
  if (text === '') return;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) push(lines[i] as string);
}

/** Counts a formatted line against the phase's cap and queues it for the host. */
function push(line: string): void {
  const limit = config === undefined ? 0 : config.logLimitBytes;
  const now = DateNow();
  // A UTF-8 line is at least as many bytes as UTF-16 units: most drops need no count.
  const size = line.length + 1 > limit - logPhaseBytes ? line.length + 1 : utf8Length(line) + 1;
  if (logPhaseBytes + size > limit) {
    logDroppedUnreported++;
    return;
  }
  logPhaseBytes += size;
  const newline: number = ReflectApply(StringPrototypeIndexOf, line, NEWLINE_ARGS);
  if (newline === -1) {
    if (logPendingSpans !== '') logPendingLines++;
  } else {
    // The lines before this one are counted now, the first time they matter.
    if (logPendingSpans === '') logPendingLines = logPending.length;
    const count = lineCount(line, newline);
    logPendingSpans += (logPendingSpans === '' ? '' : ',') + logPendingLines + ',' + count;
    logPendingLines += count;
  }
  logPending.push(line);
  logPendingBytes += size;
  if (logPendingBytes >= LOG_FLUSH_BYTES || now - logLastFlushMs >= LOG_FLUSH_INTERVAL_MS) flushLogs();
}

/** Lines of a text (no trailing newline) whose first newline is at `newline`. */
function lineCount(text: string, newline: number): number {
  let count = 2;
  for (let i: number = ReflectApply(StringPrototypeIndexOf, text, ['\n', newline + 1]); i !== -1; i = ReflectApply(StringPrototypeIndexOf, text, ['\n', i + 1])) count++;
  return count;
}

/** Every signal ends or decides a phase: the host must have its logs first. */
export function sendSignal(kind: string, seq: number, json: string | ArrayBuffer): void {
  if (exited) return;
  flushLogs();
  hostSignal(kind, seq, json);
}

/** process.exit(status): the invocation (or init) ends as Lambda's Runtime.ExitError; the first call counts. */
export function exitRuntime(status: number): void {
  if (exited) return;
  const invocation = current;
  if (invocation !== undefined) {
    invocation.settled = true;
    setCurrent(undefined);
  }
  sendSignal('exit', invocation !== undefined ? invocation.seq : 0, StringCtor(status));
  exited = true;
}

function labelOf(label: unknown): string {
  return label === undefined ? 'default' : StringCtor(label);
}

/**
 * The global console as Lambda's runtime client leaves it: `log`, `info`, `warn`, `error`, `debug`, `trace` and
 * `fatal` are each one record of `util.format(message, ...rest)` at their level (so `console.trace` has no
 * stack and a call without arguments logs "undefined", as there); the methods it does not replace behave as
 * Node's do on top of those (`assert` warns, `count` and `time*` log, `group` logs its label without indenting
 * what follows, since the replaced methods never indent) or write to stdout (`dir`, a raw line).
 */
export function createConsole(): Record<string, (...args: unknown[]) => void> {
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const level = (name: string) =>
    function (...args: unknown[]): void {
      emitArgs(name, args.length === 0 ? [undefined] : args);
    };
  const log = level('INFO');
  return {
    log: log,
    info: log,
    warn: level('WARN'),
    error: level('ERROR'),
    debug: level('DEBUG'),
    trace: level('TRACE'),
    // Lambda's runtime client adds console.fatal.
    fatal: level('FATAL'),
    dir: function (value: unknown) {
      emitRaw(inspect(value, 0, []) + '\n');
    },
    table: log,
    assert: function (condition: unknown, ...rest: unknown[]) {
      if (condition) return;
      // Node's words, through console.warn.
      if (typeof rest[0] === 'string') emitArgs('WARN', ['Assertion failed: ' + rest[0], ...rest.slice(1)]);
      else emitArgs('WARN', ['Assertion failed', ...rest]);
    },
    count: function (label: unknown) {
      const key = labelOf(label);
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      log(key + ': ' + n);
    },
    countReset: function (label: unknown) {
      counts.delete(labelOf(label));
    },
    time: function (label: unknown) {
      timers.set(labelOf(label), DateNow());
    },
    timeLog: function (label: unknown, ...data: unknown[]) {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start !== undefined) log(key + ': ' + (DateNow() - start) + 'ms', ...data);
    },
    timeEnd: function (label: unknown) {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start === undefined) return;
      timers.delete(key);
      log(key + ': ' + (DateNow() - start) + 'ms');
    },
    group: function (...args: unknown[]) {
      if (args.length > 0) log(...args);
    },
    groupCollapsed: function (...args: unknown[]) {
      if (args.length > 0) log(...args);
    },
    groupEnd: function () {},
  };
}
