import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type CodeStore, sha256Hex } from '@stratus/registry';
import { decodeCodePackage } from '@stratus/contracts';
import { BundleSourceMap, PackageFiles } from '@stratus/runtime';

/** A function's code as environments take it: the bundle, and its package files held once outside the isolates. */
export interface LoadedCode {
  readonly script: string;
  /** Undefined when the package carries no files. */
  readonly files: PackageFiles | undefined;
  /** The bundle's source map, parsed when a trace first needs it; undefined for code stored without one. */
  readonly sourceMap: BundleSourceMap | undefined;
  /** Bytes held in memory for it. */
  readonly bytes: number;
}

export interface CodeCacheOptions {
  readonly codeStore: CodeStore;
  readonly log: Logger;
  /** Where bundles are kept across restarts; none means memory only. */
  readonly dir?: string;
  /** Bundles kept in memory, least recently used dropped first. Default 256. */
  readonly maxEntries?: number;
  /**
   * Bytes of code kept in memory (package files can be tens of MB each),
   * least recently used dropped first; environments keep what they use.
   * Default 512 MiB.
   */
  readonly maxBytes?: number;
}

/**
 * Code by content hash: memory, then the node's disk, then the object store.
 * A hash names its content forever, so a cached bundle never goes stale;
 * concurrent cold starts of one function share a single fetch.
 */
export class CodeCache {
  readonly #codeStore: CodeStore;
  readonly #log: Logger;
  readonly #dir: string | undefined;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #memory = new Map<string, LoadedCode>();
  readonly #fetching = new Map<string, Promise<LoadedCode>>();
  #memoryBytes = 0;

  constructor(options: CodeCacheOptions) {
    this.#codeStore = options.codeStore;
    this.#log = options.log;
    this.#dir = options.dir;
    this.#maxEntries = options.maxEntries ?? 256;
    this.#maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  }

  get(sha256: string): Promise<LoadedCode> {
    const cached = this.#memory.get(sha256);
    if (cached !== undefined) {
      this.#memory.delete(sha256);
      this.#memory.set(sha256, cached);
      return Promise.resolve(cached);
    }
    let fetching = this.#fetching.get(sha256);
    if (!fetching) {
      fetching = this.#load(sha256).finally(() => this.#fetching.delete(sha256));
      this.#fetching.set(sha256, fetching);
    }
    return fetching;
  }

  async #load(sha256: string): Promise<LoadedCode> {
    const fromDisk = await this.#readDisk(sha256);
    const bytes = fromDisk ?? (await this.#codeStore.getBytes(sha256));
    if (fromDisk === undefined) await this.#writeDisk(sha256, bytes);
    const code = decodeCodePackage(bytes);
    const loaded: LoadedCode = {
      script: code.script,
      files: code.files.length === 0 ? undefined : PackageFiles.from(code.files),
      sourceMap: BundleSourceMap.from(code.sourceMap),
      bytes: bytes.byteLength,
    };
    this.#memory.set(sha256, loaded);
    this.#memoryBytes += loaded.bytes;
    while (this.#memory.size > this.#maxEntries || (this.#memoryBytes > this.#maxBytes && this.#memory.size > 1)) {
      const oldest = this.#memory.entries().next().value;
      if (oldest === undefined) break;
      this.#memory.delete(oldest[0]);
      this.#memoryBytes -= oldest[1].bytes;
    }
    return loaded;
  }

  async #readDisk(sha256: string): Promise<Uint8Array | undefined> {
    if (!this.#dir) return undefined;
    try {
      const bytes = await readFile(join(this.#dir, `${sha256}.js`));
      if (sha256Hex(bytes) === sha256) return bytes;
      this.#log.warn({ sha256 }, 'cached bundle on disk is corrupt; fetching it again');
    } catch {
      // Not cached on disk yet.
    }
    return undefined;
  }

  async #writeDisk(sha256: string, script: Uint8Array): Promise<void> {
    if (!this.#dir) return;
    try {
      await mkdir(this.#dir, { recursive: true });
      const temp = join(this.#dir, `${sha256}.${process.pid}.tmp`);
      await writeFile(temp, script);
      await rename(temp, join(this.#dir, `${sha256}.js`));
    } catch (err) {
      this.#log.warn({ err, sha256 }, 'could not cache a bundle on disk');
    }
  }
}
