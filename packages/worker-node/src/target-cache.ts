import type { InvocationTarget } from '@stratus/contracts';

/** Targets kept by default: thousands of functions' configurations, each at most a few KB. */
export const TARGET_CACHE_DEFAULT_MAX_ENTRIES = 4096;

/**
 * The invocation targets this node was sent, by digest, as the code cache
 * keeps code by hash: a call names its target by digest alone, and only a
 * miss costs the frontend a second request with the target attached (which
 * `invocationTargetFromWire` checks against the digest before it is kept).
 * Bounded: the oldest entry goes first.
 */
export class TargetCache {
  readonly #maxEntries: number;
  readonly #targets = new Map<string, InvocationTarget>();

  constructor(maxEntries = TARGET_CACHE_DEFAULT_MAX_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#targets.size;
  }

  get(digest: string): InvocationTarget | undefined {
    return this.#targets.get(digest);
  }

  add(target: InvocationTarget): void {
    if (this.#targets.has(target.digest)) return;
    if (this.#targets.size >= this.#maxEntries) {
      const oldest = this.#targets.keys().next();
      if (oldest.done !== true) this.#targets.delete(oldest.value);
    }
    this.#targets.set(target.digest, target);
  }
}
