import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '@stratus/testing';
import { indexJs } from '../support/code.js';
import { besideHello, expectHelloServedBeside } from './support/beside-hello.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';
import { invokeJson, type JsonOutcome } from './support/invoke.js';

// Handlers that burn what a node has (CPU, memory, its event loop, its log
// pipeline) the way a careless or hostile tenant would. Two nodes, so
// concurrent attacks land on both. Each case asserts the error the function
// gets (or that it was contained) and then that the cluster is healthy.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 2 });
  // The cases that only have to end at the timeout share one function, a mode each: every deploy is a
  // bundling process, the slowest part of a short case.
  await deploy(
    'stuck',
    `exports.handler = (event, context, callback) => {
      switch (event.mode) {
        case 'busy-loop': while (true) {}
        case 'regex': return callback(null, /^(a+)+$/.test('a'.repeat(40) + 'b'));
        case 'atomics-bounded': return callback(null, Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20));
        case 'atomics-forever': return callback(null, Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
        case 'promise-flood': { const loop = () => Promise.resolve().then(loop); loop(); return; }
        case 'interval-keeps-loop': setInterval(() => {}, 10); return callback(null, 'done');
      }
    };`,
  );
});
afterAll(async () => {
  await cluster?.stop();
});

/** Test timeout for cases that run several calls of seconds each on a shared two-core machine. */
const SLOW_CASE_MS = 120_000;
const MB = 1024 * 1024;

function timedOut(seconds: number): JsonOutcome {
  return { functionError: 'Unhandled', payload: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(new RegExp(`^RequestId: [0-9a-f-]{36} Error: Task timed out after ${seconds.toFixed(2).replace('.', '\\.')} seconds$`)) as unknown } };
}

async function deploy(functionName: string, source: string, options: { timeoutSec?: number; memorySizeMb?: number } = {}): Promise<void> {
  await cluster.client.createFunction({ functionName, zipFile: indexJs(source), timeoutSec: options.timeoutSec ?? 1, ...(options.memorySizeMb ? { memorySizeMb: options.memorySizeMb } : {}) });
}

describe('CPU: loops end at the timeout, and neighbours keep answering', () => {
  it('busy loops (while (true) {}) on every slot end as Sandbox.Timedout', { timeout: SLOW_CASE_MS }, async () => {
    // More loops than the two nodes have isolate slots.
    const { result: outcomes, hello } = await besideHello(cluster, () => Promise.all(Array.from({ length: 6 }, () => invokeJson(cluster, 'stuck', { mode: 'busy-loop' }))));
    for (const outcome of outcomes) expect(outcome).toEqual(timedOut(1));
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });

  it('exponential regex backtracking ends as Sandbox.Timedout', async () => {
    expect(await invokeJson(cluster, 'stuck', { mode: 'regex' })).toEqual(timedOut(1));
    await expectClusterHealthy(cluster);
  });

  it('Atomics.wait on a SharedArrayBuffer nobody will notify ends as Sandbox.Timedout', async () => {
    // A bounded wait works as in Node; an unbounded one blocks the isolate until the timeout kills it.
    expect(await invokeJson(cluster, 'stuck', { mode: 'atomics-bounded' })).toEqual({ functionError: '', payload: 'timed-out' });
    expect(await invokeJson(cluster, 'stuck', { mode: 'atomics-forever' })).toEqual(timedOut(1));
    await expectClusterHealthy(cluster);
  });

  it('hashing 16 MiB over and over, eight at once, finishes and hello keeps answering', { timeout: SLOW_CASE_MS }, async () => {
    await deploy(
      'hash-loop',
      `const crypto = require('crypto');
      exports.handler = async (event) => {
        const data = Buffer.alloc(16 * 1024 * 1024, 7);
        const digests = new Set();
        for (let i = 0; i < event.rounds; i++) digests.add(crypto.createHash('sha256').update(data).digest('hex'));
        return [...digests].map((digest) => digest.length);
      };`,
      { timeoutSec: 60, memorySizeMb: 512 },
    );
    const { result: outcomes, hello } = await besideHello(cluster, () => Promise.all(Array.from({ length: 8 }, () => invokeJson(cluster, 'hash-loop', { rounds: 3 }))));
    for (const outcome of outcomes) expect(outcome).toEqual({ functionError: '', payload: [64] });
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });
  it('an init that burns the CPU, called in bursts, gets spare environments made only in slots no call wants, and hello keeps answering', { timeout: SLOW_CASE_MS }, async () => {
    // Each burst past the function's peak asks the nodes for spares, each of which runs this init again.
    await deploy('slow-init', `const end = Date.now() + 300; while (Date.now() < end) {}\nexports.handler = async () => 'ok';`, { timeoutSec: 5 });
    const { result: bursts, hello } = await besideHello(cluster, async () => {
      const outcomes: JsonOutcome[] = [];
      for (let burst = 1; burst <= 3; burst += 1) {
        outcomes.push(...(await Promise.all(Array.from({ length: 2 + 2 * burst }, () => invokeJson(cluster, 'slow-init', {})))));
      }
      return outcomes;
    });
    for (const outcome of bursts) expect(outcome).toEqual({ functionError: '', payload: 'ok' });
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });
  it('a function that runs light calls, then loops in all of them, ends each at its timeout, and hello keeps answering', { timeout: SLOW_CASE_MS }, async () => {
    // Light calls let its next calls take the gates' light slots: the loops get them, and must still end.
    await deploy('turncoat', `exports.handler = async (event) => { if (event.spin) while (true) {} return 'ok'; };`);
    for (let round = 0; round < 2; round += 1) {
      const light = await Promise.all(Array.from({ length: 6 }, () => invokeJson(cluster, 'turncoat', {})));
      for (const outcome of light) expect(outcome).toEqual({ functionError: '', payload: 'ok' });
    }
    const { result: outcomes, hello } = await besideHello(cluster, () => Promise.all(Array.from({ length: 6 }, () => invokeJson(cluster, 'turncoat', { spin: true }))));
    for (const outcome of outcomes) expect(outcome).toEqual(timedOut(1));
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });
});

describe('host crypto: work a function asks of the host is bounded and off its main thread', () => {
  it('slow key derivation eight at once, oversized operations, and process.exit: refused or contained, hello keeps answering', { timeout: SLOW_CASE_MS }, async () => {
    await deploy(
      'crypto-abuse',
      `const crypto = require('crypto');
      exports.handler = async (event) => {
        const attempt = (fn) => { try { fn(); return 'no error'; } catch (err) { return err.message; } };
        switch (event.mode) {
          case 'derive': {
            const keys = new Set();
            for (let i = 0; i < 2; i++) keys.add(crypto.pbkdf2Sync('pw', 'salt', 100000, 64, 'sha256').toString('hex'));
            return keys.size;
          }
          case 'refused':
            return [
              attempt(() => crypto.pbkdf2Sync('pw', 'salt', 10000001, 32, 'sha256')),
              attempt(() => crypto.scryptSync('pw', 'salt', 32, { N: 1048576, r: 8 })),
              attempt(() => { const c = crypto.createCipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)); c.update(Buffer.alloc(17 * 1024 * 1024)); c.final(); }),
              attempt(() => crypto.createPrivateKey('x'.repeat(70000))),
            ];
          case 'exit':
            process.exit(7);
        }
        return 'unknown mode';
      };`,
      { timeoutSec: 60, memorySizeMb: 256 },
    );
    const { result: outcomes, hello } = await besideHello(cluster, () => Promise.all(Array.from({ length: 8 }, () => invokeJson(cluster, 'crypto-abuse', { mode: 'derive' }))));
    for (const outcome of outcomes) expect(outcome, JSON.stringify(outcome)).toEqual({ functionError: '', payload: 1 });
    expectHelloServedBeside(hello);
    const refused = await invokeJson(cluster, 'crypto-abuse', { mode: 'refused' });
    expect(refused.payload).toEqual([
      'iterations must be an integer from 1 to 10000000 in Stratus, got 10000001',
      "scrypt needs 128 * N * r bytes of memory; Stratus allows at most 33554432 (Node's default maxmem)",
      expect.stringMatching(/^Stratus computes crypto on at most 16777216 bytes in one operation/),
      'a key is at most 65536 bytes in Stratus',
    ]);
    const exited = await invokeJson(cluster, 'crypto-abuse', { mode: 'exit' });
    expect(exited.functionError).toBe('Unhandled');
    expect(exited.payload).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Runtime exited with error: exit status 7$/) });
    await expectClusterHealthy(cluster);
  });
});

describe('memory: growth past the function’s memory size ends as Runtime.OutOfMemory', () => {
  const growers: Array<[string, string]> = [
    ['a WebAssembly.Memory grown to 1 GiB', `const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 }); for (let i = 0; i < 64; i++) { memory.grow(256); new Uint8Array(memory.buffer).fill(1, i * 16 * MB); } return memory.buffer.byteLength;`],
    ['ArrayBuffers grown to 1 GiB', `const hoard = []; for (let i = 0; i < 64; i++) hoard.push(new Uint8Array(16 * MB).fill(1)); return hoard.length;`],
    ['a resizable ArrayBuffer grown to 1 GiB', `const buffer = new ArrayBuffer(0, { maxByteLength: 1024 * MB }); buffer.resize(1024 * MB); new Uint8Array(buffer).fill(1); return buffer.byteLength;`],
    // A promise flood that keeps what it makes: the V8 heap, not external memory, is what runs out.
    ['a flood of never-settled promises, all kept,', `const hoard = []; for (;;) hoard.push(new Promise(() => {}));`],
  ];
  beforeAll(async () => {
    const cases = growers.map(([what, body]) => `case ${JSON.stringify(what)}: { ${body} }`).join('\n');
    await deploy('grow', `const MB = 1024 * 1024; exports.handler = async (event) => { switch (event.grow) {\n${cases}\n} return 'fresh'; };`, { timeoutSec: 30 });
  });
  for (const [what] of growers) {
    it(`${what} in a 128 MB function`, { timeout: SLOW_CASE_MS }, async () => {
      expect(await invokeJson(cluster, 'grow', { grow: what })).toMatchObject({ functionError: 'Unhandled', payload: { errorType: 'Runtime.OutOfMemory' } });
      // The environment that ran out is gone: the next call starts a fresh one, which works.
      const next = await cluster.client.invoke({ functionName: 'grow' });
      expect({ coldStart: next.coldStart, functionError: next.functionError, payload: next.payloadText }).toEqual({ coldStart: true, functionError: '', payload: '"fresh"' });
      await expectClusterHealthy(cluster);
    });
  }
});

describe('the event loop: floods and storms stay inside the call', () => {
  it('an endless microtask chain ends as Sandbox.Timedout', async () => {
    expect(await invokeJson(cluster, 'stuck', { mode: 'promise-flood' })).toEqual(timedOut(1));
    await expectClusterHealthy(cluster);
  });

  it('a handler that returns while its microtasks never end gets its answer, and its environment is replaced', async () => {
    await deploy('microtask-flood', `let calls = 0; exports.handler = async () => { calls++; const loop = () => queueMicrotask(loop); loop(); return calls; };`);
    const first = await cluster.client.invoke({ functionName: 'microtask-flood' });
    expect({ functionError: first.functionError, payload: first.payloadText }).toEqual({ functionError: '', payload: '1' });
    // The isolate was still spinning at the timeout, so it was discarded rather than kept warm.
    const second = await cluster.client.invoke({ functionName: 'microtask-flood' });
    expect(second.coldStart).toBe(true);
    expect(second.payloadText).toBe('1');
    await expectClusterHealthy(cluster);
  });

  it('deep recursion is RangeError: Maximum call stack size exceeded, and the environment stays usable', async () => {
    await deploy('deep-recursion', `let calls = 0; exports.handler = async (event) => { calls++; if (event.recurse) { const dive = (n) => dive(n + 1) + 1; return dive(0); } return calls; };`);
    const overflow = await invokeJson(cluster, 'deep-recursion', { recurse: true });
    expect(overflow).toMatchObject({ functionError: 'Unhandled', payload: { errorType: 'RangeError', errorMessage: 'Maximum call stack size exceeded' } });
    expect((overflow.payload as { trace: string[] }).trace[0]).toBe('RangeError: Maximum call stack size exceeded');
    // As in Lambda, a thrown error does not end the environment: the same one answers next.
    const after = await cluster.client.invoke({ functionName: 'deep-recursion', payload: '{}' });
    expect(after.coldStart).toBe(false);
    expect(after.payloadText).toBe('2');
    await expectClusterHealthy(cluster);
  });

  it('a setInterval storm runs only while its call runs', async () => {
    await deploy(
      'interval-storm',
      `let fired = 0;
      let lastFiredAtMs = 0;
      exports.handler = async (event) => {
        const atStart = { fired, lastFiredAtMs };
        if (event.storm) for (let i = 0; i < 1000; i++) setInterval(() => { fired++; lastFiredAtMs = Date.now(); }, 0);
        await new Promise((resolve) => setTimeout(resolve, event.waitMs));
        return { atStart, fired };
      };`,
      { timeoutSec: 10 },
    );
    const storm = await invokeJson(cluster, 'interval-storm', { storm: true, waitMs: 200 });
    expect(storm.functionError).toBe('');
    expect((storm.payload as { fired: number }).fired).toBeGreaterThan(0);
    const answeredAtMs = Date.now();
    // Between calls the environment is frozen, as Lambda's is: none of the thousand intervals fired
    // after the storm's call answered (some may fire in its last tick, before it answers), however
    // long nothing ran. The isolate's Date.now() is this machine's clock.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const next = await invokeJson(cluster, 'interval-storm', { waitMs: 0 });
    expect(next.functionError).toBe('');
    const { atStart } = next.payload as { atStart: { fired: number; lastFiredAtMs: number } };
    expect(atStart.fired).toBeGreaterThan(0);
    expect(atStart.lastFiredAtMs).toBeLessThanOrEqual(answeredAtMs);
    await expectClusterHealthy(cluster);
  });

  it('a timer that outlives its call runs only in later calls', async () => {
    await deploy(
      'outliving-timer',
      `let late = 0;
      exports.handler = async (event) => {
        if (event.arm) setTimeout(function again() { late++; setTimeout(again, 1); }, 50);
        if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs));
        return late;
      };`,
      { timeoutSec: 10 },
    );
    expect(await invokeJson(cluster, 'outliving-timer', { arm: true })).toEqual({ functionError: '', payload: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Due long ago, but frozen with its environment.
    expect(await invokeJson(cluster, 'outliving-timer', {})).toEqual({ functionError: '', payload: 0 });
    // It runs again as soon as a call gives it time (so the zero above was the freeze, not a dead timer).
    const thawed = await invokeJson(cluster, 'outliving-timer', { waitMs: 100 });
    expect(thawed.payload).toBeGreaterThan(0);
    await expectClusterHealthy(cluster);
  });

  it('a callback handler whose interval keeps the event loop busy ends as Sandbox.Timedout', async () => {
    expect(await invokeJson(cluster, 'stuck', { mode: 'interval-keeps-loop' })).toEqual(timedOut(1));
    await expectClusterHealthy(cluster);
  });
});

describe('logs: a flood is capped inside the call', () => {
  it('ten concurrent calls logging 10 KB lines (console.log, process.stderr.write) for two seconds each keep running, their logs truncated, and no node drops out', { timeout: SLOW_CASE_MS }, async () => {
    await deploy(
      'log-flood',
      `exports.handler = async (event) => {
        const line = 'x'.repeat(10 * 1024);
        const until = Date.now() + event.ms;
        let lines = 0;
        // Half the calls write raw to process.stderr, which counts against the same cap.
        while (Date.now() < until) { if (event.raw) process.stderr.write(line + '\\n'); else console.log(line); lines++; }
        return { lines };
      };`,
      { timeoutSec: 60 },
    );
    const { result: outcomes, hello } = await besideHello(cluster, () =>
      Promise.all(Array.from({ length: 10 }, (_, i) => cluster.client.invoke({ functionName: 'log-flood', payload: JSON.stringify({ ms: 2000, raw: i % 2 === 1 }), logType: 'TAIL' }))),
    );
    for (const result of outcomes) {
      expect(result.functionError).toBe('');
      const { lines } = JSON.parse(result.payloadText) as { lines: number };
      // The cap is 1 MiB of logs per call: every call wrote well past it and kept going.
      expect(lines * 10 * 1024).toBeGreaterThan(MB);
      expect(result.logText).toMatch(/log lines dropped/);
      expect(result.logText).toMatch(/REPORT RequestId/);
    }
    const stored = await cluster.client.getLogs({ functionName: 'log-flood', requestId: outcomes[0]?.requestId ?? '' });
    expect(stored).toHaveLength(1);
    expect(Buffer.byteLength(stored[0]?.message ?? '')).toBeLessThan(1.1 * MB);
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });
});
