import { StratusError } from '@stratus/errors';
import { LATEST_VERSION, LIMITS, parseQualifier, type StoredFunction } from '@stratus/contracts';
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

  /**
   * Provisioned concurrency on $LATEST (empty qualifier, as Stratus always
   * allowed), a published version, or an alias (Lambda's rule: not an alias
   * of $LATEST). An alias with routing keeps its versions warm by weight.
   */
  async putProvisioned(functionName: string, qualifier: string, requested: number): Promise<ProvisionedConcurrencyConfigMessage> {
    const kind = parseQualifier(qualifier).kind;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new StratusError('INVALID_ARGUMENT', 'provisionedConcurrentExecutions must be a whole number of at least 1');
    }
    const { governor, catalog } = this.#options;
    const check = (next: Pick<StoredFunction, 'name' | 'reservedConcurrency'>, reservedByOthers: number): void => {
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
    };
    if (kind === 'latest') {
      const { fn } = await catalog.setConcurrency(functionName, 'provisionedConcurrency', requested, check);
      return this.#provisioned(fn.name, fn.provisionedConcurrency, [LATEST_VERSION]);
    }
    const { fn } = await catalog.get(functionName);
    check(fn, catalog.reservations.total - (catalog.reservations.get(fn.name) ?? 0));
    if (kind === 'alias') {
      const target = await catalog.versions.provisioned(fn.name, qualifier);
      if (target.versions.includes(LATEST_VERSION)) {
        throw new StratusError('INVALID_ARGUMENT', `Provisioned Concurrency Configs cannot be applied to unpublished function versions: alias ${qualifier} points at ${LATEST_VERSION}`);
      }
    }
    await catalog.versions.setProvisioned(fn.name, qualifier, requested);
    return this.getProvisioned(fn.name, qualifier);
  }

  async getProvisioned(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyConfigMessage> {
    const { catalog } = this.#options;
    if (parseQualifier(qualifier).kind === 'latest') {
      const { fn } = await catalog.get(functionName);
      return this.#provisioned(fn.name, fn.provisionedConcurrency, [LATEST_VERSION]);
    }
    const { fn } = await catalog.get(functionName);
    const { requested, versions } = await catalog.versions.provisioned(fn.name, qualifier);
    return this.#provisioned(fn.name, requested, versions);
  }

  async deleteProvisioned(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyConfigMessage> {
    const { catalog } = this.#options;
    if (parseQualifier(qualifier).kind === 'latest') {
      const { fn } = await catalog.setConcurrency(functionName, 'provisionedConcurrency', undefined, () => {});
      return this.#provisioned(fn.name, undefined, [LATEST_VERSION]);
    }
    const { fn } = await catalog.get(functionName);
    await catalog.versions.setProvisioned(fn.name, qualifier, undefined);
    return this.#provisioned(fn.name, undefined, []);
  }

  /** Allocated and available: environments of `versions` the nodes keep provisioned, from their heartbeats. */
  #provisioned(functionName: string, requested: number | undefined, versions: readonly string[]): ProvisionedConcurrencyConfigMessage {
    let allocated = 0;
    let available = 0;
    for (const node of this.#options.view.nodes()) {
      for (const pool of node.heartbeat?.functions ?? []) {
        if (pool.functionName !== functionName || !versions.includes(pool.version)) continue;
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

