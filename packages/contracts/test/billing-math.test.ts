import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, billedMsFor, costUsd, gbSecondsFor } from '../src/index.js';

describe('billedMsFor', () => {
  it('rounds up to the next whole millisecond', () => {
    expect(billedMsFor(12.3)).toBe(13);
    expect(billedMsFor(12)).toBe(12);
    expect(billedMsFor(12.000000001)).toBe(13);
    expect(billedMsFor(899.2)).toBe(900);
  });

  it('bills at least 1 ms', () => {
    expect(billedMsFor(0)).toBe(1);
    expect(billedMsFor(0.04)).toBe(1);
  });
});

describe('gbSecondsFor', () => {
  it('is billed ms × memory MB / 1024 / 1000', () => {
    expect(gbSecondsFor(1000, 1024)).toBe(1);
    expect(gbSecondsFor(100, 128)).toBe(0.0125);
    expect(gbSecondsFor(1, 10_240)).toBe(0.01);
    // Lambda's worked example: 3 s at 512 MB is 1.5 GB-s.
    expect(gbSecondsFor(3000, 512)).toBe(1.5);
  });

  it('charges the billed duration, not the measured one', () => {
    expect(gbSecondsFor(billedMsFor(0.2), 1024)).toBe(0.001);
  });
});

describe('costUsd', () => {
  it("uses Lambda's x86 prices by default", () => {
    expect(DEFAULT_PRICES).toEqual({ perMillionRequestsUsd: 0.2, perGbSecondUsd: 0.0000166667 });
  });

  it('charges per million requests plus per GB-second', () => {
    expect(costUsd(1_000_000, 0, DEFAULT_PRICES)).toBeCloseTo(0.2, 12);
    expect(costUsd(0, 1_000, DEFAULT_PRICES)).toBeCloseTo(0.0166667, 12);
    expect(costUsd(2_000_000, 400_000, { perMillionRequestsUsd: 1, perGbSecondUsd: 0.00001 })).toBeCloseTo(6, 9);
  });
});
