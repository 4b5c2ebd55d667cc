/** The runtime's module for the package's files (packages/runtime/src/package-files.ts), linked into the isolate. */
declare module 'stratus:files' {
  /** Each carried file's path (relative to /var/task) and size in bytes, by index. */
  export function files(): readonly { readonly path: string; readonly size: number }[];
  /** A fresh copy of file `index`'s bytes. */
  export function read(index: number): ArrayBuffer;
  /** The function's ephemeral storage, in bytes: what /tmp may hold. */
  export function tmpLimitBytes(): number;
}
