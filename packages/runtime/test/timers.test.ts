import { describe, expect, it } from 'vitest';
import { consoleLines, invoke, parsed, useEnvironments } from './fixtures.js';

describe('timers inside the isolate', () => {
  const create = useEnvironments();

  it('runs intervals until cleared, and a cleared timeout never fires', async () => {
    const env = await create(`
      export const handler = async () => {
        let ticks = 0;
        let cancelledRan = false;
        const cancelled = setTimeout(() => { cancelledRan = true; }, 5);
        clearTimeout(cancelled);
        await new Promise((resolve) => {
          const interval = setInterval(() => { if (++ticks === 3) { clearInterval(interval); resolve(); } }, 5);
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { ticks, cancelledRan };
      };`);
    expect(parsed(await invoke(env))).toEqual({ ticks: 3, cancelledRan: false });
  });

  it('orders timers, immediates and microtasks as Node does', async () => {
    const env = await create(`
      export const handler = async () => {
        const order = [];
        await new Promise((resolve) => {
          setTimeout(() => { order.push('timeout 1'); Promise.resolve().then(() => order.push('microtask after 1')); }, 0);
          setTimeout(() => { order.push('timeout 2'); }, 0);
          setTimeout(() => { order.push('timeout 10ms'); resolve(); }, 10);
          setImmediate((arg) => order.push('immediate ' + arg), 'x');
          queueMicrotask(() => order.push('queueMicrotask'));
          process.nextTick(() => order.push('nextTick'));
        });
        return order;
      };`);
    const order = parsed(await invoke(env)) as string[];
    expect(order.slice(0, 2).sort()).toEqual(['nextTick', 'queueMicrotask']);
    expect(order.indexOf('microtask after 1')).toBe(order.indexOf('timeout 1') + 1);
    expect(order.indexOf('timeout 2')).toBeGreaterThan(order.indexOf('timeout 1'));
    expect(order).toContain('immediate x');
    expect(order.at(-1)).toBe('timeout 10ms');
  });

  it('returns Node-like timer handles', async () => {
    const env = await create(`
      export const handler = async () => {
        const t = setTimeout(() => {}, 1000);
        const id = Number(t);
        const info = { hasRef: t.hasRef(), unref: t.unref() === t, hasRefAfter: t.hasRef(), id: typeof id };
        clearTimeout(id);
        return info;
      };`);
    expect(parsed(await invoke(env))).toEqual({ hasRef: true, unref: true, hasRefAfter: false, id: 'number' });
  });

  it('freezes pending timers between invocations and runs them, late, in the next one', async () => {
    const env = await create(`
      let fired = 0;
      export const handler = async (event) => {
        if (event.arm) { setTimeout(() => { fired += 1; console.log('late timer fired'); }, 30); return fired; }
        if (event.wait) await new Promise((resolve) => setTimeout(resolve, 5));
        return fired;
      };`);
    expect(parsed(await invoke(env, { arm: true }))).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // Nothing ran while frozen: the handler sees the count before the overdue timer fires.
    expect(parsed(await invoke(env, {}))).toBe(0);
    // Thawed, the overdue timer fires before the handler's own 5 ms timer.
    const third = await invoke(env, { wait: true });
    expect(parsed(third)).toBe(1);
    expect(third.logs).toContain('\tINFO\tlate timer fired');
    expect(env.usable).toBe(true);
  });

  it('attributes a frozen timer that throws to the invocation it fires in', async () => {
    const env = await create(`
      export const handler = async (event) => {
        if (event.arm) { setTimeout(() => { throw new Error('stale timer'); }, 1); return 'armed'; }
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'done';
      };`);
    expect(parsed(await invoke(env, { arm: true }))).toBe('armed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = await invoke(env, {});
    expect(next.outcome).toBe('function_error');
    expect(parsed(next)).toMatchObject({ errorMessage: 'stale timer' });
    expect(env.usable).toBe(false);
  });

  it('does not wait for unref\'d timers in a callback handler', async () => {
    const env = await create(`
      export const handler = (event, context, callback) => {
        const events = [];
        setTimeout(() => { events.push('timer fired'); }, 40).unref();
        callback(null, events);
      };`);
    const outcome = await invoke(env);
    // The result is sent at once, before the timer could add to it.
    expect(parsed(outcome)).toEqual([]);
  });

  it('logs from timers land in the invocation that ran them', async () => {
    const env = await create(`
      export const handler = async () => {
        await new Promise((resolve) => setTimeout(() => { console.log('from timer'); resolve(); }, 5));
        return 1;
      };`);
    const outcome = await invoke(env);
    expect(consoleLines(outcome)).toEqual([['INFO', 'from timer']]);
  });
});
