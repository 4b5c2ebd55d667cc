import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { consoleLines, invoke, parsed, useEnvironments } from './fixtures.js';

describe('invoking a handler', () => {
  const create = useEnvironments();

  it('returns the JSON of an async handler result', async () => {
    const env = await create(`export const handler = async (event) => ({ echo: event, ok: true });`);
    const outcome = await invoke(env, { a: 1 });
    expect(outcome.outcome).toBe('success');
    expect(outcome.functionError).toBeUndefined();
    expect(parsed(outcome)).toEqual({ echo: { a: 1 }, ok: true });
    expect(env.usable).toBe(true);
  });

  it('answers null for a non-async handler that returns a value without calling back, as Node 20 Lambda does', async () => {
    const env = await create(`export const handler = (event) => event.n * 2; export const nothing = () => {};`);
    expect(parsed(await invoke(env, { n: 21 }))).toBe(null);
    const env2 = await create(`export const handler = () => undefined;`);
    expect((await invoke(env2)).resultJson).toBe('null');
  });

  it('treats an empty payload as an empty event', async () => {
    const env = await create(`export const handler = async (event) => event;`);
    const outcome = await env.invoke({ requestId: 'r-empty', eventJson: '' });
    expect(parsed(outcome)).toEqual({});
  });

  it('rejects a payload that is not JSON and stays usable', async () => {
    const env = await create(`export const handler = async (event) => event;`);
    const err = await env.invoke({ requestId: 'r-bad', eventJson: '{nope' }).catch((e: unknown) => e);
    expect(hasCode(err, 'INVALID_PAYLOAD')).toBe(true);
    expect(env.usable).toBe(true);
    expect(parsed(await invoke(env, { fine: true }))).toEqual({ fine: true });
  });

  it('waits for a handler that awaits a timer, and reports a duration that covers the wait', async () => {
    const env = await create(`
      export const handler = async () => {
        const events = ['handler started'];
        const started = Date.now();
        await new Promise((resolve) => setTimeout(() => { events.push('timer fired'); resolve(); }, 50));
        events.push('handler returned');
        return { events, waitedMs: Date.now() - started };
      };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    const { events, waitedMs } = parsed(outcome) as { events: string[]; waitedMs: number };
    expect(events).toEqual(['handler started', 'timer fired', 'handler returned']);
    // The handler's own clock has whole milliseconds, so it can overstate by less than one.
    expect(outcome.durationMs).toBeGreaterThan(waitedMs - 1);
  });

  it('keeps module-scope state across warm invocations, and reports init only on the first', async () => {
    const env = await create(`let count = 0; export const handler = async () => ++count;`);
    const first = await invoke(env);
    const second = await invoke(env);
    const third = await invoke(env);
    expect([first, second, third].map(parsed)).toEqual([1, 2, 3]);
    expect(first.initDurationMs).toBe(env.initDurationMs);
    expect(first.report).toContain('Init Duration:');
    expect(second.initDurationMs).toBeUndefined();
    expect(second.report).not.toContain('Init Duration');
  });

  it('gives the handler a Lambda context', async () => {
    const env = await create(
      `export const handler = async (event, context) => {
        const first = context.getRemainingTimeInMillis();
        const deadline = first + Date.now();
        await new Promise((resolve) => setTimeout(resolve, 30));
        const { getRemainingTimeInMillis, ...fields } = context;
        return { fields, first, deadline, second: context.getRemainingTimeInMillis() };
      };`,
      { functionName: 'orders', functionVersion: '7', memoryMb: 256, timeoutMs: 5000, region: 'eu-west-1' },
    );
    const before = Date.now();
    const outcome = await env.invoke({ requestId: 'req-ctx', eventJson: '{}' });
    const after = Date.now();
    const { fields, first, deadline, second } = parsed(outcome) as { fields: Record<string, unknown>; first: number; deadline: number; second: number };
    expect(fields).toMatchObject({
      awsRequestId: 'req-ctx',
      functionName: 'orders',
      functionVersion: '7',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:orders',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/orders',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(fields['logStreamName']).toMatch(/^\d{4}\/\d\d\/\d\d\/\[7\][0-9a-f]{32}$/);
    // The remaining time counts down to the configured timeout after the invocation started.
    expect(deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(deadline).toBeLessThanOrEqual(after + 5000);
    expect(second).toBeLessThan(first);
  });

  it('exposes the function environment and Lambda variables in process.env', async () => {
    const env = await create(`export const handler = async () => process.env;`, {
      functionName: 'envy',
      environment: { DB_HOST: 'db.internal', GREETING: 'hi' },
    });
    const vars = parsed(await invoke(env)) as Record<string, string>;
    expect(vars).toMatchObject({
      DB_HOST: 'db.internal',
      GREETING: 'hi',
      AWS_LAMBDA_FUNCTION_NAME: 'envy',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_REGION: 'local',
      _HANDLER: 'index.handler',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/envy',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      LAMBDA_TASK_ROOT: '/var/task',
      NODE_PATH: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
    });
    expect(vars['AWS_LAMBDA_LOG_FORMAT']).toBeUndefined();
    expect(vars['AWS_LAMBDA_LOG_STREAM_NAME']).toMatch(/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('resolves nested handler paths and CommonJS bundles (module.exports as default)', async () => {
    const nested = await create(`export const api = { v1: { get: async () => 'nested' } };`, { handler: 'src/app.api.v1.get' });
    expect(parsed(await invoke(nested))).toBe('nested');
    const cjs = await create(`var module = { exports: {} }; module.exports.handler = async () => 'cjs'; export default module.exports;`);
    expect(parsed(await invoke(cjs))).toBe('cjs');
  });

  it('runs the whole top-level await before the first invocation', async () => {
    const env = await create(`
      const started = Date.now();
      const config = await new Promise((resolve) => setTimeout(() => resolve({ loaded: true }), 20));
      const awaitedMs = Date.now() - started;
      export const handler = async () => ({ config, awaitedMs });`);
    const { config, awaitedMs } = parsed(await invoke(env)) as { config: unknown; awaitedMs: number };
    expect(config).toEqual({ loaded: true });
    // Init Duration includes the await (the module's clock has whole milliseconds).
    expect(env.initDurationMs).toBeGreaterThan(awaitedMs - 1);
  });
});

describe('callback handlers', () => {
  const create = useEnvironments();

  it('returns what the callback was given', async () => {
    const env = await create(`export const handler = (event, context, callback) => { setTimeout(() => callback(null, { got: event.x }), 10); };`);
    expect(parsed(await invoke(env, { x: 5 }))).toEqual({ got: 5 });
  });

  it('reports an error passed to the callback', async () => {
    const env = await create(`export const handler = (event, context, callback) => callback(new RangeError('out of range'));`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' });
  });

  it('waits for pending timers unless callbackWaitsForEmptyEventLoop is false', async () => {
    const waits = await create(`
      let log = [];
      export const handler = (event, context, callback) => {
        log = [];
        context.callbackWaitsForEmptyEventLoop = event.wait;
        setTimeout(() => { log.push('late timer'); }, event.delayMs);
        callback(null, log);
      };`);
    const waited = await invoke(waits, { wait: true, delayMs: 40 });
    // Lambda serialises the result when it sends it, after the loop emptied.
    expect(parsed(waited)).toEqual(['late timer']);
    // Without waiting, it is sent at once: before the timer could add to it.
    const quick = await invoke(waits, { wait: false, delayMs: 40 });
    expect(quick.outcome).toBe('success');
    expect(parsed(quick)).toEqual([]);
  });
});

describe('function errors', () => {
  const create = useEnvironments();

  it('turns a thrown Error into Lambda\'s error object', async () => {
    const env = await create(`
      class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
      export const handler = async () => { throw new ValidationError('bad input'); };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(outcome.functionError).toBe('Unhandled');
    const error = parsed(outcome) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('ValidationError');
    expect(error.errorMessage).toBe('bad input');
    expect(error.trace[0]).toBe('ValidationError: bad input');
    expect(error.trace.some((line) => line.includes('file:///var/task/index.mjs'))).toBe(true);
    expect(env.usable).toBe(true);
  });

  it('reports thrown non-Error values by their type', async () => {
    const env = await create(`export const handler = async (event) => { throw event.value; };`);
    expect(parsed(await invoke(env, { value: 'just a string' }))).toEqual({ errorType: 'string', errorMessage: 'just a string', trace: [] });
    expect(parsed(await invoke(env, { value: 42 }))).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(parsed(await invoke(env, { value: { a: 1 } }))).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
  });

  it('reports a synchronous throw', async () => {
    const env = await create(`export const handler = () => { null.boom; };`);
    const outcome = await invoke(env);
    expect(parsed(outcome)).toMatchObject({ errorType: 'TypeError' });
  });

  it('reports a result that cannot be serialized', async () => {
    const env = await create(`export const handler = async () => { const a = {}; a.self = a; return a; };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
  });

  it('reports an uncaught exception in a timer and retires the environment', async () => {
    const env = await create(`export const handler = async () => { setTimeout(() => { throw new Error('in timer'); }, 5); await new Promise(() => {}); };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Error', errorMessage: 'in timer' });
    expect(outcome.logs).toContain('Uncaught Exception');
    expect(env.usable).toBe(false);
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection and retires the environment', async () => {
    const env = await create(`export const handler = async () => { Promise.reject(new Error('nobody listens')); await new Promise(() => {}); };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody listens' });
    expect(env.usable).toBe(false);
  });
});

describe('logs', () => {
  const create = useEnvironments();

  it('writes START, console lines with level and request id, END and REPORT', async () => {
    const env = await create(`
      console.log('cold start');
      export const handler = async () => {
        console.log('hello %s, %d items', 'world', 3, { nested: { deep: [1, 'two'] } });
        console.info('info');
        console.warn('careful');
        console.error(new Error('shown with stack'));
        console.debug('debugging', null, undefined, 5n);
        return 'ok';
      };`);
    const outcome = await env.invoke({ requestId: 'req-logs', eventJson: '{}' });
    const lines = outcome.logs.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: arn:aws:lambda:local::runtime:[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tundefined\tINFO\tcold start$/);
    expect(lines[2]).toBe('START RequestId: req-logs Version: $LATEST');
    expect(lines.at(-2)).toBe('END RequestId: req-logs');
    expect(lines.at(-1)).toBe(outcome.report);
    // Lambda ends each measured field with a tab, the last one too.
    expect(outcome.report).toMatch(
      /^REPORT RequestId: req-logs\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/,
    );
    const warm = await env.invoke({ requestId: 'req-warm', eventJson: '{}' });
    expect(warm.logs).not.toContain('INIT_START');
    expect(warm.report).toMatch(/^REPORT RequestId: req-warm\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t$/);
    expect(consoleLines(outcome).filter(([, message]) => !message.startsWith('    at'))).toEqual([
      ['INFO', 'cold start'],
      ['INFO', "hello world, 3 items { nested: { deep: [ 1, 'two' ] } }"],
      ['INFO', 'info'],
      ['WARN', 'careful'],
      ['ERROR', expect.stringMatching(/^Error: shown with stack/) as unknown as string],
      ['DEBUG', 'debugging null undefined 5n'],
    ]);
    expect(outcome.logs).toMatch(/\treq-logs\tWARN\tcareful\n/);
  });

  it('bills whole milliseconds and reports usage numbers', async () => {
    const env = await create(`export const handler = async () => { let x = 0; for (let i = 0; i < 1e5; i++) x += i; return x; };`);
    const outcome = await invoke(env);
    expect(outcome.billedMs).toBe(Math.max(1, Math.ceil(outcome.durationMs)));
    expect(outcome.report).toContain(`Billed Duration: ${outcome.billedMs} ms`);
    expect(outcome.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(outcome.maxMemoryUsedMb).toBeLessThanOrEqual(128);
    expect(outcome.cpuMs).toBeGreaterThan(0);
  });

  it('returns the last 4 KB of the log as base64 when asked', async () => {
    const env = await create(`export const handler = async () => { for (let i = 0; i < 200; i++) console.log('line ' + i + ' ' + 'x'.repeat(40)); return 1; };`);
    const outcome = await invoke(env, {}, true);
    expect(outcome.logTail).toBeDefined();
    const tail = Buffer.from(outcome.logTail ?? '', 'base64');
    expect(tail.length).toBeLessThanOrEqual(4096);
    expect(tail.length).toBeGreaterThan(4000);
    expect(outcome.logs.endsWith(tail.toString('utf8'))).toBe(true);
    expect(tail.toString('utf8')).toContain(outcome.report);
    expect((await invoke(env)).logTail).toBeUndefined();
  });

  it('drops log lines beyond the limit and says so', async () => {
    const env = await create(`export const handler = async () => { for (let i = 0; i < 1000; i++) console.log('y'.repeat(100)); return 1; };`, {
      logLimitBytes: 10_000,
    });
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(outcome.logs.length).toBeLessThan(11_000);
    expect(outcome.logs).toMatch(/\d+ log lines dropped/);
    expect(outcome.logs).toContain('REPORT RequestId');
  });

  it('keeps a function that floods its log running: whole lines up to 1 MiB, then the exact number dropped', async () => {
    const env = await create(`export const handler = async () => {
      const line = 'z'.repeat(10_240);
      for (let i = 0; i < 2_000; i++) console.log(i + ' ' + line);
      return 'still here';
    };`);
    const outcome = await invoke(env);
    expect(parsed(outcome)).toBe('still here');
    const lines = consoleLines(outcome);
    expect(lines.length).toBeGreaterThan(90);
    expect(lines.every(([level, message], i) => level === 'INFO' && message === `${i} ${'z'.repeat(10_240)}`)).toBe(true);
    expect(outcome.logs).toContain(`[stratus] ${2_000 - lines.length} log lines dropped: more than 1048576 bytes of logs`);
    expect(Buffer.byteLength(outcome.logs)).toBeLessThan(1024 * 1024 + 1024);
    // The cap is per invocation: the next one logs again.
    expect(consoleLines(await invoke(env)).length).toBe(lines.length);
  });
});

// The result of a handler that settles within its entry reaches the host before the entry ends: whatever the entry
// does after it (and however long) cannot take it back. Any change to how results cross must keep these.
describe('what a handler does after its result, within the same entry', () => {
  const create = useEnvironments();
  /** Runs `then` three microtask turns after the handler returned 'done' (its result is decided on the first). */
  const afterResult = (then: string): string =>
    `export const handler = async () => { Promise.resolve().then(() => 0).then(() => 0).then(() => { ${then} }); return 'done'; };`;

  it('keeps the result when a later microtask throws, logs the throw and retires the environment', async () => {
    const env = await create(afterResult(`queueMicrotask(() => { throw new Error('late throw'); });`));
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(parsed(outcome)).toBe('done');
    expect(outcome.logs).toContain('late throw');
    expect(env.usable).toBe(false);
  });

  it('keeps the result when a later promise rejects unhandled, with the lines logged before it, and retires the environment', async () => {
    const env = await create(afterResult(`console.log('late line'); Promise.reject(new Error('late reject'));`));
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(parsed(outcome)).toBe('done');
    expect(consoleLines(outcome).map(([level, text]) => [level, text.slice(0, 31)])).toEqual([
      ['INFO', 'late line'],
      ['ERROR', 'Unhandled Promise Rejection \t{"'],
    ]);
    expect(outcome.logs).toContain('late reject');
    expect(env.usable).toBe(false);
  });

  it('keeps the result when a later microtask calls process.exit, and retires the environment', async () => {
    const env = await create(afterResult(`process.exit(3);`));
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(parsed(outcome)).toBe('done');
    expect(env.usable).toBe(false);
  });

  it('logs a line written after the result, when its batch leaves at once, in the invocation that wrote it', async () => {
    const env = await create(afterResult(`console.log('after the result');`));
    expect(consoleLines(await invoke(env))).toEqual([['INFO', 'after the result']]);
    expect(env.usable).toBe(true);
  });

  it('answers a handler that settles after many microtask turns, and one that settles synchronously', async () => {
    const slow = await create(`export const handler = async (event) => { for (let i = 0; i < 200; i++) await null; return event; };`);
    expect(parsed(await invoke(slow, { turns: 200 }))).toEqual({ turns: 200 });
    expect(parsed(await invoke(slow, { again: true }))).toEqual({ again: true });
    const sync = await create(`export const handler = (event, context) => { context.succeed({ sync: event }); };`);
    expect(parsed(await invoke(sync, 1))).toEqual({ sync: 1 });
    const thrown = await create(`export const handler = () => { throw new TypeError('at once'); };`);
    const outcome = await invoke(thrown);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'TypeError', errorMessage: 'at once' });
  });
});
