// The modules the host links into the isolate by name (src/isolate-shell.ts, src/execution-environment.ts).
declare module 'stratus:runtime' {
  export function ready(namespace: unknown): void;
  export function hostDigest(algorithm: unknown, data: unknown): Uint8Array;
  export function hostHmac(algorithm: unknown, key: unknown, data: unknown): Uint8Array;
  export function hostRandomFill<T>(view: T): T;
  export function httpExchange(request: unknown, body: unknown): unknown;
  export function hostCryptoOp(op: unknown, options: unknown, buffers: unknown): Uint8Array;
}

declare module 'stratus:function' {
  const namespace: Record<string, unknown>;
  export = namespace;
}
