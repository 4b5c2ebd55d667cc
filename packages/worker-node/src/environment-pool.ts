import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import type { InvocationTarget, WarmFunction } from '@stratus/contracts';
import { DEFAULT_KEEP_WARM_MS, DEFAULT_SPARE_ENVIRONMENTS_PERCENT } from './config.js';

/** What the pool needs of an execution environment (the runtime's, or a fake in unit tests). */
export interface PooledEnvironment {
  readonly usable: boolean;
  dispose(): void;
}

export interface EnvironmentPoolOptions<E extends PooledEnvironment> {
  /** Sum of the memory sizes of live environments may not exceed this. */
  readonly memoryBudgetMb: number;
  /** An idle environment is disposed after this long. Default {@link DEFAULT_KEEP_WARM_MS} (the node's setting's default). */
  readonly keepWarmMs?: number;
  /** How often idle environments are checked. Default min(keepWarmMs / 4, 5000) ms. */
  readonly reapIntervalMs?: number;
  readonly create: (target: InvocationTarget) => Promise<E>;
  /**
   * Cold starts in progress at once. Default 4. Creating an isolate is CPU
   * work: more at once than the machine has cores only makes each slower and
   * starves the node's event loop (lease keep-alives, heartbeats, replies).
   */
  readonly maxConcurrentColdStarts?: number;
  /**
   * Spare environments kept ahead of demand for a function in use, as a
   * percentage of its recent peak of concurrent calls (at least one, once
   * that peak reaches 2; none for a function called one at a time): made in
   * the background, in cold-start slots no call wants and only in memory no
   * environment holds (never by evicting), so a call that goes past the
   * peak finds one warm. 0 disables them. Default
   * {@link DEFAULT_SPARE_ENVIRONMENTS_PERCENT} (the node's setting's default).
   */
  readonly spareEnvironmentsPercent?: number;
  /**
   * Whether calls of the target's function are waiting for an isolate slot
   * on this node. While they are, a call that finds no idle environment but
   * has busy ones to wait for waits for one of those (or for the queue to
   * catch up, `functionCaughtUp`) rather than making another environment that
   * would only queue behind them: a node needs about as many environments as
   * it runs calls at once, not one per call waiting for a slot. Default: never.
   */
  readonly callsWaitingForSlot?: (target: InvocationTarget) => boolean;
  readonly log: Logger;
  /**
   * The pool's clock, in ms: keep-warm, peak windows and the bound on how long a call is held back are all
   * measured on it (a held call's timer is a real one, and the bound is checked on this clock whenever it wakes).
   * Default `Date.now`.
   */
  readonly now?: () => number;
}

/** Longest a call waits for a busy environment of its function before it starts one after all. */
const MAX_HELD_BACK_MS = 1_000;

/** Why an environment was made: a call found none idle (`cold`), ahead of demand (`spare`), or for provisioned concurrency. */
export type EnvironmentCreation = 'cold' | 'spare' | 'provisioned';

/** An environment checked out for one invocation. Give it back with `release`. */
export interface Lease<E> {
  readonly environment: E;
  readonly cold: boolean;
  /**
   * When the call took it: how long calls hold environments tells a combined frontend how soon one comes back.
   * `performance.now()`, not the pool's clock: a warm call holds its environment well under a millisecond.
   */
  readonly takenAtMs: number;
}

interface Entry<E> {
  readonly environment: E;
  readonly poolKey: string;
  readonly memoryMb: number;
  lastUsedMs: number;
}

interface FunctionPool<E> {
  readonly key: string;
  readonly target: InvocationTarget;
  readonly functionName: string;
  readonly version: string;
  /** Environments being created ahead of calls, for provisioned concurrency. */
  provisioning: number;
  /** Spare environments being created ahead of calls. */
  growing: number;
  /** Most recently used last: reuse from the end keeps the warmest environments hot. */
  readonly idle: Entry<E>[];
  busy: number;
  /** Calls in `acquire` without an environment yet: held back for a busy one, or waiting for a cold-start slot. */
  waiting: number;
  /** Recent mean time a call held an environment, in ms (an exponential average); undefined until one came back. */
  meanHoldMs: number | undefined;
  /** When a call last took an environment: a function called within the keep-warm period is in use. */
  lastCallMs: number;
  /** Most calls running at once in this peak window and in the one before: the recent peak is the larger. */
  peakBusy: number;
  previousPeakBusy: number;
  peakWindowStartMs: number;
}

/** Weight of the newest hold time in a pool's mean: about the last 20 calls count. */
const HOLD_MEAN_WEIGHT = 0.05;

/** Spares per function at most, whatever its peak: enough to absorb a burst while more are made. */
const MAX_SPARE_ENVIRONMENTS = 32;

/**
 * Shortest window over which a function's peak of concurrent calls is
 * measured (it is kept for one to two windows). Tied to a short keep-warm
 * period alone, a steady load's peak was forgotten every few seconds: the
 * calls holding environments swing with how many wait at the isolate gate,
 * so after a window whose peak was lower the pool disposed environments that
 * the next window's peak made again.
 */
export const MIN_PEAK_WINDOW_MS = 30_000;

/**
 * Warm execution environments per function on one node, one invocation at
 * a time each, as Lambda runs them. A call takes an idle environment or
 * creates one (a cold start) within the node's memory budget, evicting the
 * least recently used idle environments of any function to make room
 * before refusing with NO_CAPACITY. Idle environments are disposed after
 * the keep-warm period, so an idle function costs nothing.
 *
 * Environments are keyed by everything that shapes them (code, handler,
 * memory, timeout, environment variables): after a deploy, old environments
 * are never reused and age out.
 */
export class EnvironmentPool<E extends PooledEnvironment> {
  readonly #options: EnvironmentPoolOptions<E>;
  readonly #keepWarmMs: number;
  readonly #peakWindowMs: number;
  readonly #now: () => number;
  readonly #pools = new Map<string, FunctionPool<E>>();
  readonly #reaper: NodeJS.Timeout;
  #memoryUsedMb = 0;
  #closed = false;
  readonly #created: Record<EnvironmentCreation, number> = { cold: 0, spare: 0, provisioned: 0 };
  #disposed = 0;
  #coldStartsRunning = 0;
  readonly #maxConcurrentColdStarts: number;
  readonly #spareEnvironmentsPercent: number;
  /** Pool keys by target object: a call's target is looked up on acquire and on release, and the key sorts its environment. */
  readonly #keys = new WeakMap<InvocationTarget, string>();
  /** Memory held for spares being made; a call that needs it takes it, and the spare is disposed once made. */
  readonly #spareReservations = new Set<{ readonly memoryMb: number; givenUp: boolean }>();
  /** Calls waiting for a cold-start slot; each is woken to re-check for a warm environment first. */
  readonly #coldStartQueue: Array<{ readonly key: string; readonly wake: () => void }> = [];
  /** Calls held back from a cold start while their function's calls wait for isolate slots, by function name. */
  readonly #heldBack = new Map<string, Set<() => void>>();
  /** Background work waiting for a cold-start slot that no call wants. */
  readonly #backgroundQueue: Array<() => void> = [];
  /** Provisioned concurrency on this node: environments kept per pool key whatever the load. */
  #floors = new Map<string, { readonly target: InvocationTarget; readonly count: number }>();

  constructor(options: EnvironmentPoolOptions<E>) {
    this.#options = options;
    this.#keepWarmMs = options.keepWarmMs ?? DEFAULT_KEEP_WARM_MS;
    this.#peakWindowMs = Math.max(this.#keepWarmMs, MIN_PEAK_WINDOW_MS);
    this.#now = options.now ?? Date.now;
    this.#maxConcurrentColdStarts = options.maxConcurrentColdStarts ?? 4;
    this.#spareEnvironmentsPercent = options.spareEnvironmentsPercent ?? DEFAULT_SPARE_ENVIRONMENTS_PERCENT;
    const interval = options.reapIntervalMs ?? Math.max(10, Math.min(this.#keepWarmMs / 4, 5000));
    this.#reaper = setInterval(() => {
      this.reapIdle();
      this.#fillFloors();
    }, interval);
    this.#reaper.unref();
  }

  get memoryUsedMb(): number {
    return this.#memoryUsedMb;
  }

  /** Environments made since the pool started, by why, and disposed: steady load should make none. */
  get churn(): { readonly created: Readonly<Record<EnvironmentCreation, number>>; readonly disposed: number } {
    return { created: { ...this.#created }, disposed: this.#disposed };
  }

  async acquire(target: InvocationTarget): Promise<Lease<E>> {
    const key = this.#keyOf(target);
    // Held back at most MAX_HELD_BACK_MS in all, however often it is woken without an environment to take.
    let holdUntilMs: number | undefined;
    for (;;) {
      if (this.#closed) throw new StratusError('SHUTTING_DOWN', 'the node is shutting down');
      const pool = this.#pool(key, target);
      const warm = pool.idle.pop();
      if (warm) {
        this.#took(pool);
        // A waiter woken for a free cold-start slot that found a warm environment instead passes the slot on.
        if (this.#coldStartsRunning < this.#maxConcurrentColdStarts) this.#wakeOne();
        return { environment: warm.environment, cold: false, takenAtMs: performance.now() };
      }
      if (pool.busy > 0 && this.#options.callsWaitingForSlot?.(target) === true) {
        const now = this.#now();
        holdUntilMs ??= now + MAX_HELD_BACK_MS;
        if (now < holdUntilMs) {
          await this.#waiting(pool, this.#holdBack(target.name, holdUntilMs - now));
          continue;
        }
      }
      if (this.#coldStartsRunning < this.#maxConcurrentColdStarts) return this.#coldStart(key, pool, target);
      // While waiting for a slot, an environment of this function may come back idle: the loop takes it warm.
      await this.#waiting(pool, new Promise<void>((resolve) => this.#coldStartQueue.push({ key, wake: resolve })));
    }
  }

  /** Counts a call of `pool` as waiting for an environment until `wait` settles. */
  async #waiting(pool: FunctionPool<E>, wait: Promise<void>): Promise<void> {
    pool.waiting += 1;
    try {
      await wait;
    } finally {
      pool.waiting -= 1;
    }
  }

  /**
   * The function's environments and calls on this node, read without taking
   * anything: idle and busy environments, calls waiting for one, and how
   * long calls recently held one.
   */
  outlook(target: InvocationTarget): { idle: number; busy: number; waiting: number; meanHoldMs: number | undefined } {
    const pool = this.#closed ? undefined : this.#pools.get(this.#keyOf(target));
    if (pool === undefined) return { idle: 0, busy: 0, waiting: 0, meanHoldMs: undefined };
    return { idle: pool.idle.length, busy: pool.busy, waiting: pool.waiting, meanHoldMs: pool.meanHoldMs };
  }

  /**
   * An idle warm environment of the function, taken at once, or `undefined`
   * when none is idle: never a cold start and never a wait, for callers that
   * would rather place the call elsewhere than queue here.
   */
  tryAcquireWarm(target: InvocationTarget): Lease<E> | undefined {
    if (this.#closed) return undefined;
    const pool = this.#pools.get(this.#keyOf(target));
    const warm = pool?.idle.pop();
    if (pool === undefined || warm === undefined) return undefined;
    this.#took(pool);
    return { environment: warm.environment, cold: false, takenAtMs: performance.now() };
  }

  /** Counts a call taking an environment of `pool` (toward its recent peak), and makes spares when its idle ones run low. */
  #took(pool: FunctionPool<E>): void {
    pool.busy += 1;
    pool.lastCallMs = this.#now();
    if (pool.busy > pool.peakBusy) pool.peakBusy = pool.busy;
    this.#growSpares(pool);
  }

  /** How many idle environments `pool` should hold beyond its calls: a share of its recent peak, none below a peak of 2. */
  #spareTarget(pool: FunctionPool<E>): number {
    const peak = Math.max(pool.peakBusy, pool.previousPeakBusy);
    if (this.#spareEnvironmentsPercent === 0 || peak < 2) return 0;
    return Math.min(MAX_SPARE_ENVIRONMENTS, Math.ceil((peak * this.#spareEnvironmentsPercent) / 100));
  }

  /**
   * Starts making spare environments of `pool` in the background while its
   * idle ones (and those being made) fall short of its spare target. A spare
   * takes only memory no environment holds: it never evicts anything, and it
   * is itself evicted like any idle environment when a call needs the room.
   */
  #growSpares(pool: FunctionPool<E>): void {
    if (this.#closed) return;
    const { target } = pool;
    // A spare made while the function's calls queue for isolate slots would only queue behind them.
    if (this.#options.callsWaitingForSlot?.(target) === true) return;
    for (let missing = this.#spareTarget(pool) - pool.idle.length - pool.growing; missing > 0; missing -= 1) {
      if (this.#memoryUsedMb + target.memoryMb > this.#options.memoryBudgetMb) return;
      pool.growing += 1;
      let counted = true;
      const stopCounting = (): void => {
        if (!counted) return;
        counted = false;
        pool.growing -= 1;
      };
      // Not awaited: spares are made in the background; #growOne logs its own failures and never rejects.
      void this.runBackground(() => this.#growOne(pool, stopCounting)).finally(() => {
        stopCounting();
        this.#dropIfEmpty(pool.key, pool);
      });
    }
  }

  /** Makes one spare of `pool`; `done` is called as soon as the spare is in the pool or given up, so the pool counts it once. */
  async #growOne(pool: FunctionPool<E>, done: () => void): Promise<void> {
    try {
      await this.#makeSpare(pool, done);
    } finally {
      done();
    }
  }

  async #makeSpare(pool: FunctionPool<E>, done: () => void): Promise<void> {
    const { target, key } = pool;
    // Checked again in the slot: calls may have filled the pool, or the budget, or begun to queue for isolate slots, since it was asked for.
    if (this.#closed || this.#pools.get(key) !== pool || pool.idle.length >= this.#spareTarget(pool)) return;
    if (this.#options.callsWaitingForSlot?.(target) === true) return;
    if (this.#memoryUsedMb + target.memoryMb > this.#options.memoryBudgetMb) return;
    const reservation = { memoryMb: target.memoryMb, givenUp: false };
    this.#spareReservations.add(reservation);
    this.#memoryUsedMb += target.memoryMb;
    let environment: E;
    try {
      environment = await this.#options.create(target);
    } catch (err) {
      if (!reservation.givenUp) this.#memoryUsedMb -= target.memoryMb;
      this.#options.log.warn({ err, fn: target.name }, 'could not start a spare execution environment');
      return;
    } finally {
      this.#spareReservations.delete(reservation);
    }
    this.#created.spare += 1;
    if (reservation.givenUp) {
      // A call took its memory while it was being made (see #makeRoom).
      this.#disposeEnvironment(environment);
      return;
    }
    const entry = { environment, poolKey: key, memoryMb: target.memoryMb, lastUsedMs: this.#now() };
    if (this.#closed || this.#pools.get(key) !== pool) {
      this.#dispose(entry);
      return;
    }
    // At the bottom: calls keep reusing the warmest environments, and the spare waits for a peak.
    done();
    pool.idle.unshift(entry);
    this.#wakeOne(key);
  }

  async #coldStart(key: string, pool: FunctionPool<E>, target: InvocationTarget): Promise<Lease<E>> {
    this.#makeRoom(target.memoryMb);
    this.#memoryUsedMb += target.memoryMb;
    // The slot is counted before #took asks for spares: a spare asked for now waits for a free one, as background work should.
    this.#coldStartsRunning += 1;
    this.#took(pool);
    try {
      const environment = await this.#options.create(target);
      this.#created.cold += 1;
      return { environment, cold: true, takenAtMs: performance.now() };
    } catch (err) {
      this.#memoryUsedMb -= target.memoryMb;
      pool.busy -= 1;
      this.#dropIfEmpty(key, pool);
      throw err;
    } finally {
      this.#coldStartsRunning -= 1;
      this.#wakeOne();
    }
  }

  /**
   * Runs background work (making spare isolates) in a cold-start slot, and
   * only when no call is waiting for one, so it never delays a call.
   * Resolves without running `task` once the pool is closed.
   */
  async runBackground(task: () => Promise<void>): Promise<void> {
    while (this.#coldStartsRunning >= this.#maxConcurrentColdStarts || this.#coldStartQueue.length > 0) {
      if (this.#closed) return;
      await new Promise<void>((resolve) => this.#backgroundQueue.push(resolve));
    }
    if (this.#closed) return;
    this.#coldStartsRunning += 1;
    try {
      await task();
    } finally {
      this.#coldStartsRunning -= 1;
      this.#wakeOne();
    }
  }

  /** Wakes a waiter for `key` (an environment of its function just came back idle), or else the longest waiting call, or else background work. */
  #wakeOne(key?: string): void {
    if (key === undefined && this.#coldStartQueue.length === 0) {
      this.#backgroundQueue.shift()?.();
      return;
    }
    const index = key === undefined ? 0 : this.#coldStartQueue.findIndex((waiter) => waiter.key === key);
    if (index < 0) return;
    this.#coldStartQueue.splice(index, 1)[0]?.wake();
  }

  /** Waits until an environment of the function comes back, its calls stop queueing for slots, or MAX_HELD_BACK_MS. */
  #holdBack(functionName: string, maxMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiters = this.#heldBack.get(functionName);
      if (waiters === undefined) {
        waiters = new Set();
        this.#heldBack.set(functionName, waiters);
      }
      const set = waiters;
      const timer = setTimeout(() => wake(), maxMs);
      const wake = (): void => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#heldBack.get(functionName) === set) this.#heldBack.delete(functionName);
        resolve();
      };
      set.add(wake);
    });
  }

  /** Wakes one call held back for the function (an environment of it came back), or all of them. */
  #wakeHeldBack(functionName: string, all: boolean): void {
    const waiters = this.#heldBack.get(functionName);
    if (waiters === undefined) return;
    if (!all) {
      // Every release wakes one: with hundreds of calls held back (a combined node keeping a c=1000 load in-process), copying the set each time cost more than the call.
      waiters.values().next().value?.();
      return;
    }
    for (const wake of [...waiters]) wake();
  }

  /** No call of the function waits for an isolate slot any more: calls held back for it look again (and start environments if none came back). */
  functionCaughtUp(functionName: string): void {
    this.#wakeHeldBack(functionName, true);
  }

  /** Returns an environment after its invocation; unusable ones (timed out, crashed) are disposed. */
  release(target: InvocationTarget, lease: Lease<E>): void {
    const key = this.#keyOf(target);
    const pool = this.#pools.get(key);
    if (!pool) throw new Error(`release without acquire for ${key}`);
    pool.busy -= 1;
    const heldMs = performance.now() - lease.takenAtMs;
    pool.meanHoldMs = pool.meanHoldMs === undefined ? heldMs : pool.meanHoldMs + HOLD_MEAN_WEIGHT * (heldMs - pool.meanHoldMs);
    if (!lease.environment.usable || this.#closed) {
      this.#dispose({ environment: lease.environment, poolKey: key, memoryMb: target.memoryMb, lastUsedMs: 0 });
      this.#dropIfEmpty(key, pool);
      this.#wakeHeldBack(target.name, false);
      return;
    }
    pool.idle.push({ environment: lease.environment, poolKey: key, memoryMb: target.memoryMb, lastUsedMs: this.#now() });
    this.#wakeOne(key);
    this.#wakeHeldBack(target.name, false);
  }

  /**
   * Sets this node's share of provisioned concurrency: for each target, the
   * number of environments to keep initialised whether or not calls arrive.
   * Targets left out go back to on-demand (their environments age out).
   * Missing environments are created in the background.
   */
  setProvisioned(floors: ReadonlyArray<{ readonly target: InvocationTarget; readonly count: number }>): void {
    this.#floors = new Map(floors.filter((f) => f.count > 0).map((f) => [poolKey(f.target), f]));
    this.#fillFloors();
  }

  /**
   * Disposes environments idle for longer than the keep-warm period, keeping
   * provisioned ones and, for a function still in use (called within the
   * keep-warm period), its recent peak of concurrent calls and its spares.
   * A function nobody calls keeps nothing past the keep-warm period.
   */
  reapIdle(): void {
    const now = this.#now();
    const cutoff = now - this.#keepWarmMs;
    for (const [key, pool] of this.#pools) {
      // Peaks are remembered for one to two windows.
      if (now - pool.peakWindowStartMs >= this.#peakWindowMs) {
        pool.previousPeakBusy = pool.peakBusy;
        pool.peakBusy = pool.busy;
        pool.peakWindowStartMs = now;
      }
      const inUse = pool.lastCallMs > cutoff;
      const kept = inUse ? Math.max(pool.peakBusy, pool.previousPeakBusy) + this.#spareTarget(pool) : 0;
      const floor = Math.max(this.#floors.get(key)?.count ?? 0, kept);
      let reapable = Math.max(0, pool.idle.length + pool.busy - floor);
      // Oldest first, so the environments kept are the most recently used.
      const keep = pool.idle.filter((entry) => {
        if (reapable > 0 && entry.lastUsedMs <= cutoff) {
          reapable -= 1;
          this.#dispose(entry);
          return false;
        }
        return true;
      });
      pool.idle.splice(0, pool.idle.length, ...keep);
      this.#dropIfEmpty(key, pool);
    }
  }

  #fillFloors(): void {
    if (this.#closed) return;
    for (const [key, { target, count }] of this.#floors) {
      const pool = this.#pool(key, target);
      for (let missing = count - (pool.idle.length + pool.busy + pool.provisioning); missing > 0; missing -= 1) {
        pool.provisioning += 1;
        // Not awaited: floors fill in the background. #provisionOne logs its own failures and never rejects.
        void this.#provisionOne(key, pool, target).finally(() => {
          pool.provisioning -= 1;
          this.#dropIfEmpty(key, pool);
        });
      }
    }
  }

  async #provisionOne(key: string, pool: FunctionPool<E>, target: InvocationTarget): Promise<void> {
    while (this.#coldStartsRunning >= this.#maxConcurrentColdStarts) {
      await new Promise<void>((resolve) => this.#coldStartQueue.push({ key: '', wake: resolve }));
      if (this.#closed || !this.#floors.has(key)) return;
    }
    this.#coldStartsRunning += 1;
    try {
      this.#makeRoom(target.memoryMb);
      this.#memoryUsedMb += target.memoryMb;
      let environment: E;
      try {
        environment = await this.#options.create(target);
      } catch (err) {
        this.#memoryUsedMb -= target.memoryMb;
        throw err;
      }
      this.#created.provisioned += 1;
      const entry = { environment, poolKey: key, memoryMb: target.memoryMb, lastUsedMs: this.#now() };
      if (this.#closed || !this.#floors.has(key)) this.#dispose(entry);
      else {
        pool.idle.unshift(entry);
        this.#wakeOne(key);
      }
    } catch (err) {
      // Retried on the next reaper tick.
      this.#options.log.warn({ err, fn: target.name }, 'could not start a provisioned execution environment');
    } finally {
      this.#coldStartsRunning -= 1;
      this.#wakeOne();
    }
  }

  /** Per function: idle and busy environments, for heartbeats. */
  stats(): { warmIsolates: number; functions: WarmFunction[] } {
    const byFunction = new Map<string, WarmFunction>();
    let warmIsolates = 0;
    for (const [key, pool] of this.#pools) {
      const id = `${pool.functionName}:${pool.version}`;
      const current = byFunction.get(id) ?? { functionName: pool.functionName, version: pool.version, idle: 0, busy: 0, provisioned: 0 };
      const live = pool.idle.length + pool.busy;
      const provisioned = Math.min(this.#floors.get(key)?.count ?? 0, live);
      byFunction.set(id, { ...current, idle: current.idle + pool.idle.length, busy: current.busy + pool.busy, provisioned: current.provisioned + provisioned });
      warmIsolates += live;
    }
    return { warmIsolates, functions: [...byFunction.values()] };
  }

  /** Disposes every idle environment and refuses new work; busy ones are disposed as they come back. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const waiter of this.#coldStartQueue.splice(0)) waiter.wake();
    for (const wake of this.#backgroundQueue.splice(0)) wake();
    for (const waiters of [...this.#heldBack.values()]) for (const wake of [...waiters]) wake();
    for (const [key, pool] of this.#pools) {
      for (const entry of pool.idle) this.#dispose(entry);
      pool.idle.length = 0;
      this.#dropIfEmpty(key, pool);
    }
  }

  #pool(key: string, target: InvocationTarget): FunctionPool<E> {
    let pool = this.#pools.get(key);
    if (!pool) {
      const now = this.#now();
      pool = {
        key,
        target,
        functionName: target.name,
        version: target.version,
        idle: [],
        busy: 0,
        waiting: 0,
        meanHoldMs: undefined,
        provisioning: 0,
        growing: 0,
        lastCallMs: now,
        peakBusy: 0,
        previousPeakBusy: 0,
        peakWindowStartMs: now,
      };
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #makeRoom(memoryMb: number): void {
    const budget = this.#options.memoryBudgetMb;
    if (memoryMb > budget) {
      throw new StratusError('NO_CAPACITY', `the function needs ${memoryMb} MB; this node's budget is ${budget} MB`);
    }
    if (this.#memoryUsedMb + memoryMb <= budget) return;
    // Provisioned environments are never evicted: that is what provisioning promises.
    const idle = [...this.#pools.entries()]
      .filter(([key]) => !this.#floors.has(key))
      .flatMap(([, pool]) => pool.idle)
      .sort((a, b) => a.lastUsedMs - b.lastUsedMs);
    for (const entry of idle) {
      if (this.#memoryUsedMb + memoryMb <= budget) break;
      const pool = this.#pools.get(entry.poolKey);
      if (!pool) continue;
      pool.idle.splice(pool.idle.indexOf(entry), 1);
      this.#dispose(entry);
      this.#dropIfEmpty(entry.poolKey, pool);
    }
    // A spare never costs a call its room: one still being made gives its memory up and is disposed once made.
    for (const reservation of this.#spareReservations) {
      if (this.#memoryUsedMb + memoryMb <= budget) break;
      if (reservation.givenUp) continue;
      reservation.givenUp = true;
      this.#memoryUsedMb -= reservation.memoryMb;
    }
    if (this.#memoryUsedMb + memoryMb > budget) {
      throw new StratusError('NO_CAPACITY', `node memory budget exhausted (${this.#memoryUsedMb} of ${budget} MB in use)`);
    }
  }

  #dispose(entry: Entry<E>): void {
    this.#memoryUsedMb -= entry.memoryMb;
    this.#disposeEnvironment(entry.environment);
  }

  #disposeEnvironment(environment: E): void {
    this.#disposed += 1;
    try {
      environment.dispose();
    } catch (err) {
      this.#options.log.warn({ err }, 'disposing an execution environment failed');
    }
  }

  #dropIfEmpty(key: string, pool: FunctionPool<E>): void {
    if (pool.idle.length === 0 && pool.busy === 0 && pool.provisioning === 0 && pool.growing === 0 && this.#pools.get(key) === pool) {
      this.#pools.delete(key);
    }
  }

  #keyOf(target: InvocationTarget): string {
    let key = this.#keys.get(target);
    if (key === undefined) {
      key = poolKey(target);
      this.#keys.set(target, key);
    }
    return key;
  }
}

/** The target's digest: computed once, where the target was built, and the same for the same settings on every frontend. */
function poolKey(target: InvocationTarget): string {
  return target.digest;
}
