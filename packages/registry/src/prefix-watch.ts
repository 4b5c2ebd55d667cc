import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from 'pino';

const TOMBSTONE_TTL_MS = 60_000;
const TOMBSTONES_SWEEP_AT = 1000;

export interface PrefixMirrorOptions<T> {
  readonly etcd: Etcd3;
  readonly prefix: string;
  readonly decode: (value: Buffer) => T;
  readonly log: Logger;
  /** Called after every change, with the key (without prefix) that changed. */
  readonly onChange?: (id: string, value: T | undefined) => void;
}

/**
 * An in-memory mirror of every key under an etcd prefix: a full read, then a
 * watch from the revision after it, so no change between the two is missed.
 * etcd3's watcher reconnects on its own and resumes from the last revision it saw.
 */
export class PrefixMirror<T> {
  readonly #options: PrefixMirrorOptions<T>;
  readonly #entries = new Map<string, T>();
  /** The etcd revision each key was last seen at, deleted keys included, so an older event never undoes a newer one. */
  readonly #revisions = new Map<string, number>();
  /** When each deleted key was deleted, so its revision can be forgotten later. */
  readonly #tombstones = new Map<string, number>();
  #lastSweepMs = 0;
  #watcher: Watcher | undefined;
  #closed = false;

  private constructor(options: PrefixMirrorOptions<T>) {
    this.#options = options;
  }

  static async start<T>(options: PrefixMirrorOptions<T>): Promise<PrefixMirror<T>> {
    const mirror = new PrefixMirror(options);
    await mirror.#load();
    return mirror;
  }

  get(id: string): T | undefined {
    return this.#entries.get(id);
  }

  /** Ids (keys without the prefix) of every entry. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  values(): IterableIterator<T> {
    return this.#entries.values();
  }

  entries(): IterableIterator<[string, T]> {
    return this.#entries.entries();
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records a change this process just made, before the watch reports it,
   * so a caller reads its own writes. `value` undefined means deleted.
   */
  observe(id: string, value: T | undefined, revision: number): void {
    this.#set(id, value, revision);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#watcher?.cancel();
  }

  async #load(): Promise<void> {
    const { etcd, prefix } = this.#options;
    const response = await etcd.getAll().prefix(prefix).exec();
    for (const kv of response.kvs) this.#apply(kv, 'put');
    const watcher = await etcd
      .watch()
      .prefix(prefix)
      .startRevision(String(Number(response.header.revision) + 1))
      .create();
    watcher.on('put', (kv) => this.#apply(kv, 'put'));
    watcher.on('delete', (kv) => this.#apply(kv, 'delete'));
    watcher.on('error', (err) => this.#options.log.warn({ err, prefix }, 'etcd watch error; it will reconnect'));
    this.#watcher = watcher;
    if (this.#closed) await watcher.cancel();
  }

  #apply(kv: IKeyValue, kind: 'put' | 'delete'): void {
    const id = kv.key.toString('utf8').slice(this.#options.prefix.length);
    const revision = Number(kv.mod_revision);
    if (kind === 'delete') {
      this.#set(id, undefined, revision);
      return;
    }
    let value: T;
    try {
      value = this.#options.decode(kv.value);
    } catch (err) {
      this.#options.log.error({ err, key: kv.key.toString('utf8') }, 'ignoring an etcd value that does not decode');
      return;
    }
    this.#set(id, value, revision);
  }

  #set(id: string, value: T | undefined, revision: number): void {
    if ((this.#revisions.get(id) ?? 0) > revision) return;
    this.#revisions.set(id, revision);
    if (value === undefined) {
      this.#entries.delete(id);
      this.#tombstones.set(id, Date.now());
      if (this.#tombstones.size > TOMBSTONES_SWEEP_AT && Date.now() - this.#lastSweepMs > TOMBSTONE_TTL_MS / 6) this.#sweepTombstones();
    } else {
      this.#entries.set(id, value);
      this.#tombstones.delete(id);
    }
    this.#options.onChange?.(id, value);
  }

  /**
   * A deleted key's revision only has to outlive the writes that raced with
   * its deletion (a local observe() arriving after the watch's delete); after
   * a minute it is dropped, so churning keys (node ids, deleted functions) do
   * not grow the mirror forever.
   */
  #sweepTombstones(): void {
    this.#lastSweepMs = Date.now();
    const cutoff = this.#lastSweepMs - TOMBSTONE_TTL_MS;
    for (const [id, deletedAtMs] of this.#tombstones) {
      if (deletedAtMs > cutoff) continue;
      this.#tombstones.delete(id);
      this.#revisions.delete(id);
    }
  }
}
