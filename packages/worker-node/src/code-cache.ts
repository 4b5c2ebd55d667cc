import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type CodeStore, sha256Hex } from '@stratus/registry';

export interface CodeCacheOptions {
  readonly codeStore: CodeStore;
  readonly log: Logger;
  /** Where bundles are kept across restarts; none means memory only. */
  readonly dir?: string;
  /** Bundles kept in memory, least recently used dropped first. Default 256. */
  readonly maxEntries?: number;
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
  readonly #memory = new Map<string, string>();
  readonly #fetching = new Map<string, Promise<string>>();

  constructor(options: CodeCacheOptions) {
    this.#codeStore = options.codeStore;
    this.#log = options.log;
    this.#dir = options.dir;
    this.#maxEntries = options.maxEntries ?? 256;
  }

  get(sha256: string): Promise<string> {
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

  async #load(sha256: string): Promise<string> {
    const fromDisk = await this.#readDisk(sha256);
    const script = fromDisk ?? (await this.#codeStore.get(sha256));
    if (fromDisk === undefined) await this.#writeDisk(sha256, script);
    this.#memory.set(sha256, script);
    while (this.#memory.size > this.#maxEntries) {
      const oldest = this.#memory.keys().next().value;
      if (oldest === undefined) break;
      this.#memory.delete(oldest);
    }
    return script;
  }

  async #readDisk(sha256: string): Promise<string | undefined> {
    if (!this.#dir) return undefined;
    try {
      const script = await readFile(join(this.#dir, `${sha256}.js`), 'utf8');
      if (sha256Hex(script) === sha256) return script;
      this.#log.warn({ sha256 }, 'cached bundle on disk is corrupt; fetching it again');
    } catch {
      // Not cached on disk yet.
    }
    return undefined;
  }

  async #writeDisk(sha256: string, script: string): Promise<void> {
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
