// The globals Node has beyond the Web's: global, console, timers, queueMicrotask, process.
import { performanceNow } from './clock.js';
import { emit, emitRaw, createConsole, exitRuntime } from './log.js';
import { bytesOf, utf8Decode } from './text-encoding.js';
import { ArrayIsArray, ErrorCtor, MathFloor, NumberCtor, NumberIsInteger, ObjectDefineProperty, PromiseCtor, ReflectApply, StringCtor } from './primordials.js';
import { addTimer, clearTimer, queueMicrotaskImpl, restArgs } from './timers.js';
import { defineGlobal } from './web-globals.js';

export interface ProcessObject {
  env: Record<string, string>;
  exitCode: unknown;
  [key: string]: unknown;
}

/** The global `process`; configure() gives it the function's environment. */
export let processObject: ProcessObject | undefined;

function hrtime(previous?: unknown): [number, number] {
  const ms = performanceNow();
  let sec = MathFloor(ms / 1000);
  let ns = MathFloor((ms % 1000) * 1e6);
  if (ArrayIsArray(previous)) {
    sec -= previous[0] as number;
    ns -= previous[1] as number;
    if (ns < 0) {
      sec -= 1;
      ns += 1e9;
    }
  }
  return [sec, ns];
}
hrtime.bigint = function bigint(): bigint {
  return BigInt(MathFloor(performanceNow() * 1e6));
};

/**
 * process.stdout and process.stderr: libraries read `fd` and `isTTY` at import time (debug, which axios loads
 * through https-proxy-agent, asks `tty.isatty(process.stderr.fd)`), and some write to them. What is written goes
 * to the function's log as raw lines, as on Lambda; nothing here is a terminal.
 */
function createStdStream(fd: number): Record<string, unknown> {
  const stream: Record<string, unknown> = {
    fd: fd,
    isTTY: false,
    writable: true,
    writableLength: 0,
    writableHighWaterMark: 16384,
    write: function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      emitRaw(typeof chunk === 'string' ? chunk : utf8Decode(bytesOf(chunk), false, true));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotaskImpl(() => void ReflectApply(done, undefined, [null]));
      return true;
    },
    end: function end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
      if (typeof chunk === 'string' || (chunk !== null && typeof chunk === 'object')) (stream['write'] as (c: unknown) => boolean)(chunk);
      const done = typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotaskImpl(() => void ReflectApply(done, undefined, []));
      return stream;
    },
    cork: function cork() {},
    uncork: function uncork() {},
    getColorDepth: function getColorDepth() {
      return 1;
    },
    hasColors: function hasColors() {
      return false;
    },
    emit: function () {
      return false;
    },
    listenerCount: function listenerCount() {
      return 0;
    },
  };
  const self = function (): Record<string, unknown> {
    return stream;
  };
  for (const name of ['on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'prependListener', 'setMaxListeners']) stream[name] = self;
  return stream;
}

function createProcess(): ProcessObject {
  const noop = function (): ProcessObject | undefined {
    return processObject;
  };
  return {
    env: {},
    argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
    execArgv: [],
    version: 'v20.0.0',
    // What libraries read to pick a code path (native addons, feature checks): Node 20's shape.
    versions: { node: '20.0.0', v8: '11.3.244.8-node.0', uv: '1.46.0', zlib: '1.3.0.1-motley', modules: '115', napi: '9', openssl: '3.0.13+quic' },
    argv0: 'node',
    execPath: '/var/lang/bin/node',
    config: { variables: {} },
    features: { inspector: false, debug: false, uv: true, ipv6: true, tls_alpn: true, tls_sni: true, tls_ocsp: true, tls: true, cached_builtins: true },
    release: { name: 'node', lts: 'Iron' },
    platform: 'linux',
    arch: 'x64',
    pid: 1,
    title: 'node',
    cwd: function cwd() {
      return '/var/task';
    },
    uptime: function uptime() {
      return performanceNow() / 1000;
    },
    hrtime: hrtime,
    memoryUsage: function memoryUsage() {
      return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
    },
    emitWarning: function emitWarning(warning: unknown) {
      emit('WARN', '(node) ' + (warning instanceof ErrorCtor ? warning.name + ': ' + warning.message : StringCtor(warning)));
    },
    stdout: createStdStream(1),
    stderr: createStdStream(2),
    exitCode: undefined,
    exit: function exit(code?: unknown) {
      exitProcess(code === undefined ? (processObject as ProcessObject).exitCode : code);
    },
    on: noop,
    once: noop,
    off: noop,
    addListener: noop,
    removeListener: noop,
    removeAllListeners: noop,
    listeners: function listeners() {
      return [];
    },
    emit: function () {
      return false;
    },
    nextTick: function nextTick(callback: (...args: unknown[]) => unknown) {
      // eslint-disable-next-line prefer-rest-params -- process.nextTick has length 1, as in Node
      const args = restArgs(arguments, 1);
      queueMicrotaskImpl(() => ReflectApply(callback, undefined, args));
    },
  };
}

/**
 * process.exit(): the host ends the invocation as Lambda's Runtime.ExitError and discards the environment (its
 * isolate), which stops whatever still runs. Until it does, nothing this environment does reaches the host, and
 * the throw unwinds the code that called exit().
 */
function exitProcess(code: unknown): never {
  const n = NumberCtor(code === undefined || code === null ? 0 : code);
  // The status the operating system would report: the low 8 bits; what is not an integer is 1, as Node refuses it.
  const status = NumberIsInteger(n) ? n & 0xff : 1;
  exitRuntime(status);
  throw new ErrorCtor('process.exit(' + status + '): the runtime is exiting');
}

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

/** What util.promisify(setTimeout) and util.promisify(setImmediate) return, as in Node: (delay, value) => Promise. */
function definePromisified(fn: object, promisified: (...args: unknown[]) => Promise<unknown>): void {
  ObjectDefineProperty(fn, kCustomPromisify, { value: promisified, writable: true, configurable: true, enumerable: true });
}

export function installNodeGlobals(): void {
  defineGlobal('global', globalThis, true);
  defineGlobal('console', createConsole(), false);
  // `arguments`, not rest parameters: Node's timers have length 2 (setImmediate 1), as user code may check.
  /* eslint-disable prefer-rest-params */
  const setTimeoutFn = function setTimeout(callback: unknown, delay?: unknown) {
    return addTimer(callback, delay, restArgs(arguments, 2), false, false);
  };
  definePromisified(setTimeoutFn, function setTimeout(delay?: unknown, value?: unknown) {
    return new PromiseCtor((resolve) => addTimer(resolve, delay, [value], false, false));
  });
  defineGlobal('setTimeout', setTimeoutFn, true);
  defineGlobal('setInterval', function setInterval(callback: unknown, delay?: unknown) {
    return addTimer(callback, delay, restArgs(arguments, 2), true, false);
  }, true);
  const setImmediateFn = function setImmediate(callback: unknown) {
    return addTimer(callback, 0, restArgs(arguments, 1), false, true);
  };
  definePromisified(setImmediateFn, function setImmediate(value?: unknown) {
    return new PromiseCtor((resolve) => addTimer(resolve, 0, [value], false, true));
  });
  defineGlobal('setImmediate', setImmediateFn, true);
  /* eslint-enable prefer-rest-params */
  defineGlobal('clearTimeout', function clearTimeout(timeout: unknown) {
    clearTimer(timeout);
  }, true);
  defineGlobal('clearInterval', function clearInterval(interval: unknown) {
    clearTimer(interval);
  }, true);
  defineGlobal('clearImmediate', function clearImmediate(immediate: unknown) {
    clearTimer(immediate);
  }, true);
  defineGlobal('queueMicrotask', function queueMicrotask(callback: unknown) {
    queueMicrotaskImpl(callback);
  }, true);
  processObject = createProcess();
  defineGlobal('process', processObject, false);
}
