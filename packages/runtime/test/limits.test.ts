import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { invoke, parsed, useEnvironments } from './fixtures.js';

const SCRIPT = `
  let calls = 0;
  export const handler = async (event) => {
    calls += 1;
    // A pending timer keeps the event loop busy, so only the timeout ends the wait.
    if (event.mode === 'async') { console.log('waiting forever'); setInterval(() => {}, 1000); await new Promise(() => {}); }
    if (event.mode === 'sync') for (;;) {}
    if (event.mode === 'bomb') { const hoard = []; for (;;) hoard.push(new Array(100000).fill(calls)); }
    return { calls };
  };`;

describe('timeouts', () => {
  const create = useEnvironments();

  it('stops a handler that never resolves and reports Sandbox.Timedout', async () => {
    const env = await create(SCRIPT, { timeoutMs: 1000 });
    const outcome = await invoke(env, { mode: 'async' });
    expect(outcome.outcome).toBe('timeout');
    expect(outcome.functionError).toBe('Unhandled');
    // Lambda's payload names the request; its log line does not.
    expect(parsed(outcome)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/) });
    expect(outcome.report).toContain('Status: timeout');
    // The handler ran until the deadline stopped it, and the log says so in that order.
    const started = outcome.logs.indexOf('waiting forever');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(outcome.logs.indexOf('Task timed out after 1.00 seconds')).toBeGreaterThan(started);
    expect(outcome.logs).not.toContain('Error: Task timed out');
    expect(env.usable).toBe(false);
    const err = await invoke(env).catch((e: unknown) => e);
    expect(hasCode(err, 'INTERNAL')).toBe(true);

    const fresh = await create(SCRIPT, { timeoutMs: 1000 });
    expect(parsed(await invoke(fresh))).toEqual({ calls: 1 });
  });

  it('stops a synchronous infinite loop', async () => {
    const env = await create(SCRIPT, { timeoutMs: 300 });
    const outcome = await invoke(env, { mode: 'sync' });
    expect(outcome.outcome).toBe('timeout');
    expect(parsed(outcome)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 0\.30 seconds$/) });
    expect(env.usable).toBe(false);

    const fresh = await create(SCRIPT, { timeoutMs: 300 });
    expect(parsed(await invoke(fresh))).toEqual({ calls: 1 });
  });

  it('stops an infinite loop inside a timer callback', async () => {
    const env = await create(`export const handler = async () => { setTimeout(() => { for (;;) {} }, 1); await new Promise(() => {}); };`, {
      timeoutMs: 300,
    });
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('timeout');
    expect(env.usable).toBe(false);
  });

  it('answers a handler that returns while its microtasks never end, stops them at the timeout and does not reuse the environment', async () => {
    const env = await create(`export const handler = async () => { const loop = () => queueMicrotask(loop); loop(); return 'answered'; };`, { timeoutMs: 300 });
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(parsed(outcome)).toBe('answered');
    expect(env.usable).toBe(false);
  });

  it('answers a handler that calls back from a timer and then loops there, stops the loop at the timeout and does not reuse the environment', async () => {
    const env = await create(
      `export const handler = (event, context, callback) => { context.callbackWaitsForEmptyEventLoop = false; setTimeout(() => { callback(null, 'answered'); for (;;) {} }, 1); };`,
      { timeoutMs: 300 },
    );
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(parsed(outcome)).toBe('answered');
    expect(env.usable).toBe(false);
  });

  it('times out a module whose top-level await waits for a timer that never returns', async () => {
    const env = await create(`await new Promise((resolve) => setTimeout(() => { for (;;) {} }, 1)); export const handler = async () => 1;`, { initTimeoutMs: 300 });
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('timeout');
    expect(env.usable).toBe(false);
  });

  it('times out a module that never finishes its top-level code', async () => {
    const env = await create(`for (;;) {} export const handler = async () => 1;`, { initTimeoutMs: 300 });
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('timeout');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(env.usable).toBe(false);
  });
});

describe('memory limit', () => {
  const create = useEnvironments();

  it('contains a memory bomb: crashed outcome, process survives, fresh environment works', async () => {
    const env = await create(SCRIPT, { memoryMb: 32, timeoutMs: 10_000 });
    const outcome = await invoke(env, { mode: 'bomb' });
    expect(outcome.outcome).toBe('crashed');
    expect(outcome.functionError).toBe('Unhandled');
    const error = parsed(outcome) as { errorType: string; errorMessage: string };
    expect(error.errorType).toBe('Runtime.OutOfMemory');
    expect(error.errorMessage).toContain('memory limit of 32 MB');
    expect(outcome.maxMemoryUsedMb).toBe(32);
    expect(env.usable).toBe(false);

    const fresh = await create(SCRIPT, { memoryMb: 32 });
    expect(parsed(await invoke(fresh))).toEqual({ calls: 1 });
  });
});

describe('lifecycle', () => {
  const create = useEnvironments();

  it('ends an invocation in flight as crashed when disposed, and dispose is idempotent', async () => {
    const env = await create(`export const handler = async () => { setTimeout(() => {}, 60_000); return new Promise(() => {}); };`);
    const pending = invoke(env);
    await new Promise((resolve) => setTimeout(resolve, 20));
    env.dispose();
    env.dispose();
    const outcome = await pending;
    expect(outcome.outcome).toBe('crashed');
    expect(env.usable).toBe(false);
  });

  it('refuses a second invocation while one runs', async () => {
    const env = await create(`export const handler = async () => { await new Promise((r) => setTimeout(r, 30)); return 1; };`);
    const first = invoke(env);
    const err = await invoke(env).catch((e: unknown) => e);
    expect(hasCode(err, 'INTERNAL')).toBe(true);
    expect((await first).outcome).toBe('success');
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    for (const overrides of [{ memoryMb: 4 }, { memoryMb: 128.5 }, { timeoutMs: 0 }, { timeoutMs: Number.NaN }]) {
      const err = await create('export const handler = () => 1;', overrides).catch((e: unknown) => e);
      expect(hasCode(err, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
