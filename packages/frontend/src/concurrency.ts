import { StratusError } from '@stratus/errors';
import { LIMITS, type StoredFunction } from '@stratus/contracts';

export interface ConcurrencyGovernorOptions {
  /** Concurrent executions across the account. Default 1000 (Lambda's default quota). */
  readonly accountLimit?: number;
  /** Sum of every function's reserved concurrency, kept current by the function catalog. */
  readonly reservedTotal: () => number;
  /**
   * This frontend's place among the live frontends (from their leases in
   * etcd): `count` of them, this one at `index` in id order. Each admits its
   * slice of every limit, and the slices add up to the limit exactly.
   */
  readonly frontendSlot: () => { readonly index: number; readonly count: number };
  /** The retry-after hint sent with a throttle. Default 100 ms. */
  readonly retryAfterMs?: number;
}

export type ThrottleReason = 'ConcurrentInvocationLimitExceeded' | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/**
 * Admits invocations against the account limit and each function's
 * reserved concurrency, or refuses them at once with THROTTLED; nothing is
 * queued. A function with a reservation is capped at it and never competes
 * for the rest; every other function shares what is unreserved.
 *
 * Several frontends enforce the limits together by each admitting a slice:
 * floor(limit / frontends), plus one for the first (limit mod frontends) of
 * them in id order, so the slices add up to the limit exactly (a
 * reservation of 1 is admitted by one frontend only). That keeps the
 * cluster-wide total within the limit without a shared counter on the
 * invocation path, at the cost of throttling early when load is uneven
 * across frontends.
 */
export class ConcurrencyGovernor {
  readonly accountLimit: number;
  readonly #reservedTotal: () => number;
  readonly #frontendSlot: () => { readonly index: number; readonly count: number };
  readonly #retryAfterMs: number;
  readonly #inFlightByFunction = new Map<string, number>();
  #unreservedInFlight = 0;

  constructor(options: ConcurrencyGovernorOptions) {
    this.accountLimit = options.accountLimit ?? LIMITS.accountConcurrencyDefault;
    if (!Number.isInteger(this.accountLimit) || this.accountLimit < LIMITS.unreservedConcurrencyMin) {
      throw new StratusError('INVALID_ARGUMENT', `accountLimit must be a whole number of at least ${LIMITS.unreservedConcurrencyMin}`);
    }
    this.#reservedTotal = options.reservedTotal;
    this.#frontendSlot = options.frontendSlot;
    this.#retryAfterMs = options.retryAfterMs ?? 100;
  }

  /** What the account has not reserved. */
  get unreserved(): number {
    return Math.max(0, this.accountLimit - this.#reservedTotal());
  }

  /** Invocations this frontend has admitted and not yet finished. */
  get inFlight(): number {
    let total = 0;
    for (const value of this.#inFlightByFunction.values()) total += value;
    return total;
  }

  /** Admits one invocation, or throws THROTTLED. Call the returned function exactly once when it ends. */
  admit(fn: Pick<StoredFunction, 'name' | 'reservedConcurrency'>): () => void {
    const reserved = fn.reservedConcurrency;
    const running = this.#inFlightByFunction.get(fn.name) ?? 0;
    if (reserved !== undefined) {
      if (running >= this.#share(reserved)) {
        throw this.#throttle(
          'ReservedFunctionConcurrentInvocationLimitExceeded',
          reserved === 0
            ? `Rate Exceeded. ${fn.name} has reserved concurrency 0, which stops all its invocations`
            : `Rate Exceeded. ${fn.name} is at its reserved concurrency of ${reserved}`,
        );
      }
    } else {
      const unreserved = this.unreserved;
      if (this.#unreservedInFlight >= this.#share(unreserved)) {
        throw this.#throttle('ConcurrentInvocationLimitExceeded', `Rate Exceeded. The account is at its unreserved concurrency of ${unreserved}`);
      }
    }
    const drawsOnUnreserved = reserved === undefined;
    this.#inFlightByFunction.set(fn.name, running + 1);
    if (drawsOnUnreserved) this.#unreservedInFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlightByFunction.get(fn.name) ?? 1) - 1;
      if (left > 0) this.#inFlightByFunction.set(fn.name, left);
      else this.#inFlightByFunction.delete(fn.name);
      if (drawsOnUnreserved) this.#unreservedInFlight -= 1;
    };
  }

  /** Refuses a reservation that would leave less than the minimum unreserved, naming the numbers. */
  checkReservation(reserved: number, reservedByOthers: number): void {
    const maximum = this.accountLimit - LIMITS.unreservedConcurrencyMin - reservedByOthers;
    if (!Number.isInteger(reserved) || reserved < 0) {
      throw new StratusError('INVALID_ARGUMENT', 'reservedConcurrentExecutions must be a whole number of at least 0');
    }
    if (reserved > maximum) {
      throw new StratusError(
        'INVALID_ARGUMENT',
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${LIMITS.unreservedConcurrencyMin}]: at most ${Math.max(0, maximum)} can be reserved (limit ${this.accountLimit}, reserved by other functions ${reservedByOthers})`,
      );
    }
  }

  #share(limit: number): number {
    const { index, count } = this.#frontendSlot();
    const frontends = Math.max(1, count);
    return Math.floor(limit / frontends) + (index < limit % frontends ? 1 : 0);
  }

  #throttle(reason: ThrottleReason, message: string): StratusError {
    return new StratusError('THROTTLED', message, { details: { reason, retryAfterMs: String(this.#retryAfterMs) } });
  }
}
