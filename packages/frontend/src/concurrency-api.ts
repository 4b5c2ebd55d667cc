import type { AccountConcurrencyMessage, FunctionConcurrencyMessage } from '@stratus/contracts';
import type { NodeView } from '@stratus/placement';
import type { FunctionCatalog } from './function-catalog.js';
import type { ConcurrencyGovernor } from './concurrency.js';

export interface ConcurrencyApiOptions {
  readonly catalog: FunctionCatalog;
  readonly governor: ConcurrencyGovernor;
  readonly view: NodeView;
  readonly frontendCount: () => number;
}

/** Lambda's concurrency API: reservations are stored with the function in etcd; use is read from the nodes' heartbeats. */
export class ConcurrencyApi {
  readonly #options: ConcurrencyApiOptions;

  constructor(options: ConcurrencyApiOptions) {
    this.#options = options;
  }

  async put(functionName: string, reserved: number): Promise<FunctionConcurrencyMessage> {
    const { catalog, governor } = this.#options;
    const { fn } = await catalog.setReservedConcurrency(functionName, reserved, (value, others) => governor.checkReservation(value, others));
    return this.#describe(fn.name, fn.reservedConcurrency);
  }

  async get(functionName: string): Promise<FunctionConcurrencyMessage> {
    const { fn } = await this.#options.catalog.get(functionName);
    return this.#describe(fn.name, fn.reservedConcurrency);
  }

  async delete(functionName: string): Promise<FunctionConcurrencyMessage> {
    const { fn } = await this.#options.catalog.setReservedConcurrency(functionName, undefined, () => {});
    return this.#describe(fn.name, undefined);
  }

  account(): AccountConcurrencyMessage {
    const { governor, catalog } = this.#options;
    const busy = this.#busyByFunction();
    const names = new Set([...catalog.reservations.keys(), ...busy.keys()]);
    let inFlight = 0;
    for (const count of busy.values()) inFlight += count;
    return {
      concurrentExecutionsLimit: governor.accountLimit,
      unreservedConcurrentExecutions: governor.unreserved,
      inFlight,
      frontends: this.#options.frontendCount(),
      functions: [...names].sort().map((name) => this.#describe(name, catalog.reservations.get(name), busy)),
    };
  }

  #describe(functionName: string, reserved: number | undefined, busy = this.#busyByFunction()): FunctionConcurrencyMessage {
    return {
      functionName,
      hasReservation: reserved !== undefined,
      reservedConcurrentExecutions: reserved ?? 0,
      inFlight: busy.get(functionName) ?? 0,
    };
  }

  #busyByFunction(): Map<string, number> {
    const busy = new Map<string, number>();
    for (const node of this.#options.view.nodes()) {
      for (const fn of node.heartbeat?.functions ?? []) busy.set(fn.functionName, (busy.get(fn.functionName) ?? 0) + fn.busy);
    }
    return busy;
  }
}
