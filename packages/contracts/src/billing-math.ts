/**
 * Lambda's billing arithmetic, in one place: the runtime bills each
 * invocation's duration, the billing aggregator turns billed ms into
 * GB-seconds and cost. Both sides must agree to the digit, so neither
 * computes it on its own.
 */

/**
 * Billed duration: the measured duration rounded up to the next whole
 * millisecond, at least 1 ms. `ceil` on the measured float means 12.000000001 ms
 * bills 13 ms, which is also what Lambda does.
 */
export function billedMsFor(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Compute charged for one invocation: billed ms × configured memory MB / 1024 / 1000 (GB-seconds, 1 GB = 1024 MB). */
export function gbSecondsFor(billedMs: number, memoryMb: number): number {
  return (billedMs * memoryMb) / 1024 / 1000;
}

/** What one request and one GB-second cost. */
export interface PriceTable {
  /** Default 0.20 (Lambda's x86 price). */
  readonly perMillionRequestsUsd: number;
  /** Default 0.0000166667 (Lambda's x86 price). */
  readonly perGbSecondUsd: number;
}

/** Lambda's x86 prices: $0.20 per million requests, $0.0000166667 per GB-second. */
export const DEFAULT_PRICES: PriceTable = { perMillionRequestsUsd: 0.2, perGbSecondUsd: 0.0000166667 };

/** Cost of a number of requests and the GB-seconds they used, at the given prices. */
export function costUsd(requests: number, gbSeconds: number, prices: PriceTable): number {
  return (requests / 1e6) * prices.perMillionRequestsUsd + gbSeconds * prices.perGbSecondUsd;
}
