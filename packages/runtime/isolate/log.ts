// Console output is formatted, counted and capped here, inside the isolate's memory limit, and crosses to the
// host in batches: one crossing per line let a logging loop queue gigabytes of copies for the node's main
// thread and starve it. The host gets every line before the signal that ends a phase.
import { config } from './config.js';
import { format, inspect } from './format.js';
import { hostLog, hostSignal } from './host.js';
import { current, setCurrent } from './loop.js';
import { ArrayPrototypeJoin, DateCtor, DateNow, DatePrototypeToISOString, ErrorCtor, JSONStringify, ObjectAssign, ReflectApply, StringCtor } from './primordials.js';

const LOG_FLUSH_BYTES = 65536;
const LOG_FLUSH_INTERVAL_MS = 100;
let logRequestId = 'undefined';
let logPending: string[] = [];
let logPendingBytes = 0;
let logPhaseBytes = 0;
let logDroppedUnreported = 0;
let logLastFlushMs = 0;
let groupIndent = '';
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
  logPending = [];
  logPendingBytes = 0;
  logDroppedUnreported = 0;
  logLastFlushMs = DateNow();
  hostLog(text, dropped);
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
  if (config?.logFormat === 'JSON' && groupIndent === '') push(jsonRecord(DateNow(), level, logRequestId, args));
  else emit(level, format(args));
}

/**
 * An error the runtime reports (Invoke Error): in Text, the label and the
 * error as JSON with its trace under "stack"; in JSON, a record whose
 * message is the error, as Lambda's runtime client logs it.
 */
export function emitError(label: string, error: { errorType: string; errorMessage: string; trace?: readonly string[] }): void {
  if (!levelEnabled('ERROR')) return;
  if (config?.logFormat !== 'JSON') {
    emit('ERROR', label + ' \t' + JSONStringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace || [] }));
    return;
  }
  const message = { errorType: error.errorType, errorMessage: error.errorMessage, stackTrace: error.trace || [] };
  const record: Record<string, unknown> = { timestamp: ReflectApply(DatePrototypeToISOString, new DateCtor(DateNow()), []), level: 'ERROR' };
  if (logRequestId !== 'undefined') record['requestId'] = logRequestId;
  record['message'] = message;
  push(JSONStringify(record));
}

export function emit(level: string, message: string): void {
  if (!levelEnabled(level)) return;
  const text = groupIndent === '' ? message : groupIndent + message.split('\n').join('\n' + groupIndent);
  push(formatLine(DateNow(), level, text, logRequestId, config?.logFormat));
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
  logPending.push(line);
  logPendingBytes += size;
  if (logPendingBytes >= LOG_FLUSH_BYTES || now - logLastFlushMs >= LOG_FLUSH_INTERVAL_MS) flushLogs();
}

/** Every signal ends or decides a phase: the host must have its logs first. */
export function sendSignal(kind: string, seq: number, json: string): void {
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

/** The global console: Node's methods, each line one log record. */
export function createConsole(): Record<string, (...args: unknown[]) => void> {
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const level = (name: string) =>
    function (...args: unknown[]): void {
      emitArgs(name, args);
    };
  return {
    log: level('INFO'),
    info: level('INFO'),
    warn: level('WARN'),
    error: level('ERROR'),
    debug: level('DEBUG'),
    // Lambda's runtime client adds console.fatal.
    fatal: level('FATAL'),
    trace: function (...args: unknown[]) {
      if (!levelEnabled('TRACE')) return;
      const stack = (new ErrorCtor().stack ?? '').split('\n').slice(2).join('\n');
      emit('TRACE', 'Trace' + (args.length > 0 ? ': ' + format(args) : '') + '\n' + stack);
    },
    dir: function (value: unknown) {
      emit('INFO', inspect(value, 0, []));
    },
    table: level('INFO'),
    assert: function (condition: unknown, ...rest: unknown[]) {
      if (condition) return;
      emit('ERROR', 'Assertion failed' + (rest.length > 0 ? ': ' + format(rest) : ''));
    },
    count: function (label: unknown) {
      const key = labelOf(label);
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      emit('INFO', key + ': ' + n);
    },
    countReset: function (label: unknown) {
      counts.delete(labelOf(label));
    },
    time: function (label: unknown) {
      timers.set(labelOf(label), DateNow());
    },
    timeLog: function (label: unknown) {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start !== undefined) emit('INFO', key + ': ' + (DateNow() - start) + 'ms');
    },
    timeEnd: function (label: unknown) {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start === undefined) return;
      timers.delete(key);
      emit('INFO', key + ': ' + (DateNow() - start) + 'ms');
    },
    group: function (...args: unknown[]) {
      if (args.length > 0) emit('INFO', format(args));
      groupIndent += '  ';
    },
    groupCollapsed: function (...args: unknown[]) {
      if (args.length > 0) emit('INFO', format(args));
      groupIndent += '  ';
    },
    groupEnd: function () {
      groupIndent = groupIndent.slice(2);
    },
  };
}
