import { describe, expect, it } from 'vitest';
import { HostIdle } from '../src/host-idle.js';

/** A machine whose idle time and clock the test moves by hand. */
function machine(): { idleMs: number; atMs: number; idle: HostIdle } {
  const state = { idleMs: 10_000, atMs: 0 } as { idleMs: number; atMs: number; idle: HostIdle };
  state.idle = new HostIdle({ readIdleMs: () => state.idleMs, now: () => state.atMs, intervalMs: 0 });
  return state;
}

describe('HostIdle', () => {
  it('reports nothing measured (Infinity) before its first interval ends, so calls spread as they did before it', () => {
    expect(machine().idle.idleMillicores).toBe(Number.POSITIVE_INFINITY);
  });

  it("measures the machine's idle CPU in millicores, summed over its cores, as a running mean that a moment of idle barely moves", () => {
    const m = machine();
    // Two cores, one idle the whole 500 ms, the other half of it: 1.5 cores idle, the first figure as it is.
    m.idleMs += 750;
    m.atMs += 500;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBe(1500);
    // Then every core busy: the figure falls by 30% of the gap at each interval.
    m.atMs += 500;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBeCloseTo(1050);
    for (let i = 0; i < 10; i += 1) {
      m.atMs += 500;
      m.idle.sample();
    }
    expect(m.idle.idleMillicores).toBeLessThan(50);
    // One interval with a whole core idle on a busy machine stays under half a core.
    m.idleMs += 500;
    m.atMs += 500;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBeLessThan(500);
  });

  it('keeps its figure when the clock did not move or the idle counter went back (a core taken offline), and measures from there', () => {
    const m = machine();
    m.idleMs += 200;
    m.atMs += 1000;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBe(200);
    m.idle.sample();
    expect(m.idle.idleMillicores).toBe(200);
    m.idleMs -= 5_000;
    m.atMs += 1000;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBe(200);
    m.idleMs += 1200;
    m.atMs += 1000;
    m.idle.sample();
    expect(m.idle.idleMillicores).toBeCloseTo(200 + 0.3 * (1200 - 200));
  });

  it("reads this machine's cores by default and stops sampling on close, twice without harm", () => {
    const idle = new HostIdle();
    idle.sample();
    expect(idle.idleMillicores).toBeGreaterThanOrEqual(0);
    idle.close();
    idle.close();
  });
});
