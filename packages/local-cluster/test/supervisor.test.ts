import { describe, expect, it } from 'vitest';
import { resolveRestartPolicy, restartDelayMs } from '../src/supervisor.js';

describe('restartDelayMs', () => {
  it('starts at 100 ms and doubles with each crash in a row, up to 5 s', () => {
    const policy = resolveRestartPolicy();
    const delays = Array.from({ length: 10 }, (_, i) => restartDelayMs(policy, i + 1));
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000]);
  });

  it('follows a configured policy and never overflows', () => {
    const policy = resolveRestartPolicy({ initialDelayMs: 50, maxDelayMs: 300 });
    expect([1, 2, 3, 4].map((n) => restartDelayMs(policy, n))).toEqual([50, 100, 200, 300]);
    expect(restartDelayMs(policy, 10_000)).toBe(300);
  });
});
