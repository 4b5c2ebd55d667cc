/** Bounds of {@link SentReplies}. */
export interface SentRepliesOptions {
  /** Most bytes of replies kept (their encoded size plus a per-entry estimate); the oldest go first. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Most entries kept; the oldest go first. Default 100 000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/** One call the node answered, or said it never received. */
export interface SentReply {
  /** The subject the reply went to: it names the connection that made the call. */
  readonly replySubject: string;
  /** The encoded reply as sent (the same bytes, not a copy); undefined when the node told a frontend it never received the call. */
  readonly data: Uint8Array | undefined;
}

interface Entry extends SentReply {
  readonly expiresAtMs: number;
  readonly bytes: number;
}

export const SENT_REPLIES_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const SENT_REPLIES_DEFAULT_MAX_ENTRIES = 100_000;
/** Map entry, strings and object headers: a rough count, so a flood of tiny replies is bounded by bytes too. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The replies a worker node sent recently, by request id, so a frontend that
 * lost one (its NATS server died with the reply in it) can be given it again.
 * Each is kept until it expires (the caller passes the time the frontend
 * stops waiting for it) or until the byte or entry bound pushes it out,
 * oldest first. Expired entries are dropped as new ones come and on `sweep`;
 * nothing runs on a timer. Holds the encoded bytes that were sent, never a copy.
 */
export class SentReplies {
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Insertion order is age order: eviction takes from the front. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: SentRepliesOptions = {}) {
    this.#maxBytes = options.maxBytes ?? SENT_REPLIES_DEFAULT_MAX_BYTES;
    this.#maxEntries = options.maxEntries ?? SENT_REPLIES_DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Keeps `data`, the reply sent to `replySubject`, until `expiresAtMs` (or the bounds push it out). */
  remember(requestId: string, replySubject: string, data: Uint8Array | undefined, expiresAtMs: number): void {
    this.#delete(requestId);
    const bytes = (data?.byteLength ?? 0) + requestId.length + replySubject.length + ENTRY_OVERHEAD_BYTES;
    // A reply larger than the whole budget would only push everything else out before going itself.
    if (bytes > this.#maxBytes) return;
    this.#entries.set(requestId, { replySubject, data, expiresAtMs, bytes });
    this.#bytes += bytes;
    this.#evict(this.#now());
  }

  get(requestId: string): SentReply | undefined {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= this.#now()) {
      this.#delete(requestId);
      return undefined;
    }
    return entry;
  }

  /** Drops what expired, from the oldest on, up to the first that has not. */
  sweep(): void {
    this.#evict(this.#now());
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #evict(nowMs: number): void {
    for (const [requestId, entry] of this.#entries) {
      const over = this.#bytes > this.#maxBytes || this.#entries.size > this.#maxEntries;
      if (!over && entry.expiresAtMs > nowMs) return;
      this.#delete(requestId);
    }
  }

  #delete(requestId: string): void {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return;
    this.#entries.delete(requestId);
    this.#bytes -= entry.bytes;
  }
}
