/** What one request and one GB-second cost. */
export interface PriceTable {
  /** Default 0.20 (Lambda's x86 price). */
  readonly perMillionRequestsUsd: number;
  /** Default 0.0000166667 (Lambda's x86 price). */
  readonly perGbSecondUsd: number;
}

export const DEFAULT_PRICES: PriceTable = { perMillionRequestsUsd: 0.2, perGbSecondUsd: 0.0000166667 };

/** Cost is derived at query time, so a price change applies to every period without rewriting the store. */
export function costUsd(requests: number, gbSeconds: number, prices: PriceTable): number {
  return (requests / 1e6) * prices.perMillionRequestsUsd + gbSeconds * prices.perGbSecondUsd;
}
