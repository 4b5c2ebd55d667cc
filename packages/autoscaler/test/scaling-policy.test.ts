import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { ScalingPolicy, resolveScalingPolicy, type ScalingDecision, type ScalingPolicyOptions } from '../src/scaling-policy.js';

const TICK_MS = 1000;
/** Each node takes 10 at once; at 70 % the scaler plans for 7 per node. */
const NODE_CAPACITY = 10;

const POLICY: ScalingPolicyOptions = {
  minNodes: 1,
  maxNodes: 5,
  targetUtilization: 0.7,
  stableWindowMs: 10_000,
  panicWindowMs: 2_000,
  panicThreshold: 2,
  scaleDownDelayMs: 4_000,
};

/**
 * A fake cluster driven by a fake clock: one sample per tick, and a provider
 * that reaches the desired count by the next tick.
 */
class Simulation {
  readonly policy: ScalingPolicy;
  nowMs = 1_000_000;
  nodes: number;
  readonly decisions: ScalingDecision[] = [];

  constructor(options: ScalingPolicyOptions, nodes: number) {
    this.policy = new ScalingPolicy(options);
    this.nodes = nodes;
  }

  /** Feeds one sample per tick and returns the decisions. */
  run(inFlight: readonly number[]): ScalingDecision[] {
    return inFlight.map((load) => {
      this.nowMs += TICK_MS;
      const decision = this.policy.observe({
        atMs: this.nowMs,
        currentNodes: this.nodes,
        inFlight: load,
        capacity: this.nodes * NODE_CAPACITY,
        capacityNodes: this.nodes,
      });
      this.decisions.push(decision);
      this.nodes = decision.desiredNodes;
      return decision;
    });
  }
}

const repeat = (value: number, ticks: number): number[] => Array.from({ length: ticks }, () => value);
const desired = (decisions: readonly ScalingDecision[]): number[] => decisions.map((d) => d.desiredNodes);
/** How many times the node count went up after going down or down after going up. */
function reversals(counts: readonly number[]): number {
  let last = 0;
  let turns = 0;
  for (let i = 1; i < counts.length; i++) {
    const step = Math.sign((counts[i] ?? 0) - (counts[i - 1] ?? 0));
    if (step === 0) continue;
    if (last !== 0 && step !== last) turns += 1;
    last = step;
  }
  return turns;
}

describe('ScalingPolicy', () => {
  it('follows stable growth one node at a time, without panicking', () => {
    const sim = new Simulation(POLICY, 1);
    sim.run(repeat(5, 12));
    expect(sim.nodes).toBe(1);
    // 12 in flight needs 12 / 7 = 1.7 nodes: more than one, less than the panic threshold of 2 × 1.
    const growing = sim.run(repeat(12, 12));
    expect(growing.every((d) => !d.panic)).toBe(true);
    expect(sim.nodes).toBe(2);
    // 20 needs 2.9 nodes, under 2 × 2.
    const more = sim.run(repeat(20, 12));
    expect(more.every((d) => !d.panic)).toBe(true);
    expect(sim.nodes).toBe(3);
    const counts = desired(sim.decisions);
    expect(reversals(counts)).toBe(0);
    // One step at a time, each only once the stable average has grown into it.
    expect(new Set(counts)).toEqual(new Set([1, 2, 3]));
  });

  it('panics on a spike: scales up from the short window at once, and not down while panicking', () => {
    const sim = new Simulation(POLICY, 1);
    sim.run(repeat(2, 12));
    const [first, second] = sim.run([30, 30]);
    // Panic window average (2 + 30) / 2 = 16 needs 2.3 nodes, over 2 × 1: panic, 3 nodes.
    expect(first).toMatchObject({ panic: true, desiredNodes: 3 });
    expect(first?.reason).toMatch(/^panic/);
    // 30 / 7 = 4.3 → 5 nodes, the maximum.
    expect(second).toMatchObject({ panic: true, desiredNodes: 5 });
    // The spike ends; panic lasts a stable window (10 s) after its condition last held (the first
    // spike tick: 5 nodes are enough for the second), and until then nothing is removed.
    const after = sim.run(repeat(0, 8));
    expect(after.every((d) => d.panic && d.desiredNodes === 5)).toBe(true);
    const [calm] = sim.run([0]);
    expect(calm?.panic).toBe(false);
    // The scale-down delay still holds the panic's count for a while.
    expect(calm?.desiredNodes).toBe(5);
    sim.run(repeat(0, 10));
    expect(sim.nodes).toBe(1);
  });

  it('scales down only after the stable window agrees and the scale-down delay has passed', () => {
    const sim = new Simulation(POLICY, 3);
    // 18 needs 2.6 nodes: 3.
    sim.run(repeat(18, 12));
    expect(sim.nodes).toBe(3);
    const drop = sim.run(repeat(0, 20));
    const counts = desired(drop);
    // The stable average (10 s) wants 2 nodes from the third zero sample (index 2); the delay
    // then holds 3 until every decision of the last 4 s wanted fewer (index 5).
    const firstBelow = counts.findIndex((n) => n < 3);
    expect(firstBelow).toBe(5);
    expect(drop.slice(0, firstBelow).some((d) => /holding 3 for the scale-down delay/.test(d.reason))).toBe(true);
    expect(drop.every((d) => !d.panic)).toBe(true);
    expect(sim.nodes).toBe(1);
    expect(reversals(counts)).toBe(0);
  });

  it('does not flap when the load swings faster than the scale-down delay', () => {
    const sim = new Simulation(POLICY, 2);
    sim.run(repeat(10, 12));
    // 2 s bursts of 14 between 2 s of nothing: a scaler following each sample would go 2, 1, 2, 1, ...
    const bursts = Array.from({ length: 60 }, (_, i) => (Math.floor(i / 2) % 2 === 0 ? 14 : 0));
    const counts = desired(sim.run(bursts));
    expect(reversals(counts)).toBe(0);
    expect(counts.every((n) => n === 2)).toBe(true);
    // Single-tick jitter either side of one node's target of 7 (4 wants one node, 10 wants two).
    const jitter = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 4 : 10));
    const sim2 = new Simulation(POLICY, 1);
    const counts2 = desired(sim2.run([...repeat(7, 12), ...jitter]));
    expect(reversals(counts2)).toBe(0);
  });

  it('keeps the count within [minNodes, maxNodes]', () => {
    const sim = new Simulation({ ...POLICY, minNodes: 2, maxNodes: 3 }, 1);
    const [first] = sim.run([0]);
    expect(first?.desiredNodes).toBe(2);
    expect(first?.reason).toMatch(/clamped to \[2, 3\]/);
    sim.run(repeat(100, 15));
    expect(sim.nodes).toBe(3);
    sim.run(repeat(0, 30));
    expect(sim.nodes).toBe(2);
  });

  it('does not scale down before it has observed a whole stable window', () => {
    const sim = new Simulation(POLICY, 4);
    const early = sim.run(repeat(0, 9));
    expect(early.every((d) => d.desiredNodes === 4)).toBe(true);
    expect(early.at(-1)?.reason).toMatch(/full stable window/);
    sim.run(repeat(0, 10));
    expect(sim.nodes).toBe(1);
  });

  it('holds the current count until a node has registered its capacity', () => {
    const policy = new ScalingPolicy(POLICY);
    const decision = policy.observe({ atMs: 1, currentNodes: 2, inFlight: 0, capacity: 0, capacityNodes: 0 });
    expect(decision.desiredNodes).toBe(2);
    expect(decision.reason).toMatch(/capacity/);
  });

  it('has documented defaults and rejects bad options with the field name', () => {
    expect(resolveScalingPolicy()).toEqual({
      minNodes: 1,
      maxNodes: 10,
      targetUtilization: 0.7,
      stableWindowMs: 60_000,
      panicWindowMs: 6_000,
      panicThreshold: 2,
      scaleDownDelayMs: 30_000,
    });
    const bad: Array<[ScalingPolicyOptions, string]> = [
      [{ minNodes: 0 }, 'minNodes'],
      [{ minNodes: 3, maxNodes: 2 }, 'maxNodes'],
      [{ targetUtilization: 1.5 }, 'targetUtilization'],
      [{ stableWindowMs: 1000, panicWindowMs: 2000 }, 'panicWindowMs'],
      [{ panicThreshold: 1 }, 'panicThreshold'],
      [{ scaleDownDelayMs: -1 }, 'scaleDownDelayMs'],
    ];
    for (const [options, field] of bad) {
      let caught: unknown;
      try {
        resolveScalingPolicy(options);
      } catch (err) {
        caught = err;
      }
      expect(hasCode(caught, 'INVALID_ARGUMENT')).toBe(true);
      expect((caught as Error).message).toMatch(new RegExp(`^${field}:`));
    }
  });
});
