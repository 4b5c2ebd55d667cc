import { StratusError } from '@stratus/errors';
import { LATEST_VERSION, LIMITS } from '@stratus/contracts';
import type { AccountConcurrencyMessage, FunctionConcurrencyMessage, ProvisionedConcurrencyConfigMessage } from '@stratus/contracts/grpc';
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
    const { fn } = await catalog.setConcurrency(functionName, 'reservedConcurrency', reserved, (next, others) => {
      governor.checkReservation(reserved, others);
      if (next.provisionedConcurrency !== undefined && next.provisionedConcurrency > reserved) {
        throw new StratusError(
          'INVALID_ARGUMENT',
          `ReservedConcurrentExecutions (${reserved}) must be at least the function's provisioned concurrency (${next.provisionedConcurrency})`,
        );
      }
    });
    return this.#describe(fn.name, fn.reservedConcurrency);
  }

  async get(functionName: string): Promise<FunctionConcurrencyMessage> {
    const { fn } = await this.#options.catalog.get(functionName);
    return this.#describe(fn.name, fn.reservedConcurrency);
  }

  async delete(functionName: string): Promise<FunctionConcurrencyMessage> {
    const { fn } = await this.#options.catalog.setConcurrency(functionName, 'reservedConcurrency', undefined, () => {});
    return this.#describe(fn.name, undefined);
  }

  async putProvisioned(functionName: string, qualifier: string, requested: number): Promise<ProvisionedConcurrencyConfigMessage> {
    checkQualifier(qualifier);
    if (!Number.isInteger(requested) || requested < 1) {
      throw new StratusError('INVALID_ARGUMENT', 'provisionedConcurrentExecutions must be a whole number of at least 1');
    }
    const { governor } = this.#options;
    const { fn } = await this.#options.catalog.setConcurrency(functionName, 'provisionedConcurrency', requested, (next, reservedByOthers) => {
      if (next.reservedConcurrency !== undefined) {
        if (requested > next.reservedConcurrency) {
          throw new StratusError(
            'INVALID_ARGUMENT',
            `Requested Provisioned Concurrency (${requested}) should not be greater than the reservedConcurrentExecution (${next.reservedConcurrency}) for function ${next.name}`,
          );
        }
        return;
      }
      const maximum = governor.accountLimit - LIMITS.unreservedConcurrencyMin - reservedByOthers;
      if (requested > maximum) {
        throw new StratusError('INVALID_ARGUMENT', `Requested Provisioned Concurrency (${requested}) exceeds what the account can provision: at most ${Math.max(0, maximum)}`);
      }
    });
    return this.#provisioned(fn.name, fn.provisionedConcurrency);
  }

  async getProvisioned(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyConfigMessage> {
    checkQualifier(qualifier);
    const { fn } = await this.#options.catalog.get(functionName);
    return this.#provisioned(fn.name, fn.provisionedConcurrency);
  }

  async deleteProvisioned(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyConfigMessage> {
    checkQualifier(qualifier);
    const { fn } = await this.#options.catalog.setConcurrency(functionName, 'provisionedConcurrency', undefined, () => {});
    return this.#provisioned(fn.name, undefined);
  }

  #provisioned(functionName: string, requested: number | undefined): ProvisionedConcurrencyConfigMessage {
    let allocated = 0;
    let available = 0;
    for (const node of this.#options.view.nodes()) {
      for (const pool of node.heartbeat?.functions ?? []) {
        if (pool.functionName !== functionName) continue;
        allocated += pool.provisioned;
        available += Math.min(pool.provisioned, pool.idle);
      }
    }
    const wanted = requested ?? 0;
    return {
      functionName,
      requestedProvisionedConcurrentExecutions: wanted,
      allocatedProvisionedConcurrentExecutions: Math.min(allocated, wanted),
      availableProvisionedConcurrentExecutions: Math.min(available, wanted),
      status: requested === undefined ? 'NONE' : allocated >= wanted ? 'READY' : 'IN_PROGRESS',
    };
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

/** Lambda provisions versions and aliases; Stratus has only $LATEST so far. */
function checkQualifier(qualifier: string): void {
  if (qualifier !== '' && qualifier !== LATEST_VERSION) {
    throw new StratusError('FUNCTION_NOT_FOUND', `Function version or alias not found: ${qualifier} (only ${LATEST_VERSION} exists)`);
  }
}
