import { describe, expect, it } from 'vitest';
import { billedMsFor, gbSecondsFor } from '../src/index.js';

describe('billedMsFor', () => {
  it('rounds up to the next whole millisecond', () => {
    expect(billedMsFor(12.3)).toBe(13);
    expect(billedMsFor(12)).toBe(12);
    expect(billedMsFor(12.000000001)).toBe(13);
  });

  it('bills at least 1 ms', () => {
    expect(billedMsFor(0)).toBe(1);
    expect(billedMsFor(0.04)).toBe(1);
  });
});

describe('gbSecondsFor', () => {
  it('is billed seconds times memory in GB', () => {
    expect(gbSecondsFor(1000, 1024)).toBe(1);
    expect(gbSecondsFor(100, 128)).toBeCloseTo(0.0125, 12);
    expect(gbSecondsFor(1, 10_240)).toBeCloseTo(0.01, 12);
  });
});
