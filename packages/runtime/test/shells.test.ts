import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutionEnvironment, createShellPool } from '../src/index.js';
import type { ExecutionEnvironment, ExecutionEnvironmentOptions, ShellPool, ShellPoolOptions } from '../src/index.js';
import { bootstrapCodeCacheStats } from '../src/isolate-shell.js';
import { BASE_OPTIONS, consoleLines, invoke, parsed } from './fixtures.js';

/** What a handler can see of its environment: enough to compare a shell-backed environment with a fresh one. */
const INSPECT_SCRIPT = `
let calls = 0;
globalThis.initEnvGreeting = process.env.GREETING;
export const handler = async (event, context) => {
  calls += 1;
  console.log('hi', event.n);
  return {
    calls,
    env: { ...process.env, AWS_LAMBDA_LOG_STREAM_NAME: undefined },
    initEnvGreeting: globalThis.initEnvGreeting,
    leak: globalThis.leak,
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      memoryLimitInMB: context.memoryLimitInMB,
      invokedFunctionArn: context.invokedFunctionArn,
      logGroupName: context.logGroupName,
      awsRequestId: context.awsRequestId,
    },
    streamLooksRight: /^\\d{4}\\/\\d\\d\\/\\d\\d\\/\\[\\$LATEST\\][0-9a-f]{32}$/.test(context.logStreamName),
    streamMatchesEnv: context.logStreamName === process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clockStartedAt: performance.timeOrigin,
    globals: Object.keys(globalThis).sort(),
  };
};
`;

function useShells(): { pool(options?: ShellPoolOptions): ShellPool; env(script: string, overrides?: Partial<ExecutionEnvironmentOptions>): Promise<ExecutionEnvironment> } {
  const pools: ShellPool[] = [];
  const envs: ExecutionEnvironment[] = [];
  afterEach(() => {
    for (const env of envs.splice(0)) env.dispose();
    for (const pool of pools.splice(0)) pool.close();
  });
  return {
    pool(options) {
      const pool = createShellPool(options);
      pools.push(pool);
      return pool;
    },
    async env(script, overrides = {}) {
      const env = await createExecutionEnvironment({ ...BASE_OPTIONS, script, ...overrides });
      envs.push(env);
      return env;
    },
  };
}

/** Asks for spares of a size and waits until the pool holds them. */
async function ready(pool: ShellPool, memoryMb: number, count: number): Promise<void> {
  pool.prepare(memoryMb);
  await vi.waitFor(() => expect(pool.spares).toBe(count), { timeout: 5000, interval: 5 });
}

describe('spare isolate shells', () => {
  const shells = useShells();

  it('runs a function exactly as a fresh environment does', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 1 });
    await ready(pool, 128, 1);
    const initStarted = Date.now();
    const fromShell = await shells.env(INSPECT_SCRIPT, { shells: pool });
    const initEnded = Date.now();
    expect(pool.stats).toEqual({ hits: 1, misses: 0, made: 1 });
    const fresh = await shells.env(INSPECT_SCRIPT);

    const a = await invoke(fromShell, { n: 1 });
    const b = await invoke(fresh, { n: 1 });
    expect(a.outcome).toBe('success');
    expect(a.initDurationMs).toBe(fromShell.initDurationMs);
    const { clockStartedAt, ...fromShellResult } = parsed(a) as Record<string, unknown>;
    const { clockStartedAt: _freshClock, ...freshResult } = parsed(b) as Record<string, unknown>;
    // performance.now() counts from the function's init, not from when the spare isolate was made.
    expect(clockStartedAt).toBeGreaterThanOrEqual(initStarted);
    expect(clockStartedAt).toBeLessThanOrEqual(initEnded);
    // Each invocation has its own request id and trace id.
    const sameShape = (result: Record<string, unknown>): Record<string, unknown> => ({
      ...result,
      context: { ...(result['context'] as object), awsRequestId: '' },
      env: { ...(result['env'] as object), _X_AMZN_TRACE_ID: '' },
    });
    expect(sameShape(fromShellResult)).toEqual(sameShape(freshResult));
    expect(fromShellResult).toMatchObject({
      calls: 1,
      initEnvGreeting: 'hello',
      env: { GREETING: 'hello', AWS_LAMBDA_FUNCTION_NAME: 'test-fn', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' },
      context: { functionName: 'test-fn', memoryLimitInMB: '128', invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:test-fn' },
      streamLooksRight: true,
      streamMatchesEnv: true,
    });
    expect(consoleLines(a)).toEqual([['INFO', 'hi 1']]);
    expect(a.logs).toMatch(/^INIT_START Runtime Version: [^\n]+\nSTART RequestId: req-\d+ Version: \$LATEST\n/);

    const again = await invoke(fromShell, { n: 2 });
    expect(parsed(again)).toMatchObject({ calls: 2 });
    expect(again.initDurationMs).toBeUndefined();
  });

  it('gives functions that take shells one after another nothing of each other', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 2 });
    await ready(pool, 128, 2);
    const first = await shells.env(
      `globalThis.leak = 'from first'; Object.prototype.polluted = 1; process.env.ADDED = 'x';
       export const handler = async () => ({ env: process.env.SECRET });`,
      { shells: pool, functionName: 'first', environment: { SECRET: 'first-secret' } },
    );
    expect(parsed(await invoke(first))).toEqual({ env: 'first-secret' });
    const second = await shells.env(
      `export const handler = async () => ({ leak: globalThis.leak ?? null, polluted: ({}).polluted ?? null, env: process.env.SECRET ?? null, added: process.env.ADDED ?? null, name: process.env.AWS_LAMBDA_FUNCTION_NAME });`,
      { shells: pool, functionName: 'second', environment: {} },
    );
    expect(pool.stats.hits).toBe(2);
    expect(parsed(await invoke(second))).toEqual({ leak: null, polluted: null, env: null, added: null, name: 'second' });
  });

  it('still reports init errors, and the shell is not reused', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 1 });
    await ready(pool, 128, 1);
    const broken = await shells.env(`export const handler = async (event) => { return event.; };`, { shells: pool });
    const outcome = await invoke(broken);
    expect(outcome.outcome).toBe('function_error');
    expect((parsed(outcome) as { errorType: string }).errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(broken.usable).toBe(false);

    const thrower = await shells.env(`throw new Error('boom at init'); export const handler = async () => 1;`, { shells: pool });
    const thrown = await invoke(thrower);
    expect(parsed(thrown)).toMatchObject({ errorType: 'Error', errorMessage: 'boom at init' });
  });

  it('keeps spares per memory size, refills after a cold start, and uses a spare only for its own size', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 2 });
    await ready(pool, 128, 2);
    const env = await shells.env(`export const handler = async () => process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;`, { shells: pool, memoryMb: 256 });
    expect(pool.stats).toEqual({ hits: 0, misses: 1, made: 2 });
    expect(parsed(await invoke(env))).toBe('256');
    await vi.waitFor(() => expect(pool.spares).toBe(4), { timeout: 5000, interval: 5 });
    const warmStart = await shells.env(`export const handler = async () => 1;`, { shells: pool, memoryMb: 256 });
    expect(pool.stats).toEqual({ hits: 1, misses: 1, made: 4 });
    expect(pool.spares).toBe(3);
    // The refill waits for the cold start's first invocation.
    expect(parsed(await invoke(warmStart))).toBe(1);
    await vi.waitFor(() => expect(pool.spares).toBe(4), { timeout: 5000, interval: 5 });
  });

  it('drops the spares of the least recently asked for size beyond maxMemorySizes', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 1, maxMemorySizes: 1 });
    await ready(pool, 128, 1);
    await ready(pool, 256, 1);
    await shells.env(`export const handler = async () => 1;`, { shells: pool, memoryMb: 128 });
    expect(pool.stats.misses).toBe(1);
  });

  it('disposes its spares on close and hands out none after', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 1 });
    await ready(pool, 128, 1);
    pool.close();
    pool.close();
    expect(pool.spares).toBe(0);
    const env = await shells.env(`export const handler = async () => 'fresh';`, { shells: pool });
    expect(parsed(await invoke(env))).toBe('fresh');
  });

  it('keeps no spares when sparesPerMemorySize is 0', async () => {
    const pool = shells.pool({ sparesPerMemorySize: 0 });
    const env = await shells.env(`export const handler = async () => 1;`, { shells: pool });
    expect(parsed(await invoke(env))).toBe(1);
    expect(pool.spares).toBe(0);
  });
});

describe('the runtime bootstrap code cache', () => {
  const shells = useShells();

  it('compiles the bootstrap from V8\'s code cache after the first isolate, for any memory size', async () => {
    const first = await shells.env(`export const handler = async () => 'one';`);
    const before = bootstrapCodeCacheStats();
    expect(before.produced + before.consumed).toBeGreaterThan(0);
    const second = await shells.env(`export const handler = async () => 'two';`, { memoryMb: 256 });
    const after = bootstrapCodeCacheStats();
    expect(after.consumed).toBe(before.consumed + 1);
    expect(after.rejected).toBe(0);
    expect(parsed(await invoke(first))).toBe('one');
    expect(parsed(await invoke(second))).toBe('two');
  });
});
