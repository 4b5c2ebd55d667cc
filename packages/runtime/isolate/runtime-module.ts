// The `stratus:runtime` module: what the init wrapper and the host module import. The host calls `bind` once
// with the bootstrap's entry points; the functions are kept in this module's scope and called without a
// receiver. Built as its own ES module (the user's module may not import it: the resolver refuses).

interface RuntimeEntryPoints {
  readonly ready: (namespace: unknown) => void;
  readonly hostDigest: (algorithm: unknown, data: unknown) => Uint8Array;
  readonly hostHmac: (algorithm: unknown, key: unknown, data: unknown) => Uint8Array;
  readonly hostRandomFill: <T>(view: T) => T;
  readonly httpExchange: (request: unknown, body: unknown) => unknown;
  readonly hostCryptoOp: (op: unknown, options: unknown, buffers: unknown) => Uint8Array;
}

let readyFn: RuntimeEntryPoints['ready'] | undefined;
let digestFn: RuntimeEntryPoints['hostDigest'] | undefined;
let hmacFn: RuntimeEntryPoints['hostHmac'] | undefined;
let randomFillFn: RuntimeEntryPoints['hostRandomFill'] | undefined;
let httpExchangeFn: RuntimeEntryPoints['httpExchange'] | undefined;
let cryptoOpFn: RuntimeEntryPoints['hostCryptoOp'] | undefined;

export function bind(runtime: RuntimeEntryPoints): void {
  if (readyFn !== undefined) return;
  readyFn = runtime.ready;
  digestFn = runtime.hostDigest;
  hmacFn = runtime.hostHmac;
  randomFillFn = runtime.hostRandomFill;
  httpExchangeFn = runtime.httpExchange;
  cryptoOpFn = runtime.hostCryptoOp;
}

export function ready(namespace: unknown): void {
  (readyFn as RuntimeEntryPoints['ready'])(namespace);
}

export function hostDigest(algorithm: unknown, data: unknown): Uint8Array {
  return (digestFn as RuntimeEntryPoints['hostDigest'])(algorithm, data);
}

export function hostHmac(algorithm: unknown, key: unknown, data: unknown): Uint8Array {
  return (hmacFn as RuntimeEntryPoints['hostHmac'])(algorithm, key, data);
}

export function hostRandomFill<T>(view: T): T {
  return (randomFillFn as RuntimeEntryPoints['hostRandomFill'])(view);
}

export function httpExchange(request: unknown, body: unknown): unknown {
  return (httpExchangeFn as RuntimeEntryPoints['httpExchange'])(request, body);
}

export function hostCryptoOp(op: unknown, options: unknown, buffers: unknown): Uint8Array {
  return (cryptoOpFn as RuntimeEntryPoints['hostCryptoOp'])(op, options, buffers);
}
