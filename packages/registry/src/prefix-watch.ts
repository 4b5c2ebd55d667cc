import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from 'pino';
import { withEtcdAccess } from './etcd-access-error.js';

const TOMBSTONE_TTL_MS = 60_000;
const TOMBSTONES_SWEEP_AT = 1000;
const RESYNC_FIRST_DELAY_MS = 250;
const RESYNC_MAX_DELAY_MS = 10_000;

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
 * A watch etcd cancels (its auth token forgotten by a restarted etcd, a
 * compacted revision) is not resumed by etcd3: the mirror reads the prefix
 * again and watches anew, with backoff.
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
  #resyncTimer: NodeJS.Timeout | undefined;
  #resyncDelayMs = RESYNC_FIRST_DELAY_MS;

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
    clearTimeout(this.#resyncTimer);
    await this.#watcher?.cancel();
  }

  async #load(): Promise<void> {
    const { etcd, prefix } = this.#options;
    // A unary call: etcd3 logs in again here when its token was refused, which its watch stream never does.
    const response = await withEtcdAccess('read', prefix, () => etcd.getAll().prefix(prefix).exec());
    const revision = Number(response.header.revision);
    const present = new Set<string>();
    for (const kv of response.kvs) present.add(this.#apply(kv, 'put'));
    // Only after a resync: keys deleted while no watch was running.
    for (const id of [...this.#entries.keys()]) if (!present.has(id)) this.#set(id, undefined, revision);
    const watcher = await etcd
      .watch()
      .prefix(prefix)
      .startRevision(String(revision + 1))
      .create();
    watcher.on('put', (kv) => {
      this.#resyncDelayMs = RESYNC_FIRST_DELAY_MS;
      this.#apply(kv, 'put');
    });
    watcher.on('delete', (kv) => this.#apply(kv, 'delete'));
    // etcd3 emits 'error' only for a watch etcd cancelled; stream failures are 'disconnected' and resume on their own.
    watcher.on('error', (err) => {
      if (this.#watcher !== watcher || this.#closed) return;
      this.#options.log.warn({ err, prefix }, 'etcd cancelled the watch; reading the prefix again');
      this.#watcher = undefined;
      this.#scheduleResync();
    });
    this.#watcher = watcher;
    if (this.#closed) await watcher.cancel();
  }

  #scheduleResync(): void {
    if (this.#closed || this.#resyncTimer !== undefined) return;
    const delayMs = this.#resyncDelayMs;
    this.#resyncDelayMs = Math.min(delayMs * 2, RESYNC_MAX_DELAY_MS);
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = undefined;
      if (this.#closed) return;
      this.#load().catch((err: unknown) => {
        this.#options.log.warn({ err, prefix: this.#options.prefix }, 'reading the etcd prefix again failed; will retry');
        this.#scheduleResync();
      });
    }, delayMs);
  }

  /** Returns the id of the key. */
  #apply(kv: IKeyValue, kind: 'put' | 'delete'): string {
    const id = kv.key.toString('utf8').slice(this.#options.prefix.length);
    const revision = Number(kv.mod_revision);
    if (kind === 'delete') {
      this.#set(id, undefined, revision);
      return id;
    }
    let value: T;
    try {
      value = this.#options.decode(kv.value);
    } catch (err) {
      this.#options.log.error({ err, key: kv.key.toString('utf8') }, 'ignoring an etcd value that does not decode');
      return id;
    }
    this.#set(id, value, revision);
    return id;
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
