import { rendezvousScore } from '@stratus/contracts';

/**
 * Rendezvous scores, memoised: a score is a SHA-1 of (function, version,
 * node), computed for every node on every call otherwise, and it never
 * changes. Bounded: when full, it starts over (scores are cheap to recompute,
 * and a frontend's working set of functions × nodes is small).
 */
export class RendezvousScores {
  readonly #maxEntries: number;
  readonly #scores = new Map<string, string>();

  /** @param maxEntries scores kept before the cache starts over. Default 65,536. */
  constructor(maxEntries = 65_536) {
    this.#maxEntries = maxEntries;
  }

  score(functionName: string, version: string, nodeId: string): string {
    const key = `${functionName}\0${version}\0${nodeId}`;
    let score = this.#scores.get(key);
    if (score === undefined) {
      if (this.#scores.size >= this.#maxEntries) this.#scores.clear();
      score = rendezvousScore(functionName, version, nodeId);
      this.#scores.set(key, score);
    }
    return score;
  }

  get size(): number {
    return this.#scores.size;
  }
}
