import { availableParallelism } from 'node:os';
import { describe, it, expect } from 'vitest';
import { hasCode } from '@stratus/errors';
import { createIsolateGate, type IsolateGate } from '../src/index.js';
import { BASE_OPTIONS, invoke, parsed, useEnvironments } from './fixtures.js';

/** CPU-bound work in several isolate entries: the invocation, then a timer tick, with top-level await at init. */
const CPU_BOUND = `
await new Promise((resolve) => setTimeout(resolve, 1));
function work(n, seed) {
  let x = seed;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
  return x;
}
export const handler = async (event) => {
  const first = work(event.n, event.seed);
  await new Promise((resolve) => setTimeout(resolve, 1));
  return { seed: event.seed, result: work(event.n, first) };
};
`;

function expected(n: number, seed: number): number {
  const work = (x: number): number => {
    for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
    return x;
  };
  return work(work(seed));
}

/** Takes a slot of `gate` (waiting for one if none is free) and keeps it until `release()`. */
/**
 * Holds a slot as the test functions' own work (they are all 'test-fn'): a
 * function with nothing running could otherwise take the gate's burst slot.
 */
function holdSlot(gate: IsolateGate): { release(): Promise<void> } {
  let letGo = (): void => undefined;
  const held = gate.run(() => new Promise<void>((resolve) => (letGo = resolve)), 'new', BASE_OPTIONS.functionName);
  return {
    release: async () => {
      letGo();
      await held;
    },
  };
}

describe('isolate gate', () => {
  const create = useEnvironments();

  it('runs no more isolates at once than its bound, and every invocation still completes', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 2 });
    const envs = await Promise.all(Array.from({ length: 8 }, () => create(CPU_BOUND, { isolateGate: gate })));
    expect(gate.peakRunning).toBe(2);

    const n = 200_000;
    const calls = envs.map((env, seed) => invoke(env, { n, seed }));
    // Entering the gate happens when invoke() is called: two run, six wait.
    expect(gate.running).toBe(2);
    expect(gate.waiting).toBe(6);
    const outcomes = await Promise.all(calls);

    expect(outcomes.map((o) => o.outcome)).toEqual(Array(8).fill('success'));
    expect(outcomes.map(parsed)).toEqual(envs.map((_, seed) => ({ seed, result: expected(n, seed) })));
    expect(gate.peakRunning).toBe(2);
    expect(gate.running).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('times out an invocation that is still waiting for the gate, as Sandbox.Timedout', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1 });
    const waiting = await create('export const handler = async () => "never runs";', { isolateGate: gate, timeoutMs: 200 });
    const other = await create('export const handler = async () => "runs";', { isolateGate: gate });
    // The test holds the only slot itself, as a busy isolate would, until it lets go.
    const slot = holdSlot(gate);

    const timedOut = await invoke(waiting);
    expect(timedOut.outcome).toBe('timeout');
    expect(timedOut.functionError).toBe('Unhandled');
    expect(parsed(timedOut)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 0\.20 seconds$/) });
    expect(timedOut.cpuMs).toBe(0);
    expect(waiting.usable).toBe(false);
    // The abandoned entry left the queue; the running one keeps its slot.
    expect(gate.waiting).toBe(0);
    expect(gate.running).toBe(1);

    await slot.release();
    expect(gate.running).toBe(0);
    expect(parsed(await invoke(other))).toBe('runs');
  });

  it('bills the handler, not the time its call waited for a slot, and reports the wait', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0 });
    const env = await create('export const handler = async () => "ran";', { isolateGate: gate });
    let releaseSlot = (): void => undefined;
    const held = gate.run(() => new Promise<void>((resolve) => (releaseSlot = resolve)), 'new', 'test-fn');
    const queuedFrom = performance.now();
    const call = invoke(env);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const heldMs = performance.now() - queuedFrom;
    releaseSlot();
    await held;
    const outcome = await call;
    expect(parsed(outcome)).toBe('ran');
    expect(outcome.queuedMs).toBeGreaterThanOrEqual(heldMs - 1);
    expect(outcome.durationMs).toBeLessThan(outcome.queuedMs);
    expect(outcome.billedMs).toBe(Math.max(1, Math.ceil(outcome.durationMs)));
    expect(outcome.report).toContain(`Duration: ${outcome.durationMs.toFixed(2)} ms`);
  });

  it('frees a waiting entry when its environment is disposed', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1 });
    const other = await create('export const handler = async () => 2;', { isolateGate: gate });
    const slot = holdSlot(gate);
    const otherCall = invoke(other);
    expect(gate.waiting).toBe(1);
    other.dispose();
    expect(gate.waiting).toBe(0);
    expect((await otherCall).outcome).toBe('crashed');
    await slot.release();
    expect(gate.running).toBe(0);
  });
});

describe('IsolateGate', () => {
  it('starts waiting entries in arrival order and skips cancelled ones', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1 });
    const order: string[] = [];
    const release: Array<() => void> = [];
    const entry = (name: string) => () => {
      order.push(name);
      return new Promise<void>((resolve) => release.push(resolve));
    };
    const cancelled: string[] = [];
    gate.enter(entry('a'), () => cancelled.push('a'));
    gate.enter(entry('b'), () => cancelled.push('b'));
    const c = gate.enter(entry('c'), () => cancelled.push('c'));
    gate.enter(entry('d'), () => cancelled.push('d'));
    c.cancel();
    c.cancel();
    expect(cancelled).toEqual(['c']);
    expect(gate.waiting).toBe(2);
    for (let i = 0; i < 3; i++) {
      release[i]?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(order).toEqual(['a', 'b', 'd']);
    expect(gate.running).toBe(0);
    expect(gate.peakRunning).toBe(1);
  });

  it('counts each owner\'s waiting entries and says when an owner has none waiting any more', async () => {
    const caughtUp: string[] = [];
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0, lightSlots: 0, onOwnerCaughtUp: (owner) => caughtUp.push(owner) });
    const release: Array<() => void> = [];
    const entry = (): Promise<void> => new Promise<void>((resolve) => release.push(resolve));
    gate.enter(entry, () => undefined, 'new', 'f');
    gate.enter(entry, () => undefined, 'new', 'f');
    const cancelled = gate.enter(entry, () => undefined, 'new', 'g');
    expect([gate.waitingOf('f'), gate.waitingOf('g'), gate.waitingOf('unknown')]).toEqual([1, 1, 0]);
    cancelled.cancel();
    expect(caughtUp).toEqual(['g']);
    release[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.waitingOf('f')).toBe(0);
    expect(caughtUp).toEqual(['g', 'f']);
    release[1]?.();
  });

  it('starts continuations of started work before new work', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1 });
    const order: string[] = [];
    let release = (): void => undefined;
    const entry = (name: string) => () => {
      order.push(name);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const ignore = (): void => undefined;
    gate.enter(entry('running'), ignore);
    gate.enter(entry('new-1'), ignore);
    gate.enter(entry('tick-1'), ignore, 'continuation');
    gate.enter(entry('new-2'), ignore);
    gate.enter(entry('tick-2'), ignore, 'continuation');
    for (let i = 0; i < 5; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(order).toEqual(['running', 'tick-1', 'tick-2', 'new-1', 'new-2']);
  });

  it('shares slots between owners: the owner served least recently goes next, whatever arrived first', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0 });
    const order: string[] = [];
    let release = (): void => undefined;
    const entry = (name: string) => () => {
      order.push(name);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const ignore = (): void => undefined;
    for (const name of ['a1', 'a2', 'a3', 'a4']) gate.enter(entry(name), ignore, 'new', 'a');
    gate.enter(entry('b1'), ignore, 'new', 'b');
    gate.enter(entry('b2'), ignore, 'new', 'b');
    gate.enter(entry('c1'), ignore, 'new', 'c');
    for (let i = 0; i < 7; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('lets an owner with nothing running take a burst slot, one per owner', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 1 });
    const started: string[] = [];
    const releases: Array<() => void> = [];
    const entry = (name: string) => () => {
      started.push(name);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const ignore = (): void => undefined;
    gate.enter(entry('busy-1'), ignore, 'new', 'busy');
    gate.enter(entry('busy-2'), ignore, 'new', 'busy');
    gate.enter(entry('light-1'), ignore, 'new', 'light');
    gate.enter(entry('light-2'), ignore, 'new', 'light');
    gate.enter(entry('other-1'), ignore, 'new', 'other');
    // busy-2 waits for busy's own call; light-1 needs no wait; the burst slot is taken.
    expect(started).toEqual(['busy-1', 'light-1']);
    expect(gate.running).toBe(2);
    releases[1]?.();
    await new Promise((resolve) => setImmediate(resolve));
    // The burst slot went to the other owner with nothing running, before light's second call.
    expect(started).toEqual(['busy-1', 'light-1', 'other-1']);
    expect(gate.peakRunning).toBe(2);
    for (let i = 0; i < 4; i++) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const release of releases.splice(0)) release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started.slice(3).sort()).toEqual(['busy-2', 'light-2']);
  });

  it('rejects a bound that is not a positive integer', () => {
    for (const maxRunningIsolates of [0, -1, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        createIsolateGate({ maxRunningIsolates });
      } catch (err) {
        error = err;
      }
      expect(hasCode(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('isolate gate background entries', () => {
  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  }

  it('starts background work only when nothing else runs or waits, one at a time', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 2 });
    const order: string[] = [];
    const call = deferred();
    const running = gate.run(async () => {
      order.push('call');
      await call.promise;
    });
    const first = gate.run(async () => {
      order.push('background 1');
    }, 'background');
    const second = gate.run(async () => {
      order.push('background 2');
    }, 'background');
    // A free slot is not enough: an invocation is running.
    expect(order).toEqual(['call']);
    expect(gate.waiting).toBe(2);
    const later = gate.run(async () => {
      order.push('later call');
    });
    expect(order).toEqual(['call', 'later call']);
    call.resolve();
    await Promise.all([running, first, second, later]);
    expect(order).toEqual(['call', 'later call', 'background 1', 'background 2']);
    expect(gate.waiting).toBe(0);
    expect(gate.running).toBe(0);
  });
});

describe('isolate gate light slots', () => {
  function entries(gate: IsolateGate): { start(name: string, owner: string, light: boolean): void; started: string[]; finish(name: string): Promise<void> } {
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    return {
      started,
      start(name, owner, light) {
        gate.enter(
          () => {
            started.push(name);
            return new Promise<void>((resolve) => releases.set(name, resolve));
          },
          () => undefined,
          'new',
          owner,
          light,
        );
      },
      async finish(name) {
        releases.get(name)?.();
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  it('lets light entries (short calls) take extra slots, and nothing else', async () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0, lightSlots: 1 });
    const e = entries(gate);
    e.start('heavy-1', 'fn', false);
    e.start('light-1', 'fn', true);
    e.start('light-2', 'fn', true);
    e.start('heavy-2', 'fn', false);
    // The regular slot is taken: a light entry takes the light slot, the next light one and a heavy one wait.
    expect(e.started).toEqual(['heavy-1', 'light-1']);
    expect(gate.running).toBe(2);
    await e.finish('light-1');
    expect(e.started).toEqual(['heavy-1', 'light-1', 'light-2']);
    // Arrival order within an owner holds: heavy-2 waits for the regular slot, whatever light slots are free.
    await e.finish('light-2');
    expect(e.started).toEqual(['heavy-1', 'light-1', 'light-2']);
    await e.finish('heavy-1');
    expect(e.started).toEqual(['heavy-1', 'light-1', 'light-2', 'heavy-2']);
    await e.finish('heavy-2');
    expect(gate.peakRunning).toBe(2);
    expect(gate.running).toBe(0);
  });

  it("by default has a light slot for each of isolated-vm's pool threads (cores + 1), however few regular slots", () => {
    const threads = availableParallelism() + 1;
    expect(createIsolateGate({ maxRunningIsolates: 1 }).lightSlots).toBe(threads);
    expect(createIsolateGate({ maxRunningIsolates: threads + 3 }).lightSlots).toBe(threads + 3);
    // A node of a local cluster on 2 cores has 1 regular slot: a function's trivial calls still run 1 + cores + 1 at once.
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0 });
    const e = entries(gate);
    for (let i = 0; i < threads + 2; i += 1) e.start(`light-${i}`, 'fn', true);
    expect(gate.running).toBe(1 + threads);
    expect(gate.waiting).toBe(1);
  });

  it('has none when lightSlots is 0, and refuses a count that is not a whole number', () => {
    const gate = createIsolateGate({ maxRunningIsolates: 1, burstSlots: 0, lightSlots: 0 });
    const e = entries(gate);
    e.start('a', 'fn', true);
    e.start('b', 'fn', true);
    expect(e.started).toEqual(['a']);
    for (const lightSlots of [-1, 1.5]) {
      let error: unknown;
      try {
        createIsolateGate({ lightSlots });
      } catch (err) {
        error = err;
      }
      expect(hasCode(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
