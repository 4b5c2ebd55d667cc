import ivm from 'isolated-vm';
import { LIMITS, type PackageFile } from '@stratus/contracts';
import { FILES_MODULE_SOURCE } from './generated/isolate-scripts.js';

/** The module the bundler's `fs` shim imports for the package's files and /tmp's size. */
export const FILES_SPECIFIER = 'stratus:files';

/**
 * A deployment package's files (those the bundler carried, readable under
 * /var/task) as a node keeps them: one copy outside every isolate, shared by
 * all the function's environments, each file copied into an isolate only
 * when the function first reads it there.
 */
export class PackageFiles {
  readonly #index: readonly { readonly path: string; readonly size: number }[];
  readonly #copies: readonly ivm.ExternalCopy<ArrayBuffer>[];
  /** Bytes held outside the isolates. */
  readonly totalBytes: number;

  private constructor(files: readonly PackageFile[]) {
    this.#index = files.map((file) => ({ path: file.path, size: file.data.byteLength }));
    this.#copies = files.map((file) => new ivm.ExternalCopy(copyOf(file.data)));
    this.totalBytes = this.#index.reduce((sum, file) => sum + file.size, 0);
  }

  /**
   * The path of the package.json nearest to folder `dir` (relative to the package, '' for its root) when it says
   * "type": "module", as Node finds the one that makes a `.js` file there an ES module; undefined when the nearest
   * one says otherwise, cannot be read or is over 1 MiB, or there is none.
   */
  typeModulePackageJson(dir: string): string | undefined {
    const parts = dir === '' ? [] : dir.split('/');
    for (let depth = parts.length; depth >= 0; depth--) {
      const prefix = parts.slice(0, depth).join('/');
      const path = prefix === '' ? 'package.json' : `${prefix}/package.json`;
      const at = this.#index.findIndex((file) => file.path === path);
      const entry = this.#index[at];
      const copy = this.#copies[at];
      if (entry === undefined || copy === undefined) continue;
      if (entry.size > 1024 * 1024) return undefined;
      try {
        const pkg: unknown = JSON.parse(Buffer.from(copy.copy()).toString('utf8'));
        return typeof pkg === 'object' && pkg !== null && (pkg as Record<string, unknown>)['type'] === 'module' ? path : undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  static from(files: readonly PackageFile[]): PackageFiles {
    return new PackageFiles(files);
  }

  /**
   * Compiles and binds the `stratus:files` module in an isolate's context,
   * for a function whose bundle imports it (it uses `fs`). `files` undefined:
   * an empty /var/task.
   */
  static async link(
    isolate: ivm.Isolate,
    context: ivm.Context,
    files: PackageFiles | undefined,
    limits: { readonly ephemeralStorageMb: number; readonly memoryMb: number },
  ): Promise<ivm.Module> {
    const module = await isolate.compileModule(FILES_MODULE_SOURCE, { filename: 'stratus:files' });
    await module.instantiate(context, (specifier) => {
      throw new Error(`Cannot find module '${specifier}'`);
    });
    await module.evaluate();
    const bind = (await module.namespace.get('bind', { reference: true })) as ivm.Reference<(...args: unknown[]) => void>;
    try {
      await bind.apply(
        undefined,
        [
          new ivm.ExternalCopy(files === undefined ? [] : files.#index).copyInto(),
          new ivm.ExternalCopy(files === undefined ? [] : files.#copies).copyInto(),
          tmpLimitBytes(limits.ephemeralStorageMb, limits.memoryMb),
        ],
        { result: { promise: false } },
      );
    } finally {
      bind.release();
    }
    return module;
  }
}

/**
 * What /tmp may hold: the ephemeral storage, and no more than the memory size
 * leaves beside the heap (a quarter of it, at most 32 MB, as for WebAssembly
 * memories). /tmp lives in the isolate's memory, so past that a write would
 * end the invocation as Runtime.OutOfMemory; this way it fails with ENOSPC.
 */
export function tmpLimitBytes(ephemeralStorageMb: number, memoryMb: number): number {
  const MB = 1024 * 1024;
  const heapRoom = Math.min(memoryMb / 4, 32);
  return Math.floor(Math.min(Math.min(ephemeralStorageMb, LIMITS.ephemeralStorageMaxMb), memoryMb - heapRoom) * MB);
}

/**
 * An ArrayBuffer holding exactly the file (a file's data is often a view into the whole stored package, or into a
 * NATS read buffer). Not `data.slice()`: on a Node Buffer that is another view of the same memory, whose `buffer`
 * is the whole pool or read buffer.
 */
function copyOf(data: Uint8Array): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return data.buffer;
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy.buffer;
}
