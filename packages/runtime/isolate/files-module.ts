// The `stratus:files` module, what the bundler's `fs` shim imports: the package's files and /tmp's size. The host
// (src/package-files.ts) calls `bind` once, before the function's code runs; its arguments are copies (the index,
// the limit) and `ExternalCopy` handles, whose only powers are copying their own bytes into this isolate and
// dropping the handle: nothing reaches the host. A second `bind` does nothing.

interface PackageFileEntry {
  readonly path: string;
  readonly size: number;
}

/** What isolated-vm gives this isolate for an `ExternalCopy` the host passed in. */
interface CopyHandle {
  copy(): ArrayBuffer;
}

let index: readonly PackageFileEntry[] = [];
let copies: readonly CopyHandle[] = [];
let limit = 0;
let bound = false;

export function bind(boundIndex: readonly PackageFileEntry[], boundCopies: readonly CopyHandle[], boundLimit: number): void {
  if (bound) return;
  bound = true;
  index = boundIndex;
  copies = boundCopies;
  limit = boundLimit;
}

/** Each file's path (relative to /var/task) and size, by index; a fresh array each time. */
export function files(): PackageFileEntry[] {
  return index.map((file) => ({ path: file.path, size: file.size }));
}

/** A fresh copy of file `i`'s bytes. */
export function read(i: number): ArrayBuffer {
  const copy = copies[i];
  if (copy === undefined) throw new RangeError(`no package file ${i}`);
  return copy.copy();
}

/** What /tmp may hold, in bytes. */
export function tmpLimitBytes(): number {
  return limit;
}
