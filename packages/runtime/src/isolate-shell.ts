import { setFlagsFromString } from 'node:v8';
import ivm from 'isolated-vm';
import { cryptoTask, runCryptoTask } from './crypto-ops.js';
import { hashNow, hashTask, hostCrypto } from './host-crypto.js';
import type { HashPool } from './hash-pool.js';
import { BOOTSTRAP_SOURCE, HOST_MODULE_SOURCE, INIT_WRAPPER_SOURCE, RUNTIME_MODULE_SOURCE } from './isolate-runtime.js';

/** Where an isolate's callbacks go: the execution environment the shell was given to. */
export interface ShellSink {
  onLog(text: unknown, droppedLines: unknown, eventSpans: unknown): void;
  onWake(atMs: unknown): void;
  onSignal(kind: unknown, seq: unknown, json: unknown): void;
  /** The isolate's outbound HTTP: start, read, abort, take events (see egress/egress-bridge.ts). */
  onEgress(op: unknown, a: unknown, b: unknown): unknown;
  /** The function's source map for stacks it reads itself, as JSON text `{url, sources, mappings}`; '' for none. */
  onSourceMap(): string;
}

export type InvokeFn = (seq: number, requestId: string, eventJson: string, deadlineMs: number, invokedFunctionArn: string, attempt: number, clientContextJson: string) => string;
export type TickFn = () => void;
export type FlushFn = () => void;
type SetupFn = (log: unknown, wake: unknown, signal: unknown, crypto: unknown, hash: unknown, memoryBudgetBytes: number, egress: unknown, sourceMap: unknown) => void;
type ConfigureFn = (configJson: string) => void;
type BindFn = (runtime: unknown) => void;

/** Filled in when the shell is claimed: the isolate's callbacks exist before their receiver does. */
interface Route {
  sink: ShellSink | undefined;
}

const BOOTSTRAP_FILENAME = 'file:///var/runtime/bootstrap.js';
const RUNTIME_MODULE_FILENAME = 'file:///var/runtime/runtime.mjs';
const WRAPPER_FILENAME = 'file:///var/runtime/index.mjs';
const HOST_FILENAME = 'file:///var/runtime/host.mjs';
/** setup() is the runtime's own code and runs in well under a millisecond; this only guards against a wedged isolate. */
const SETUP_TIMEOUT_MS = 10_000;
/** Most buffers one crypto operation takes (a cipher: key, iv, data, aad, tag). */
const CRYPTO_MAX_BUFFERS = 6;

// BOOTSTRAP_SOURCE is the runtime as a strict function body run as a classic script: nothing it declares reaches
// the global object, and isolated-vm 5.0.4 applies V8's code cache to scripts only (compileModule accepts
// cachedData but never consumes it, and reports it as not rejected).

/**
 * V8's code cache for the bootstrap: one per process, as the source is a
 * constant and the cache depends only on it and on this process's V8.
 * Dropped when V8 rejects it, and produced again by the next compile.
 */
let bootstrapCachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;
const bootstrapCacheCounts = { produced: 0, consumed: 0, rejected: 0 };

/** How often the bootstrap's code cache was made, used, and refused by V8 in this process. */
export function bootstrapCodeCacheStats(): { readonly produced: number; readonly consumed: number; readonly rejected: number } {
  return { ...bootstrapCacheCounts };
}

/** Compiles (from the code cache when there is one) and runs the bootstrap; returns its entry points. */
async function runBootstrap(isolate: ivm.Isolate, context: ivm.Context): Promise<ivm.Reference<Record<string, unknown>>> {
  const cachedData = bootstrapCachedData;
  // isolated-vm sets these on the compiled script; its typings leave them out.
  const script: ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean } = await isolate.compileScript(
    BOOTSTRAP_SOURCE,
    cachedData !== undefined ? { filename: BOOTSTRAP_FILENAME, cachedData } : { filename: BOOTSTRAP_FILENAME, produceCachedData: true },
  );
  if (cachedData === undefined) {
    if (script.cachedData !== undefined) {
      bootstrapCachedData = script.cachedData;
      bootstrapCacheCounts.produced += 1;
    }
  } else if (script.cachedDataRejected === true) {
    if (bootstrapCachedData === cachedData) bootstrapCachedData = undefined;
    bootstrapCacheCounts.rejected += 1;
  } else {
    bootstrapCacheCounts.consumed += 1;
  }
  try {
    return (await script.run(context, { reference: true, timeout: SETUP_TIMEOUT_MS })) as ivm.Reference<Record<string, unknown>>;
  } finally {
    script.release();
  }
}

/**
 * An isolate with a context and the runtime bootstrap evaluated (globals
 * installed, callbacks wired), but no function yet: what every execution
 * environment starts from, whether made on demand or kept as a spare. It has
 * never run user code, so it carries no function's state. `claim()` hands it
 * to exactly one environment, which then owns (and disposes) the isolate.
 */
let userHeapSizedByIsolatedVm = false;

/**
 * V8's `--max-semi-space-size` and `--min-semi-space-size`, given to the node
 * process to make its own young generation larger (fewer scavenges per call
 * under load), would also override the young generation isolated-vm sizes
 * from each function's memory (a 128 MB function's isolate would reach
 * 320 MB, measured). V8 reads them when a heap is configured: set back to 0
 * (unset) before the first user isolate, the process keeps its own heap and
 * every isolate gets isolated-vm's sizes, however the process was started.
 */
function sizeUserHeapsByIsolatedVm(): void {
  if (userHeapSizedByIsolatedVm) return;
  setFlagsFromString('--max-semi-space-size=0');
  setFlagsFromString('--min-semi-space-size=0');
  userHeapSizedByIsolatedVm = true;
}

export class IsolateShell {
  readonly memoryMb: number;
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly runtimeModule: ivm.Module;
  readonly hostModule: ivm.Module;
  readonly wrapperModule: ivm.Module;
  readonly invokeRef: ivm.Reference<InvokeFn>;
  readonly tickRef: ivm.Reference<TickFn>;
  readonly flushRef: ivm.Reference<FlushFn>;
  readonly #configureRef: ivm.Reference<ConfigureFn>;
  readonly #route: Route;
  #claimed = false;

  private constructor(parts: {
    memoryMb: number;
    isolate: ivm.Isolate;
    context: ivm.Context;
    runtimeModule: ivm.Module;
    hostModule: ivm.Module;
    wrapperModule: ivm.Module;
    invokeRef: ivm.Reference<InvokeFn>;
    tickRef: ivm.Reference<TickFn>;
    flushRef: ivm.Reference<FlushFn>;
    configureRef: ivm.Reference<ConfigureFn>;
    route: Route;
  }) {
    this.memoryMb = parts.memoryMb;
    this.isolate = parts.isolate;
    this.context = parts.context;
    this.runtimeModule = parts.runtimeModule;
    this.hostModule = parts.hostModule;
    this.wrapperModule = parts.wrapperModule;
    this.invokeRef = parts.invokeRef;
    this.tickRef = parts.tickRef;
    this.flushRef = parts.flushRef;
    this.#configureRef = parts.configureRef;
    this.#route = parts.route;
  }

  /**
   * Creates the isolate and evaluates the runtime bootstrap. Runs isolate
   * work: the caller holds a slot of the process's isolate gate. Disposes
   * the isolate and rethrows when any step fails.
   */
  static async create(memoryMb: number, onCatastrophicError?: (message: string) => void, hashPool?: HashPool): Promise<IsolateShell> {
    sizeUserHeapsByIsolatedVm();
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb, ...(onCatastrophicError ? { onCatastrophicError } : {}) });
    try {
      const context = await isolate.createContext();
      const runtime = await runBootstrap(isolate, context);
      // Small steps on an isolate that runs nothing else: synchronous calls
      // cost microseconds, where each asynchronous one is a thread hop.
      const setup = runtime.getSync('setup', { reference: true }) as ivm.Reference<SetupFn>;
      const configureRef = runtime.getSync('configure', { reference: true }) as ivm.Reference<ConfigureFn>;
      const invokeRef = runtime.getSync('invoke', { reference: true }) as ivm.Reference<InvokeFn>;
      const tickRef = runtime.getSync('tick', { reference: true }) as ivm.Reference<TickFn>;
      const flushRef = runtime.getSync('flush', { reference: true }) as ivm.Reference<FlushFn>;
      const runtimeModule = isolate.compileModuleSync(RUNTIME_MODULE_SOURCE, { filename: RUNTIME_MODULE_FILENAME });
      runtimeModule.instantiateSync(context, (specifier) => {
        throw new Error(`Cannot find module '${specifier}'`);
      });
      runtimeModule.evaluateSync({ timeout: SETUP_TIMEOUT_MS });
      const bind = runtimeModule.namespace.getSync('bind', { reference: true }) as ivm.Reference<BindFn>;
      bind.applySync(undefined, [runtime.derefInto()], { timeout: SETUP_TIMEOUT_MS });
      bind.release();
      runtime.release();
      const route: Route = { sink: undefined };
      // Callbacks copy primitive arguments only and, being 'ignored', never
      // block the isolate on the host's event loop. They reach the runtime's
      // scope as arguments, never through the global object.
      const log = new ivm.Callback((text: unknown, droppedLines: unknown, eventSpans: unknown) => route.sink?.onLog(text, droppedLines, eventSpans), {
        ignored: true,
      });
      const wake = new ivm.Callback((atMs: unknown) => route.sink?.onWake(atMs), { ignored: true });
      const signal = new ivm.Callback((kind: unknown, seq: unknown, json: unknown) => route.sink?.onSignal(kind, seq, json), {
        ignored: true,
      });
      // Synchronous (Node's createHash is), and it returns fresh ArrayBuffers or an error string: copies only.
      const crypto = new ivm.Callback(hostCrypto);
      const hash = new ivm.Reference(offThreadHash(hashPool));
      // Synchronous and copying both ways: the isolate starts, reads and aborts requests and takes their events
      // (numbers, strings, fresh ArrayBuffers); the requests run on the node's event loop, never in the call.
      const egress = new ivm.Callback((op: unknown, a: unknown, b: unknown) => route.sink?.onEgress(op, a, b));
      // Synchronous, no arguments, a string out: the isolate asks once per environment, when a stack it formats
      // first holds a bundle position (isolate/stack-map.ts), never per stack.
      const sourceMap = new ivm.Callback(() => route.sink?.onSourceMap() ?? '');
      await setup.apply(undefined, [log, wake, signal, crypto, hash, memoryMb * 1024 * 1024, egress, sourceMap], { timeout: SETUP_TIMEOUT_MS });
      setup.release();
      const hostModule = isolate.compileModuleSync(HOST_MODULE_SOURCE, { filename: HOST_FILENAME });
      const wrapperModule = isolate.compileModuleSync(INIT_WRAPPER_SOURCE, { filename: WRAPPER_FILENAME });
      return new IsolateShell({ memoryMb, isolate, context, runtimeModule, hostModule, wrapperModule, invokeRef, tickRef, flushRef, configureRef, route });
    } catch (err) {
      if (!isolate.isDisposed) isolate.dispose();
      throw err;
    }
  }

  /** Whether the shell can still be given to an environment. */
  get available(): boolean {
    return !this.#claimed && !this.isolate.isDisposed;
  }

  /** Gives the shell to one environment; its callbacks go to `sink` from now on. */
  claim(sink: ShellSink): void {
    if (!this.available) throw new Error('the isolate shell was already claimed or disposed');
    this.#claimed = true;
    this.#route.sink = sink;
  }

  /**
   * Applies the function's identity and environment (JSON text: the isolate
   * keeps no reference to host objects). Runs isolate work: the caller holds
   * a gate slot. Throws what isolated-vm throws.
   */
  configure(configJson: string, timeoutMs: number): void {
    // A JSON.parse of a few KB: synchronous is cheaper than a thread hop.
    this.#configureRef.applySync(undefined, [configJson], { timeout: timeoutMs });
    this.#configureRef.release();
  }

  /** Frees the isolate. Idempotent. */
  dispose(): void {
    this.#claimed = true;
    this.#route.sink = undefined;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}

/**
 * What the isolate calls with applySyncPromise for large hashes and every other crypto operation: the pool's answer
 * (or the answer computed here when there is no pool). Arguments are copies: ('digest' | 'hmac', algorithm, [key,]
 * data) or ('crypto', operation, optionsJson, ...buffers). A Reference in the isolate can do more than call (get,
 * set, and through them reach the host's Function constructor), so the function is wrapped in a Proxy that answers
 * every other question with nothing.
 */
function offThreadHash(pool: HashPool | undefined): (...args: unknown[]) => Promise<unknown> {
  const hash = async (...args: unknown[]): Promise<unknown> => {
    const task = args[0] === 'crypto' ? cryptoTask(args[1], args[2], args.slice(3, 3 + CRYPTO_MAX_BUFFERS)) : hashTask(args[0], args[1], args[2], args[3]);
    if (typeof task === 'string') return task;
    let result: ArrayBuffer | string;
    if (pool !== undefined) result = await pool.run(task);
    else result = 'buffers' in task ? await runCryptoTask(task) : hashNow(task);
    // applySyncPromise takes no result options: a copy must be asked for this way.
    return typeof result === 'string' ? result : new ivm.ExternalCopy(result).copyInto({ release: true });
  };
  const refuse = (): false => false;
  return new Proxy(hash, {
    apply: (target, _receiver, args: unknown[]) => target(...args),
    get: () => undefined,
    getOwnPropertyDescriptor: () => undefined,
    getPrototypeOf: () => null,
    has: refuse,
    ownKeys: () => [],
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    setPrototypeOf: refuse,
  });
}
