import { rendezvousScore } from '@stratus/contracts';

/**
 * Each function's rendezvous order of the known nodes (node id → rank, 0 the
 * function's home), kept until the set of nodes changes (`setVersion`), so
 * the common call hashes nothing and builds no key per node. Bounded: when
 * full, it starts over.
 */
export class RendezvousOrders {
  readonly #maxFunctions: number;
  readonly #orders = new Map<string, ReadonlyMap<string, number>>();
  #setVersion = -1;

  /** @param maxFunctions orders kept before the cache starts over. Default 16,384. */
  constructor(maxFunctions = 16_384) {
    this.#maxFunctions = maxFunctions;
  }

  /** The rank of each of `nodeIds` for the function; `nodeIds` must be the node set `setVersion` names. */
  order(functionKey: string, functionName: string, version: string, nodeIds: readonly string[], setVersion: number): ReadonlyMap<string, number> {
    if (setVersion !== this.#setVersion) {
      this.#orders.clear();
      this.#setVersion = setVersion;
    }
    let order = this.#orders.get(functionKey);
    if (order === undefined) {
      if (this.#orders.size >= this.#maxFunctions) this.#orders.clear();
      const scored = nodeIds.map((nodeId) => ({ nodeId, score: rendezvousScore(functionName, version, nodeId) }));
      scored.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : 0));
      order = new Map(scored.map((s, rank) => [s.nodeId, rank]));
      this.#orders.set(functionKey, order);
    }
    return order;
  }

  get size(): number {
    return this.#orders.size;
  }
}
