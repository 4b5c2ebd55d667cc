import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { hasCode } from '@stratus/errors';
import { invocationTargetOf, type InvocationTarget } from '@stratus/contracts';
import { EnvironmentPool, MIN_PEAK_WINDOW_MS, type PooledEnvironment } from '../src/environment-pool.js';

class FakeEnvironment implements PooledEnvironment {
  usable = true;
  disposed = false;
  constructor(readonly target: InvocationTarget) {}
  dispose(): void {
    this.disposed = true;
  }
}

function target(name: string, memoryMb = 128, codeSha256 = 'a'.repeat(64)): InvocationTarget {
  return invocationTargetOf({ name, version: '$LATEST', codeSha256, handler: 'index.handler', memoryMb, timeoutSec: 3, ephemeralStorageMb: 512, environment: {}, egress: { mode: 'public', allow: [] }, logging: { logFormat: 'Text' } });
}

describe('EnvironmentPool', () => {
  let clock = 0;
  const created: FakeEnvironment[] = [];
  let pool: EnvironmentPool<FakeEnvironment>;
  const makePool = (memoryBudgetMb: number, keepWarmMs = 1000): EnvironmentPool<FakeEnvironment> => {
    pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb,
      keepWarmMs,
      // Counted environments here are the calls' own; spares have tests of their own.
      spareEnvironmentsPercent: 0,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      now: () => clock,
      create: (t) => {
        const env = new FakeEnvironment(t);
        created.push(env);
        return Promise.resolve(env);
      },
    });
    return pool;
  };
  afterEach(() => {
    pool.close();
    created.length = 0;
    clock = 0;
  });

  it('reuses a warm environment for the next call (one call at a time each)', async () => {
    makePool(1024);
    const first = await pool.acquire(target('fn'));
    expect(first.cold).toBe(true);
    const concurrent = await pool.acquire(target('fn'));
    expect(concurrent.cold).toBe(true);
    expect(concurrent.environment).not.toBe(first.environment);
    pool.release(target('fn'), first);
    const again = await pool.acquire(target('fn'));
    expect(again.cold).toBe(false);
    expect(again.environment).toBe(first.environment);
    expect(pool.stats()).toEqual({ warmIsolates: 2, functions: [{ functionName: 'fn', version: '$LATEST', idle: 0, busy: 2, provisioned: 0 }] });
  });

  it('never reuses an environment of older code or configuration', async () => {
    makePool(1024);
    const old = await pool.acquire(target('fn', 128, 'a'.repeat(64)));
    pool.release(target('fn', 128, 'a'.repeat(64)), old);
    const fresh = await pool.acquire(target('fn', 128, 'b'.repeat(64)));
    expect(fresh.cold).toBe(true);
    expect(fresh.environment).not.toBe(old.environment);
  });

  it('disposes environments that are no longer usable (timed out, crashed)', async () => {
    makePool(1024);
    const lease = await pool.acquire(target('fn'));
    lease.environment.usable = false;
    pool.release(target('fn'), lease);
    expect(lease.environment.disposed).toBe(true);
    expect(pool.memoryUsedMb).toBe(0);
    expect((await pool.acquire(target('fn'))).cold).toBe(true);
  });

  it('goes to zero after the keep-warm period', async () => {
    makePool(1024, 1000);
    const lease = await pool.acquire(target('fn'));
    pool.release(target('fn'), lease);
    clock = 999;
    pool.reapIdle();
    expect(pool.stats().warmIsolates).toBe(1);
    clock = 1001;
    pool.reapIdle();
    expect(pool.stats()).toEqual({ warmIsolates: 0, functions: [] });
    expect(lease.environment.disposed).toBe(true);
    expect(pool.memoryUsedMb).toBe(0);
  });

  it('evicts the least recently used idle environments of other functions before refusing', async () => {
    makePool(256);
    const a = await pool.acquire(target('a'));
    const b = await pool.acquire(target('b'));
    clock = 1;
    pool.release(target('a'), a);
    clock = 2;
    pool.release(target('b'), b);
    const c = await pool.acquire(target('c'));
    expect(c.cold).toBe(true);
    expect(a.environment.disposed).toBe(true);
    expect(b.environment.disposed).toBe(false);
    expect(pool.memoryUsedMb).toBe(256);
  });

  it('refuses with NO_CAPACITY when busy environments fill the budget', async () => {
    makePool(256);
    await pool.acquire(target('a'));
    await pool.acquire(target('a'));
    await expect(pool.acquire(target('b'))).rejects.toSatisfy((err) => hasCode(err, 'NO_CAPACITY'));
    await expect(pool.acquire(target('big', 512))).rejects.toThrow(/budget is 256 MB/);
  });
});

describe('EnvironmentPool cold starts', () => {
  it('runs at most maxConcurrentColdStarts at once, and a waiting call takes an environment that comes back warm', async () => {
    let creating = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      maxConcurrentColdStarts: 1,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      create: async (t) => {
        creating += 1;
        peak = Math.max(peak, creating);
        await new Promise<void>((resolve) => gates.push(resolve));
        creating -= 1;
        return new FakeEnvironment(t);
      },
    });
    try {
      const calls = [pool.acquire(target('fn')), pool.acquire(target('fn')), pool.acquire(target('fn'))];
      await new Promise((r) => setImmediate(r));
      expect(gates.length).toBe(1);
      gates.shift()!();
      const first = await calls[0]!;
      // The freed slot went to the second call; the third is still waiting when the first comes back idle.
      pool.release(target('fn'), first);
      const third = await calls[2]!;
      expect(third.cold).toBe(false);
      expect(third.environment).toBe(first.environment);
      gates.shift()!();
      expect((await calls[1]!).cold).toBe(true);
      expect(peak).toBe(1);
    } finally {
      pool.close();
    }
  });
});

describe('EnvironmentPool provisioned concurrency', () => {
  it('keeps N environments initialised through idle periods, serves calls from them warm, and lets go when unprovisioned', async () => {
    let clock = 0;
    const created: FakeEnvironment[] = [];
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      keepWarmMs: 1000,
      spareEnvironmentsPercent: 0,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      now: () => clock,
      create: (t) => {
        const env = new FakeEnvironment(t);
        created.push(env);
        return Promise.resolve(env);
      },
    });
    try {
      pool.setProvisioned([{ target: target('fn'), count: 3 }]);
      await new Promise((r) => setImmediate(r));
      expect(created.length).toBe(3);
      expect(pool.stats().functions).toEqual([{ functionName: 'fn', version: '$LATEST', idle: 3, busy: 0, provisioned: 3 }]);

      const leases = [await pool.acquire(target('fn')), await pool.acquire(target('fn')), await pool.acquire(target('fn'))];
      expect(leases.every((l) => !l.cold)).toBe(true);
      const spill = await pool.acquire(target('fn'));
      expect(spill.cold).toBe(true);
      for (const lease of [...leases, spill]) pool.release(target('fn'), lease);

      clock = 10_000;
      pool.reapIdle();
      // The on-demand one ages out; the provisioned three stay.
      expect(pool.stats().functions[0]).toMatchObject({ idle: 3, provisioned: 3 });

      pool.setProvisioned([]);
      pool.reapIdle();
      expect(pool.stats().functions).toEqual([]);
    } finally {
      pool.close();
    }
  });
});

describe('EnvironmentPool background work', () => {
  it('runs background work only in a cold-start slot no call is waiting for', async () => {
    const gates: Array<() => void> = [];
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      maxConcurrentColdStarts: 1,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      create: async (t) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return new FakeEnvironment(t);
      },
    });
    try {
      const order: string[] = [];
      const first = pool.acquire(target('a'));
      const second = pool.acquire(target('b'));
      const background = pool.runBackground(async () => {
        order.push('background');
      });
      await new Promise((r) => setImmediate(r));
      expect(order).toEqual([]);
      gates.shift()!();
      await first;
      await new Promise((r) => setImmediate(r));
      // The slot went to the waiting call, not to the background work.
      expect(order).toEqual([]);
      expect(gates.length).toBe(1);
      gates.shift()!();
      await second;
      await background;
      expect(order).toEqual(['background']);
    } finally {
      pool.close();
    }
  });

  it('skips background work once closed', async () => {
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      create: (t) => Promise.resolve(new FakeEnvironment(t)),
    });
    pool.close();
    let ran = false;
    await pool.runBackground(async () => {
      ran = true;
    });
    expect(ran).toBe(false);
  });
});

describe('EnvironmentPool spare environments', () => {
  let clock = 0;
  const created: FakeEnvironment[] = [];
  /** Which creations (numbered from 1) wait for the test to let them finish. */
  let holdCreate: (n: number) => boolean = () => false;
  let creates = 0;
  const held: Array<() => void> = [];
  let pool: EnvironmentPool<FakeEnvironment>;
  const makePool = (options: { memoryBudgetMb?: number; spareEnvironmentsPercent: number; keepWarmMs?: number }): EnvironmentPool<FakeEnvironment> => {
    pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: options.memoryBudgetMb ?? 10_000,
      keepWarmMs: options.keepWarmMs ?? 1000,
      spareEnvironmentsPercent: options.spareEnvironmentsPercent,
      reapIntervalMs: 3_600_000,
      log: pino({ level: 'silent' }),
      now: () => clock,
      create: async (t) => {
        creates += 1;
        if (holdCreate(creates)) await new Promise<void>((resolve) => held.push(resolve));
        const env = new FakeEnvironment(t);
        created.push(env);
        return env;
      },
    });
    return pool;
  };
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r));
  };
  afterEach(() => {
    pool.close();
    created.length = 0;
    held.length = 0;
    holdCreate = () => false;
    creates = 0;
    clock = 0;
  });

  it('makes spares in the background once a function runs calls at once, so the call past its peak starts warm', async () => {
    makePool({ spareEnvironmentsPercent: 50 });
    await Promise.all([1, 2, 3, 4].map(() => pool.acquire(target('fn'))));
    await settle();
    // Peak 4, 50 %: two spares, idle beside the four busy ones.
    expect(pool.stats().functions).toEqual([{ functionName: 'fn', version: '$LATEST', idle: 2, busy: 4, provisioned: 0 }]);
    const fifth = await pool.acquire(target('fn'));
    expect(fifth.cold).toBe(false);
  });

  it('makes none for a function called one at a time, or when disabled', async () => {
    makePool({ spareEnvironmentsPercent: 50 });
    for (let i = 0; i < 3; i += 1) pool.release(target('one'), await pool.acquire(target('one')));
    await settle();
    expect(created.length).toBe(1);
    pool.close();
    created.length = 0;

    makePool({ spareEnvironmentsPercent: 0 });
    await Promise.all([1, 2, 3, 4].map(() => pool.acquire(target('fn'))));
    await settle();
    expect(created.length).toBe(4);
  });

  it('never takes memory a call needs: a spare being made gives its room up and is disposed once made', async () => {
    // Room for four 128 MB environments.
    makePool({ memoryBudgetMb: 512, spareEnvironmentsPercent: 100 });
    // The second call asks for two spares (creations 2 and 3) before its own cold start: they wait.
    holdCreate = (n) => n === 2 || n === 3;
    const busy = [await pool.acquire(target('fn')), await pool.acquire(target('fn'))];
    await settle();
    // Two spares are being made and hold the rest of the budget.
    expect(held.length).toBe(2);
    expect(pool.memoryUsedMb).toBe(512);
    const other = await pool.acquire(target('other'));
    expect(other.cold).toBe(true);
    for (const release of held.splice(0)) release();
    await settle();
    // Both spares were made: the one whose room the call took was disposed, the other waits idle.
    expect(created.filter((env) => env.target.name === 'fn' && env.disposed).length).toBe(1);
    expect(pool.memoryUsedMb).toBe(512);
    expect(pool.stats().functions.find((f) => f.functionName === 'fn')).toMatchObject({ idle: 1, busy: 2 });
    for (const lease of busy) pool.release(target('fn'), lease);
  });

  it('keeps a function in use at its recent peak and spares past the keep-warm period, and nothing once nobody calls it', async () => {
    makePool({ spareEnvironmentsPercent: 50, keepWarmMs: 1000 });
    const leases = await Promise.all([1, 2, 3, 4].map(() => pool.acquire(target('fn'))));
    for (const lease of leases) pool.release(target('fn'), lease);
    await settle();
    expect(pool.stats().warmIsolates).toBe(6);
    // Called one at a time for longer than the keep-warm period: the peak's environments and the spares stay.
    for (clock = 200; clock <= 1600; clock += 200) {
      pool.release(target('fn'), await pool.acquire(target('fn')));
      pool.reapIdle();
    }
    expect(pool.stats().warmIsolates).toBe(6);
    // Nobody calls it for the keep-warm period: it goes to zero, spares included.
    clock += 1001;
    pool.reapIdle();
    expect(pool.stats()).toEqual({ warmIsolates: 0, functions: [] });
    expect(created.every((env) => env.disposed)).toBe(true);
  });

  it('remembers a steady load\'s peak for at least MIN_PEAK_WINDOW_MS whatever the keep-warm period, so steady load makes no environments', async () => {
    makePool({ spareEnvironmentsPercent: 0, keepWarmMs: 1000 });
    const peakOf = async (n: number): Promise<void> => {
      const leases = await Promise.all(Array.from({ length: n }, () => pool.acquire(target('fn'))));
      for (const lease of leases) pool.release(target('fn'), lease);
    };
    await peakOf(4);
    expect(pool.churn).toEqual({ created: { cold: 4, spare: 0, provisioned: 0 }, disposed: 0 });
    // Load that swings between 2 and 4 calls at once, reaped every 200 ms: the 4 stay, long past the keep-warm period.
    for (clock = 200; clock < MIN_PEAK_WINDOW_MS; clock += 200) {
      await peakOf(clock % 5000 === 0 ? 4 : 2);
      pool.reapIdle();
    }
    expect(pool.churn).toEqual({ created: { cold: 4, spare: 0, provisioned: 0 }, disposed: 0 });
    expect(pool.stats().warmIsolates).toBe(4);
    // Two calls at once for two whole windows: the peak of 4 is forgotten and the pool shrinks to 2.
    for (; clock < 3 * MIN_PEAK_WINDOW_MS; clock += 200) {
      await peakOf(2);
      pool.reapIdle();
    }
    expect(pool.stats().warmIsolates).toBe(2);
    expect(pool.churn).toEqual({ created: { cold: 4, spare: 0, provisioned: 0 }, disposed: 2 });
  });
});

describe('EnvironmentPool while calls queue for isolate slots', () => {
  let queued = true;
  let pool: EnvironmentPool<FakeEnvironment>;
  afterEach(() => pool.close());
  const makePool = (): EnvironmentPool<FakeEnvironment> => {
    queued = true;
    pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      spareEnvironmentsPercent: 50,
      reapIntervalMs: 3_600_000,
      callsWaitingForSlot: () => queued,
      log: pino({ level: 'silent' }),
      create: (t) => Promise.resolve(new FakeEnvironment(t)),
    });
    return pool;
  };

  it('gives a call the environment that comes back instead of making another that would queue too', async () => {
    makePool();
    const first = await pool.acquire(target('fn'));
    let second: Lease | undefined;
    void pool.acquire(target('fn')).then((lease) => (second = lease));
    await new Promise((r) => setImmediate(r));
    expect(second).toBeUndefined();
    pool.release(target('fn'), first);
    await new Promise((r) => setImmediate(r));
    expect(second).toMatchObject({ environment: first.environment, cold: false });
    expect(pool.churn.created).toEqual({ cold: 1, spare: 0, provisioned: 0 });
  });

  it('tells a combined frontend how many calls wait for an environment, and how long calls hold one', async () => {
    makePool();
    expect(pool.outlook(target('fn'))).toEqual({ idle: 0, busy: 0, waiting: 0, meanHoldMs: undefined });
    const first = await pool.acquire(target('fn'));
    const waiters = [pool.acquire(target('fn')), pool.acquire(target('fn'))];
    await new Promise((r) => setImmediate(r));
    expect(pool.outlook(target('fn'))).toEqual({ idle: 0, busy: 1, waiting: 2, meanHoldMs: undefined });
    pool.release(target('fn'), first);
    const second = await waiters[0]!;
    const afterOne = pool.outlook(target('fn'));
    expect(afterOne).toMatchObject({ idle: 0, busy: 1, waiting: 1 });
    expect(afterOne.meanHoldMs).toBeGreaterThanOrEqual(0);
    pool.release(target('fn'), second);
    pool.release(target('fn'), await waiters[1]!);
    expect(pool.outlook(target('fn'))).toMatchObject({ idle: 1, busy: 0, waiting: 0 });
    // Another function's pool is its own.
    expect(pool.outlook(target('other'))).toEqual({ idle: 0, busy: 0, waiting: 0, meanHoldMs: undefined });
  });

  it('starts one once the function\'s calls stop queueing, with none come back', async () => {
    makePool();
    await pool.acquire(target('fn'));
    let second: Lease | undefined;
    void pool.acquire(target('fn')).then((lease) => (second = lease));
    await new Promise((r) => setImmediate(r));
    expect(second).toBeUndefined();
    queued = false;
    pool.functionCaughtUp('fn');
    await new Promise((r) => setImmediate(r));
    expect(second?.cold).toBe(true);
    expect(pool.churn.created.cold).toBe(2);
  });
});

describe('EnvironmentPool spares while calls queue for isolate slots', () => {
  it('makes no spare asked for before the function\'s calls began to queue for slots', async () => {
    let queued = false;
    const creations: Array<() => void> = [];
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      spareEnvironmentsPercent: 50,
      maxConcurrentColdStarts: 1,
      reapIntervalMs: 3_600_000,
      callsWaitingForSlot: () => queued,
      log: pino({ level: 'silent' }),
      create: async (t) => {
        await new Promise<void>((resolve) => creations.push(resolve));
        return new FakeEnvironment(t);
      },
    });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r));
    };
    try {
      const first = pool.acquire(target('fn'));
      const second = pool.acquire(target('fn'));
      await settle();
      creations.shift()?.();
      await first;
      await settle();
      // The second call's cold start holds the only slot; the spare its peak of 2 asked for waits for it.
      queued = true;
      creations.shift()?.();
      await second;
      await settle();
      expect(creations.length).toBe(0);
      expect(pool.churn.created).toEqual({ cold: 2, spare: 0, provisioned: 0 });
    } finally {
      pool.close();
    }
  });
});

describe('EnvironmentPool holding a call back', () => {
  afterEach(() => vi.useRealTimers());

  it('starts an environment after all once its call has waited a second for one to come back', async () => {
    vi.useFakeTimers();
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      reapIntervalMs: 3_600_000,
      callsWaitingForSlot: () => true,
      log: pino({ level: 'silent' }),
      create: (t) => Promise.resolve(new FakeEnvironment(t)),
    });
    try {
      await pool.acquire(target('fn'));
      let second: Lease | undefined;
      void pool.acquire(target('fn')).then((lease) => (second = lease));
      await vi.advanceTimersByTimeAsync(999);
      expect(second).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(second?.cold).toBe(true);
    } finally {
      pool.close();
    }
  });

  it('holds a call back for a second of its clock in all, however often it is woken before then', async () => {
    // Driven by the pool's own clock and woken by hand: no timer fires, and nothing here waits in real time.
    let clock = 50_000;
    let waiting = true;
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      reapIntervalMs: 3_600_000,
      callsWaitingForSlot: () => waiting,
      log: pino({ level: 'silent' }),
      now: () => clock,
      create: (t) => Promise.resolve(new FakeEnvironment(t)),
    });
    try {
      const first = await pool.acquire(target('fn'));
      let second: Lease | undefined;
      void pool.acquire(target('fn')).then((lease) => (second = lease));
      const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
      await settle();
      expect(second).toBeUndefined();
      // Woken with the function's calls still queued and nothing back: it waits again, for what is left of its second.
      clock += 600;
      pool.functionCaughtUp('fn');
      await settle();
      expect(second).toBeUndefined();
      clock += 399;
      pool.functionCaughtUp('fn');
      await settle();
      expect(second).toBeUndefined();
      expect(pool.churn.created.cold).toBe(1);
      // A second after it was first held back, the next wake starts an environment of its own.
      clock += 1;
      pool.functionCaughtUp('fn');
      await settle();
      expect(second?.cold).toBe(true);
      expect(second?.environment).not.toBe(first.environment);

      // Held back again, a call takes the environment that comes back, however early: no cold start.
      let third: Lease | undefined;
      void pool.acquire(target('fn')).then((lease) => (third = lease));
      await settle();
      expect(third).toBeUndefined();
      pool.release(target('fn'), first);
      await settle();
      expect(third).toMatchObject({ cold: false, environment: first.environment });
      expect(pool.churn.created.cold).toBe(2);

      // Once the function's calls stop queueing for slots, a woken call starts one at once.
      waiting = false;
      let fourth: Lease | undefined;
      void pool.acquire(target('fn')).then((lease) => (fourth = lease));
      await settle();
      expect(fourth?.cold).toBe(true);
    } finally {
      pool.close();
    }
  });

  it('lets a call held back fail as the node shuts down', async () => {
    const pool = new EnvironmentPool<FakeEnvironment>({
      memoryBudgetMb: 10_000,
      reapIntervalMs: 3_600_000,
      callsWaitingForSlot: () => true,
      log: pino({ level: 'silent' }),
      create: (t) => Promise.resolve(new FakeEnvironment(t)),
    });
    await pool.acquire(target('fn'));
    const held = pool.acquire(target('fn'));
    pool.close();
    await expect(held).rejects.toSatisfy((err: unknown) => hasCode(err, 'SHUTTING_DOWN'));
  });
});

type Lease = Awaited<ReturnType<EnvironmentPool<FakeEnvironment>['acquire']>>;
