// What the host hands the runtime through setup(): copying callbacks and one Reference, kept in this module's
// scope only (never on the global object, never passed to user code).

/**
 * Console output of one batch: lines joined by '\n', how many lines were dropped since the last batch, and the
 * batch's events that cover several lines as "first,count,…" (lines counted from the batch's first; '' for none).
 */
export type HostLog = (text: string, droppedLines: number, eventSpans: string) => void;
/** "Run tick() at this epoch ms": the host keeps one alarm per isolate. */
export type HostWake = (atMs: number) => void;
/**
 * The end (or decision) of a phase: 'init' | 'ok' | 'error' | 'fatal' | 'oom', with the invocation's seq and JSON text;
 * and a streaming handler's response: 'streaming' (at init: the handler streams), 'stream-type' (its content type),
 * 'chunk' (a batch of its bytes, an ArrayBuffer copy).
 */
export type HostSignal = (kind: string, seq: number, json: string | ArrayBuffer) => void;
/** Synchronous host crypto: copies in (strings, numbers, ArrayBuffers), a fresh ArrayBuffer or an error message out. */
export type HostCrypto = (op: string, ...args: unknown[]) => ArrayBuffer | string;
/**
 * isolated-vm's Reference to the host's off-thread hash function. Only its `applySyncPromise` is ever used (captured
 * at setup); the host wraps the function in a Proxy that answers every other question with nothing.
 */
export interface HostHashReference {
  readonly applySyncPromise: (this: HostHashReference, receiver: undefined, args: unknown[], options: { arguments: { copy: true } }) => ArrayBuffer | string;
}

/** The function's source map for stacks it reads (`stack-map.ts`): JSON text `{url, sources, mappings}`, or '' for none. Asked once per environment. */
export type HostSourceMap = () => string;

export let hostLog: HostLog = () => undefined;
export let hostSourceMap: HostSourceMap = () => '';
export let hostWake: HostWake = () => undefined;
export let hostSignal: HostSignal = () => undefined;
export let hostCryptoCall: HostCrypto = () => 'the runtime is not set up';
export let hostHashOffThread: HostHashReference | undefined;
export let referenceApplySyncPromise: HostHashReference['applySyncPromise'] | undefined;
let bound = false;

/** Keeps the host's callbacks; the first call wins, so nothing can swap them later. Returns whether it bound them. */
export function bindHost(log: HostLog, wake: HostWake, signal: HostSignal, crypto: HostCrypto, hash: HostHashReference, sourceMap: HostSourceMap): boolean {
  if (bound) return false;
  bound = true;
  hostSourceMap = sourceMap;
  hostLog = log;
  hostWake = wake;
  hostSignal = signal;
  hostCryptoCall = crypto;
  hostHashOffThread = hash;
  referenceApplySyncPromise = hash.applySyncPromise;
  return true;
}
