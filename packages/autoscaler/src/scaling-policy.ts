import { StratusError } from '@stratus/errors';

/**
 * How load becomes a node count, after Knative's autoscaler: the desired
 * count is the in-flight invocations averaged over a window, divided by what
 * one node should carry (its capacity × the target utilisation).
 */
export interface ScalingPolicyOptions {
  /** Fewest worker nodes. At least 1: with no node there is no load signal to scale up from. Default 1. */
  readonly minNodes?: number;
  /** Most worker nodes. Default 10. */
  readonly maxNodes?: number;
  /** Share of the nodes' `maxInFlight` the scaler aims to keep in use, in (0, 1]. Default 0.7. */
  readonly targetUtilization?: number;
  /** The window whose average drives ordinary scaling, up and down. Default 60 000 ms. */
  readonly stableWindowMs?: number;
  /** The short window that detects bursts. Default 6 000 ms. */
  readonly panicWindowMs?: number;
  /**
   * Panic starts when the panic window's desired node count (before rounding
   * up) reaches this multiple of the current count; in panic the scaler only
   * scales up, until a stable window has passed without the condition. Default 2.
   */
  readonly panicThreshold?: number;
  /** A scale-down happens only when every decision within this long wanted fewer nodes. Default 30 000 ms. */
  readonly scaleDownDelayMs?: number;
}

export interface ResolvedScalingPolicy {
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly targetUtilization: number;
  readonly stableWindowMs: number;
  readonly panicWindowMs: number;
  readonly panicThreshold: number;
  readonly scaleDownDelayMs: number;
}

/** Validates the options once; a bad one is rejected with INVALID_ARGUMENT naming the field. */
export function resolveScalingPolicy(options: ScalingPolicyOptions = {}): ResolvedScalingPolicy {
  const resolved: ResolvedScalingPolicy = {
    minNodes: options.minNodes ?? 1,
    maxNodes: options.maxNodes ?? 10,
    targetUtilization: options.targetUtilization ?? 0.7,
    stableWindowMs: options.stableWindowMs ?? 60_000,
    panicWindowMs: options.panicWindowMs ?? 6_000,
    panicThreshold: options.panicThreshold ?? 2,
    scaleDownDelayMs: options.scaleDownDelayMs ?? 30_000,
  };
  requireInteger('minNodes', resolved.minNodes, 1);
  requireInteger('maxNodes', resolved.maxNodes, resolved.minNodes);
  if (!(resolved.targetUtilization > 0 && resolved.targetUtilization <= 1)) {
    invalid('targetUtilization', `must be in (0, 1], got ${resolved.targetUtilization}`);
  }
  requireInteger('stableWindowMs', resolved.stableWindowMs, 1);
  requireInteger('panicWindowMs', resolved.panicWindowMs, 1);
  if (resolved.panicWindowMs > resolved.stableWindowMs) {
    invalid('panicWindowMs', `must not exceed stableWindowMs (${resolved.stableWindowMs}), got ${resolved.panicWindowMs}`);
  }
  if (!(resolved.panicThreshold > 1)) invalid('panicThreshold', `must be greater than 1, got ${resolved.panicThreshold}`);
  requireInteger('scaleDownDelayMs', resolved.scaleDownDelayMs, 0);
  return resolved;
}

/** One observation of the cluster. */
export interface LoadSample {
  readonly atMs: number;
  /** Worker nodes the provider runs now (starting ones included). */
  readonly currentNodes: number;
  /** Invocations in flight across the registered nodes. */
  readonly inFlight: number;
  /** Sum of the registered nodes' `maxInFlight`. */
  readonly capacity: number;
  /** How many registered nodes `capacity` sums over. */
  readonly capacityNodes: number;
}

export interface ScalingDecision {
  readonly atMs: number;
  readonly currentNodes: number;
  readonly desiredNodes: number;
  readonly panic: boolean;
  /** Average in flight over the stable window. */
  readonly stableInFlight: number;
  /** Average in flight over the panic window. */
  readonly panicInFlight: number;
  /** Why `desiredNodes` is what it is, for the log. */
  readonly reason: string;
}

interface Timed<T> {
  readonly atMs: number;
  readonly value: T;
}

/**
 * The scaler's decision logic, with no clock or I/O of its own: feed it one
 * sample per tick and it answers how many nodes there should be.
 */
export class ScalingPolicy {
  readonly policy: ResolvedScalingPolicy;
  readonly #samples: Timed<number>[] = [];
  readonly #recentDesired: Timed<number>[] = [];
  #firstSampleAtMs: number | undefined;
  #capacityPerNode: number | undefined;
  /** While panicking: when the panic condition last held. */
  #panicAtMs: number | undefined;
  #maxPanicNodes = 0;

  constructor(options: ScalingPolicyOptions = {}) {
    this.policy = resolveScalingPolicy(options);
  }

  observe(sample: LoadSample): ScalingDecision {
    const p = this.policy;
    const now = sample.atMs;
    const current = sample.currentNodes;
    this.#firstSampleAtMs ??= now;
    if (sample.capacityNodes > 0) this.#capacityPerNode = sample.capacity / sample.capacityNodes;
    this.#samples.push({ atMs: now, value: sample.inFlight });
    dropBefore(this.#samples, now - p.stableWindowMs);
    const stableInFlight = averageSince(this.#samples, now - p.stableWindowMs);
    const panicInFlight = averageSince(this.#samples, now - p.panicWindowMs);
    const decide = (desiredNodes: number, panic: boolean, reason: string): ScalingDecision => ({
      atMs: now,
      currentNodes: current,
      desiredNodes,
      panic,
      stableInFlight,
      panicInFlight,
      reason,
    });

    if (this.#capacityPerNode === undefined) {
      const desired = clamp(current, p.minNodes, p.maxNodes);
      return decide(desired, false, desired === current ? 'no node has registered its capacity yet' : boundsReason(current, p));
    }
    const perNode = this.#capacityPerNode * p.targetUtilization;
    const stableRatio = stableInFlight / perNode;
    const panicRatio = panicInFlight / perNode;
    const stableDesired = Math.ceil(stableRatio);
    const panicDesired = Math.ceil(panicRatio);

    const overPanicThreshold = current > 0 && panicRatio >= p.panicThreshold * current;
    if (overPanicThreshold) {
      this.#panicAtMs = now;
    } else if (this.#panicAtMs !== undefined && now - this.#panicAtMs >= p.stableWindowMs) {
      // The burst has had a whole stable window to show up in the stable average.
      this.#panicAtMs = undefined;
      this.#maxPanicNodes = 0;
    }
    const panic = this.#panicAtMs !== undefined;

    let desired: number;
    let reason: string;
    if (panic) {
      desired = Math.max(stableDesired, panicDesired, current, this.#maxPanicNodes);
      this.#maxPanicNodes = desired;
      reason = `panic: ${fmt(panicInFlight)} in flight over the last ${seconds(p.panicWindowMs)} needs ${fmt(panicRatio)} nodes at ${fmt(perNode)} each; scaling up only`;
    } else {
      desired = stableDesired;
      reason = `${fmt(stableInFlight)} in flight over the last ${seconds(p.stableWindowMs)} needs ${fmt(stableRatio)} nodes at ${fmt(perNode)} each`;
    }

    this.#recentDesired.push({ atMs: now, value: desired });
    dropBefore(this.#recentDesired, now - p.scaleDownDelayMs);
    const delayed = Math.max(...this.#recentDesired.map((d) => d.value));
    if (delayed > desired && delayed >= current) {
      reason += `; holding ${delayed} for the scale-down delay of ${seconds(p.scaleDownDelayMs)}`;
    }
    desired = delayed;

    // Until a whole stable window has been seen, its average describes less than it claims.
    if (desired < current && now - this.#firstSampleAtMs < p.stableWindowMs) {
      desired = current;
      reason += '; no scale-down before a full stable window has been observed';
    }

    const bounded = clamp(desired, p.minNodes, p.maxNodes);
    if (bounded !== desired) reason += `; clamped to [${p.minNodes}, ${p.maxNodes}]`;
    return decide(bounded, panic, reason);
  }
}

function dropBefore<T>(items: Timed<T>[], cutoffMs: number): void {
  let stale = 0;
  while (stale < items.length && (items[stale]?.atMs ?? Infinity) <= cutoffMs) stale += 1;
  items.splice(0, stale);
}

function averageSince(samples: readonly Timed<number>[], cutoffMs: number): number {
  let sum = 0;
  let count = 0;
  for (const sample of samples) {
    if (sample.atMs <= cutoffMs) continue;
    sum += sample.value;
    count += 1;
  }
  return count === 0 ? 0 : sum / count;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function boundsReason(current: number, p: ResolvedScalingPolicy): string {
  return `${current} nodes is outside [${p.minNodes}, ${p.maxNodes}]`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function seconds(ms: number): string {
  return `${fmt(ms / 1000)} s`;
}

function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) invalid(field, `must be an integer >= ${min}, got ${value}`);
}

function invalid(field: string, message: string): never {
  throw new StratusError('INVALID_ARGUMENT', `${field}: ${message}`);
}
