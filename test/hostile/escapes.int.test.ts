import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import type { TestCluster } from '@stratus/testing';
import { indexJs, zipOf } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';
import { invokeJson } from './support/invoke.js';

// Handlers that tamper with the language and reach for what lies outside
// their isolate. One node, so every function here shares a process with the
// others and with hello: what leaks would leak to them.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

const STRINGIFY_FAILED = { errorType: 'Error', errorMessage: 'Unable to stringify response body' };

describe('prototype tampering stays inside the function that did it', () => {
  it('a handler that overwrites Object.prototype, Array.prototype, JSON and String.prototype still gets its events and results through, and nobody else sees it', async () => {
    await cluster.client.createFunction({
      functionName: 'tamper',
      zipFile: indexJs(`
        let calls = 0;
        exports.handler = async (event) => {
          calls++;
          Object.prototype.polluted = 'from tamper';
          Object.prototype.toJSON = function () { return 'hijacked'; };
          Array.prototype.map = function () { throw new Error('map tampered'); };
          Array.prototype.join = function () { return 'join tampered'; };
          String.prototype.split = function () { throw new Error('split tampered'); };
          JSON.parse = () => ({ parsed: 'by tamper' });
          JSON.stringify = () => '"stringified by tamper"';
          Function.prototype.toString = () => 'tampered';
          // Its own objects now serialise as 'hijacked' (its own doing, as in Node); a null-prototype object does not.
          return Object.assign(Object.create(null), { n: event.n, keys: Object.keys(event).length, calls });
        };
      `),
    });
    // The tampering persists in its own warm environment (that is the function's own state), yet the
    // runtime keeps parsing its events and serialising its results with the originals.
    for (const n of [1, 2]) {
      const result = await invokeJson(cluster, 'tamper', { n });
      expect(result).toEqual({ functionError: '', payload: { n, keys: 1, calls: n } });
    }

    await cluster.client.createFunction({
      functionName: 'tamper-observer',
      zipFile: indexJs(`
        exports.handler = async (event) => ({
          polluted: ({}).polluted ?? null,
          toJSON: typeof ({}).toJSON,
          mapped: [1, 2].map((x) => x * 2),
          joined: ['a', 'b'].join('-'),
          split: 'a,b'.split(','),
          parsed: JSON.parse('{"a":1}'),
          stringified: JSON.stringify({ b: 2 }),
          event,
        });
      `),
    });
    const observed = await invokeJson(cluster, 'tamper-observer', { seen: 'as sent' });
    expect(observed).toEqual({
      functionError: '',
      payload: { polluted: null, toJSON: 'undefined', mapped: [2, 4], joined: 'a-b', split: ['a', 'b'], parsed: { a: 1 }, stringified: '{"b":2}', event: { seen: 'as sent' } },
    });
    await expectClusterHealthy(cluster);
  });

  it('Array[Symbol.species] that throws does not reach the runtime’s handling of the result', async () => {
    await cluster.client.createFunction({
      functionName: 'array-species',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          Object.defineProperty(Array, Symbol.species, { get() { throw new Error('species trap'); }, configurable: true });
          class Sneaky extends Array {}
          return { plain: [event.n, 'species'], subclass: Sneaky.from([1, 2]) };
        };
      `),
    });
    for (const n of [1, 2]) {
      expect(await invokeJson(cluster, 'array-species', { n })).toEqual({ functionError: '', payload: { plain: [n, 'species'], subclass: [1, 2] } });
    }
  });

  it('a Promise species or constructor trap fails the function’s own calls at once, as in Node, and nothing else', async () => {
    await cluster.client.createFunction({
      functionName: 'promise-species',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          Object.defineProperty(Promise, Symbol.species, { get() { throw new Error('species trap'); }, configurable: true });
          return [event.n];
        };
      `),
    });
    // The runtime chains on the handler's promise, which reads its species: the trap throws there, in
    // the function's own realm, and the call ends as the function's error instead of hanging.
    for (const n of [1, 2]) {
      const outcome = await invokeJson(cluster, 'promise-species', { n });
      expect(outcome.functionError).toBe('Unhandled');
      expect(outcome.payload).toMatchObject({ errorType: 'Error', errorMessage: 'species trap' });
    }
    await expectClusterHealthy(cluster);
  });
});

describe('constructor chains lead back into the isolate, never to the host', () => {
  it('Function constructors from every reachable object see only the isolate’s own globals', async () => {
    await cluster.client.createFunction({
      functionName: 'constructor-chain',
      zipFile: indexJs(`
        exports.handler = async function () {
          const routes = {
            viaGlobal: globalThis.constructor.constructor,
            viaObject: ({}).constructor.constructor,
            viaArrow: (() => {}).constructor,
            viaAsync: (async () => {}).constructor,
            viaGenerator: (function* () {}).constructor,
            viaError: new Error('x').constructor.constructor,
            viaConsole: console.log.constructor,
            viaProcess: process.constructor.constructor,
            viaTimer: setTimeout.constructor,
          };
          // Evaluated by each route's Function constructor, sloppy, so 'this' is that realm's global.
          const probe =
            'const p = typeof process === "undefined" ? {} : process;' +
            'return JSON.stringify({ require: typeof require, module: typeof module, binding: typeof p.binding,' +
            ' linkedBinding: typeof p._linkedBinding, dlopen: typeof p.dlopen, kill: typeof p.kill, mainModule: typeof p.mainModule,' +
            ' getBuiltinModule: typeof p.getBuiltinModule, sameGlobal: this === globalThis, pid: p.pid })';
          const probes = {};
          for (const [name, F] of Object.entries(routes)) {
            try {
              const made = F(probe);
              const value = F === routes.viaGenerator ? made().next().value : await made();
              probes[name] = JSON.parse(value);
            } catch (err) {
              probes[name] = 'threw ' + String(err && err.stack);
            }
          }
          return probes;
        };
      `),
    });
    const { functionError, payload } = await invokeJson(cluster, 'constructor-chain', {});
    expect(functionError).toBe('');
    const probes = payload as Record<string, { pid: unknown }>;
    const isolateOnly = {
      require: 'undefined',
      module: 'undefined',
      binding: 'undefined',
      linkedBinding: 'undefined',
      dlopen: 'undefined',
      kill: 'undefined',
      mainModule: 'undefined',
      getBuiltinModule: 'undefined',
      sameGlobal: true,
    };
    const routes = ['viaGlobal', 'viaObject', 'viaArrow', 'viaAsync', 'viaGenerator', 'viaError', 'viaConsole', 'viaProcess', 'viaTimer'];
    expect(Object.keys(probes).sort()).toEqual([...routes].sort());
    for (const route of routes) expect(probes[route], route).toMatchObject(isolateOnly);
    // process.pid inside is the runtime's stand-in, not a real process's id.
    const nodePids = cluster.nodes.map((node) => node.pid);
    for (const route of routes) expect(nodePids).not.toContain(probes[route]?.pid);
    await expectClusterHealthy(cluster);
  });

  it('nothing reachable from the global object is a host reference', async () => {
    await cluster.client.createFunction({
      functionName: 'reference-hunt',
      zipFile: indexJs(`
        // Methods only isolated-vm's Reference, ExternalCopy and Callback wrappers have
        // (deref and apply alone are not: WeakRef and Function.prototype have them).
        const HOST_METHODS = ['applySync', 'applySyncPromise', 'applyIgnored', 'derefInto', 'copySync', 'copyInto', 'getSync', 'setSync'];
        exports.handler = async () => {
          const found = [];
          const seen = new Set();
          const visit = (value, path, depth) => {
            if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
            seen.add(value);
            let names = [];
            try { names = Reflect.ownKeys(value); } catch { return; }
            let hostLike = [];
            try { hostLike = HOST_METHODS.filter((m) => typeof value[m] === 'function'); } catch {}
            if (hostLike.length > 0) found.push(path + ' has ' + hostLike.join(','));
            if (typeof value === 'function' && /^(Reference|ExternalCopy|Callback|Isolate|NativeModule)$/.test(String(value.name))) found.push(path);
            if (depth === 0) return;
            for (const name of names) {
              let child;
              try {
                const d = Object.getOwnPropertyDescriptor(value, name);
                child = d && 'value' in d ? d.value : undefined;
              } catch { continue; }
              visit(child, path + '.' + String(name), depth - 1);
            }
            try { visit(Object.getPrototypeOf(value), path + '.__proto__', depth - 1); } catch {}
          };
          visit(globalThis, 'globalThis', 4);
          return { found, visited: seen.size };
        };
      `),
    });
    const { functionError, payload } = await invokeJson(cluster, 'reference-hunt', {});
    expect(functionError).toBe('');
    const hunt = payload as { found: string[]; visited: number };
    expect(hunt.found).toEqual([]);
    // The walk did reach the runtime's globals (console, process, timers, crypto…).
    expect(hunt.visited).toBeGreaterThan(200);
  });

  it('a dynamic import at run time reaches neither Node built-ins nor host files', async () => {
    await cluster.client.createFunction({
      functionName: 'dynamic-import',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          const outcomes = {};
          for (const specifier of event.specifiers) {
            try {
              const mod = await import(specifier);
              outcomes[specifier] = 'loaded ' + Object.keys(mod).join(',');
            } catch (err) {
              outcomes[specifier] = 'refused';
            }
          }
          return outcomes;
        };
      `),
    });
    const specifiers = ['fs', 'node:child_process', '/etc/passwd', 'file:///etc/passwd', '../../../../../../../../etc/passwd', 'stratus:runtime', 'stratus:host'];
    const { functionError, payload } = await invokeJson(cluster, 'dynamic-import', { specifiers });
    expect(functionError).toBe('');
    expect(payload).toEqual(Object.fromEntries(specifiers.map((s) => [s, 'refused'])));
  });

  it('Error.prepareStackTrace sees no runtime functions or receivers, and a throwing one still gives a clean error', async () => {
    await cluster.client.createFunction({
      functionName: 'stack-trace-tricks',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          if (event.mode === 'inspect') {
            let frames = [];
            Error.prepareStackTrace = (_err, callSites) => {
              frames = callSites.map((site) => ({
                file: String(site.getFileName()),
                fn: typeof site.getFunction(),
                self: typeof site.getThis(),
                evalOrigin: String(site.getEvalOrigin()),
              }));
              return 'inspected';
            };
            // Deep enough to reach below the handler, into whatever called it.
            Error.stackTraceLimit = Infinity;
            void new Error('look').stack;
            Error.prepareStackTrace = undefined;
            return frames;
          }
          Error.prepareStackTrace = () => { throw new Error('prepareStackTrace trap'); };
          const err = new Error('thrown with a trapped stack');
          throw err;
        };
      `),
    });
    const inspected = await invokeJson(cluster, 'stack-trace-tricks', { mode: 'inspect' });
    expect(inspected.functionError).toBe('');
    const frames = inspected.payload as Array<{ file: string; fn: string; self: string }>;
    expect(frames.length).toBeGreaterThan(0);
    // The walk reached below the handler into the runtime that called it, and that frame hands out
    // neither its function nor its receiver (the runtime is strict code).
    const runtimeFrames = frames.filter((frame) => !frame.file.startsWith('file:///var/task/'));
    expect(runtimeFrames.length).toBeGreaterThan(0);
    expect(runtimeFrames.filter((frame) => frame.fn !== 'undefined' || frame.self !== 'undefined')).toEqual([]);

    // Reading the stack throws: reported as Lambda's runtime reports an error it cannot read.
    const trapped = await invokeJson(cluster, 'stack-trace-tricks', { mode: 'trap' });
    expect(trapped).toEqual({
      functionError: 'Unhandled',
      payload: {
        errorType: 'handled',
        errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      },
    });
    await expectClusterHealthy(cluster);
  });

  it("the runtime's Error.prepareStackTrace maps only the function's own files: crafted frames, a dependency's forged source map and a flood of stacks stay inside the isolate", async () => {
    const forgedMap = Buffer.from(
      JSON.stringify({
        version: 3,
        sources: ['/etc/passwd', '../../../../etc/shadow', 'webpack:///secret.js', '..'],
        sourcesContent: ['root:x:0:0', 'x', 'x', 'x'],
        mappings: 'AAAA;AACA;AACA',
      }),
    ).toString('base64');
    await cluster.client.createFunction({
      functionName: 'stack-map-tricks',
      timeoutSec: 10,
      zipFile: zipOf({
        'index.js': `const dep = require('dep');
exports.handler = async (event) => {
  const prepare = Error.prepareStackTrace;
  if (event.mode === 'forge') {
    return {
      type: typeof prepare,
      sameRealm: prepare.constructor === Function,
      forged: prepare({ toString() { return 'E'; } }, [
        { toString() { return 'x (file:///var/task/index.mjs:999999:1)'; } },
        { toString() { return 'y (/etc/passwd:1:1)'; } },
        { toString() { return 'z (file:///var/task/index.mjs:1:99999999999999)'; } },
        { toString() { return 'w (file:///var/task/index.mjs:-1:-1)'; } },
      ]),
    };
  }
  if (event.mode === 'dep') {
    try { dep.boom(); } catch (err) { return err.stack; }
  }
  const until = Date.now() + event.ms;
  let stacks = 0;
  while (Date.now() < until) { stacks += new Error('flood').stack.length > 0 ? 1 : 0; }
  return stacks;
};`,
        'node_modules/dep/package.json': '{"name":"dep","main":"index.js"}',
        'node_modules/dep/index.js': `exports.boom = () => {\n  throw new Error('dep');\n};\n//# sourceMappingURL=data:application/json;base64,${forgedMap}\n`,
      }),
    });
    const forged = await invokeJson(cluster, 'stack-map-tricks', { mode: 'forge' });
    expect(forged.functionError).toBe('');
    const { type, sameRealm, forged: text } = forged.payload as { type: string; sameRealm: boolean; forged: string };
    expect({ type, sameRealm }).toEqual({ type: 'function', sameRealm: true });
    expect(text.split('\n')[0]).toBe('Error');
    expect(text).toContain('x (file:///var/task/index.mjs:999999:1)');
    expect(text).toContain('y (/etc/passwd:1:1)');
    expect(text).not.toMatch(/root:x|shadow/);

    const dep = await invokeJson(cluster, 'stack-map-tricks', { mode: 'dep' });
    expect(dep.functionError).toBe('');
    expect(String(dep.payload)).toMatch(/^Error: dep\n/);
    expect(String(dep.payload)).not.toMatch(/passwd|shadow|webpack|root:x|\/var\/task\/\.\./);

    // Four at once, each reading stacks for 2 s: the map was asked of the host once per environment, and every
    // stack after it is mapped inside the isolate, so the node's main thread is not flooded.
    const floods = await Promise.all(Array.from({ length: 4 }, () => invokeJson(cluster, 'stack-map-tricks', { mode: 'flood', ms: 2000 })));
    for (const flood of floods) {
      expect(flood.functionError, JSON.stringify(flood.payload)).toBe('');
      expect(flood.payload).toBeGreaterThan(100);
    }
    await expectClusterHealthy(cluster);
  });
});

describe('results that fight serialisation are the function’s own error', () => {
  const TIMED_OUT = { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) as unknown };
  const cases: Array<{ mode: string; source: string; expected: Record<string, unknown> }> = [
    { mode: 'throwing-getter', source: `return { ok: 1, get boom() { throw new Error('getter'); } };`, expected: STRINGIFY_FAILED },
    { mode: 'throwing-to-json', source: `return { toJSON() { throw new Error('toJSON'); } };`, expected: STRINGIFY_FAILED },
    { mode: 'throwing-proxy', source: `return new Proxy({}, { ownKeys() { throw new Error('trap'); } });`, expected: STRINGIFY_FAILED },
    {
      mode: 'self-returning-proxy',
      source: `const p = new Proxy({}, { ownKeys: () => ['self'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }), get: () => p }); return p;`,
      expected: STRINGIFY_FAILED,
    },
    { mode: 'looping-to-json', source: `return { toJSON() { for (;;) {} } };`, expected: TIMED_OUT },
    { mode: 'looping-getter', source: `return { get slow() { for (;;) {} } };`, expected: TIMED_OUT },
  ];

  // One function, a mode per case: each deploy is a bundling process, the slow part of a case.
  beforeAll(async () => {
    const modes = [...cases, { mode: 'deeply-nested', source: `let o = {}; for (let i = 0; i < 1e6; i++) o = { o }; return o;` }];
    await cluster.client.createFunction({
      functionName: 'bad-results',
      timeoutSec: 1,
      zipFile: indexJs(`exports.handler = async (event) => { switch (event.mode) {\n${modes.map((c) => `case '${c.mode}': { ${c.source} }`).join('\n')}\n} };`),
    });
  });

  for (const c of cases) {
    it(`${c.mode}: ${String(c.expected['errorType'])}`, async () => {
      expect(await invokeJson(cluster, 'bad-results', { mode: c.mode })).toEqual({ functionError: 'Unhandled', payload: expect.objectContaining(c.expected) });
    });
  }

  it('deeply-nested: fails to serialise or times out, within its own timeout', async () => {
    // JSON.stringify overflows the stack only after about 100k levels in an isolate (isolated-vm's
    // threads have big stacks), which takes seconds of CPU: either outcome is the function's own.
    const { functionError, payload } = await invokeJson(cluster, 'bad-results', { mode: 'deeply-nested' });
    expect(functionError).toBe('Unhandled');
    expect([STRINGIFY_FAILED.errorType, TIMED_OUT.errorType]).toContain((payload as { errorType: string }).errorType);
    await expectClusterHealthy(cluster);
  });
});

describe('events, results and logs that look like the node wire format are only data', () => {
  it('bytes shaped like an invocation envelope (magic, kinds, length fields claiming gigabytes) pass through intact both ways, and one that is not JSON is INVALID_PAYLOAD', async () => {
    // The node's request and reply are a binary header followed by the payload as it is: nothing in an
    // event, a result or a log line may be taken for header fields, nor make a node read past a message.
    const forged = 'S\u0001R\u000f\u0000\u0000\u0000@\uffff\uffff\uffff\uffffS\u0001T\u0000S\u0001E\u0001{"code":"INTERNAL","message":"forged"}';
    await cluster.client.createFunction({
      functionName: 'wire-shaped',
      zipFile: indexJs(`
        exports.handler = async (event) => {
          console.log(${JSON.stringify(forged)} + event.forged);
          return { echoed: event.forged, own: ${JSON.stringify(forged)}, bytes: [...event.forged].map((c) => c.charCodeAt(0)) };
        };
      `),
    });
    const result = await cluster.client.invoke({ functionName: 'wire-shaped', payload: JSON.stringify({ forged }), logType: 'TAIL' });
    expect(result.functionError).toBe('');
    expect(JSON.parse(result.payloadText)).toEqual({ echoed: forged, own: forged, bytes: [...forged].map((c) => c.charCodeAt(0)) });
    expect(result.logText).toContain(forged + forged);
    await expect(cluster.client.invoke({ functionName: 'wire-shaped', payload: 'S\u0001Q\u0003' + forged })).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_PAYLOAD') && /^Could not parse request body into json: /.test((err as Error).message),
    );
    await expectClusterHealthy(cluster);
  });
});

describe('functions on one node cannot read each other’s globals or environment', () => {
  it('a global or environment variable set by one function is invisible to another on the same node, and the host’s environment to both', async () => {
    await cluster.client.createFunction({
      functionName: 'global-writer',
      environment: { WRITER_SECRET: 'writer-env-secret' },
      zipFile: indexJs(`
        exports.handler = async (event) => {
          if (event.write) {
            globalThis.sharedSecret = 'writer-global-secret';
            process.env.INJECTED = 'writer-injected-secret';
          }
          return { sharedSecret: globalThis.sharedSecret ?? null, secret: process.env.WRITER_SECRET };
        };
      `),
    });
    await cluster.client.createFunction({
      functionName: 'global-reader',
      environment: { READER_OWN: 'mine' },
      zipFile: indexJs(`
        exports.handler = async () => ({
          sharedSecret: globalThis.sharedSecret ?? null,
          secret: process.env.WRITER_SECRET ?? null,
          injected: process.env.INJECTED ?? null,
          own: process.env.READER_OWN,
          env: JSON.stringify(process.env),
          globals: Object.getOwnPropertyNames(globalThis),
        });
      `),
    });
    const written = await cluster.client.invoke({ functionName: 'global-writer', payload: '{"write":true}' });
    expect(JSON.parse(written.payloadText)).toEqual({ sharedSecret: 'writer-global-secret', secret: 'writer-env-secret' });
    const read = await cluster.client.invoke({ functionName: 'global-reader' });
    expect(read.nodeId).toBe(written.nodeId);
    const seen = JSON.parse(read.payloadText) as { sharedSecret: unknown; secret: unknown; injected: unknown; own: string; env: string; globals: string[] };
    expect({ sharedSecret: seen.sharedSecret, secret: seen.secret, injected: seen.injected, own: seen.own }).toEqual({
      sharedSecret: null,
      secret: null,
      injected: null,
      own: 'mine',
    });
    expect(seen.globals).not.toContain('sharedSecret');
    expect(seen.env).not.toMatch(/writer-/);
    // The node process's own environment (PATH, HOME, the STRATUS_ settings) is not the function's: PATH is Lambda's.
    const env = JSON.parse(seen.env) as Record<string, string>;
    const envKeys = Object.keys(env);
    expect(envKeys.filter((key) => key === 'HOME' || key.startsWith('STRATUS_') || key.startsWith('npm_'))).toEqual([]);
    expect(env['PATH']).toBe('/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin');

    // The writer's own warm environment still has what it set: the reader did not miss it by timing.
    // (Warm-first placement on the one node sends the writer's next call to that environment.)
    const again = await cluster.client.invoke({ functionName: 'global-writer' });
    expect(again.nodeId).toBe(written.nodeId);
    expect(JSON.parse(again.payloadText)).toEqual({ sharedSecret: 'writer-global-secret', secret: 'writer-env-secret' });
    await expectClusterHealthy(cluster);
  });
});

describe('versions of one function share nothing, and qualifiers name nothing else', () => {
  it('what version 1 leaves in its globals, process.env and /tmp is invisible to version 2 and $LATEST on the same node, though they run the same code', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'versioned',
      zipFile: indexJs(`
        const fs = require('fs');
        exports.handler = async (event, context) => {
          if (event.write) {
            globalThis.left = 'from ' + context.functionVersion;
            process.env.LEFT = 'from ' + context.functionVersion;
            fs.writeFileSync('/tmp/left', 'from ' + context.functionVersion);
          }
          return {
            version: context.functionVersion,
            global: globalThis.left ?? null,
            env: process.env.LEFT ?? null,
            tmp: fs.existsSync('/tmp/left') ? fs.readFileSync('/tmp/left', 'utf8') : null,
          };
        };
      `),
    });
    await client.publishVersion({ functionName: 'versioned' });
    await client.updateFunction({ functionName: 'versioned', description: 'same code, same configuration' });
    expect((await client.publishVersion({ functionName: 'versioned' })).version).toBe('1');
    await client.updateFunction({ functionName: 'versioned', environment: { SECOND: '1' } });
    await client.publishVersion({ functionName: 'versioned' });

    const written = await client.invoke({ functionName: 'versioned:1', payload: '{"write":true}' });
    expect(JSON.parse(written.payloadText)).toEqual({ version: '1', global: 'from 1', env: 'from 1', tmp: 'from 1' });
    for (const qualifier of ['2', '$LATEST']) {
      const read = await client.invoke({ functionName: 'versioned', qualifier });
      expect(read.nodeId).toBe(written.nodeId);
      expect(JSON.parse(read.payloadText)).toEqual({ version: qualifier, global: null, env: null, tmp: null });
    }
    // Version 1's warm environment still holds them: the others did not miss them by timing.
    expect(JSON.parse((await client.invoke({ functionName: 'versioned:1' })).payloadText)).toMatchObject({ global: 'from 1', tmp: 'from 1' });
    await expectClusterHealthy(cluster);
  });

  it('qualifiers shaped like key paths or another function\'s versions are refused or not found', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'neighbour', zipFile: indexJs('exports.handler = async () => "neighbour";') });
    await client.publishVersion({ functionName: 'neighbour' });
    await client.createAlias({ functionName: 'neighbour', name: 'live', functionVersion: '1' });
    for (const qualifier of ['../neighbour/1', '1/../../functions/neighbour', '$LATEST/..', 'live\u0000', '*', '01']) {
      await expect(client.invoke({ functionName: 'versioned', qualifier })).rejects.toSatisfy((err) => hasCode(err, 'INVALID_ARGUMENT'));
      await expect(client.getFunction('versioned', qualifier)).rejects.toSatisfy((err) => hasCode(err, 'INVALID_ARGUMENT'));
    }
    await expect(client.invoke({ functionName: 'versioned', qualifier: 'live' })).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
    await expect(client.createAlias({ functionName: 'versioned', name: '../../neighbour/live', functionVersion: '1' })).rejects.toSatisfy((err) => hasCode(err, 'INVALID_ARGUMENT'));
    await expect(client.deleteFunction('versioned', '../neighbour/1')).rejects.toSatisfy((err) => hasCode(err, 'INVALID_ARGUMENT'));
    expect((await client.invoke({ functionName: 'neighbour:live' })).payloadText).toBe('"neighbour"');
    await expectClusterHealthy(cluster);
  });
});

describe('the file system holds the package and /tmp, nothing of the host', () => {
  it('traversals, host paths and /proc find nothing; writes outside /tmp are refused; nothing names a host file', async () => {
    await cluster.client.createFunction({
      functionName: 'fs-traversal',
      zipFile: indexJs(`
        const fs = require('fs');
        const path = require('path');
        const attempt = (fn) => { try { const value = fn(); return 'got ' + String(value).slice(0, 80); } catch (err) { return err.code; } };
        exports.handler = async (event) => {
          const reads = {};
          for (const target of event.reads) {
            reads[target] = [attempt(() => fs.readFileSync(target, 'utf8')), attempt(() => fs.readFileSync(path.join(__dirname, target), 'utf8'))];
          }
          return {
            reads,
            root: fs.readdirSync('/'),
            up: fs.realpathSync(path.join(__dirname, '../../../..')),
            writes: [
              attempt(() => fs.writeFileSync('/var/task/index.js', 'overwritten')),
              attempt(() => fs.writeFileSync('/etc/passwd', 'x')),
              attempt(() => fs.mkdirSync('/var/task/nested', { recursive: true })),
              attempt(() => fs.renameSync('/tmp/../var/task', '/tmp/task')),
              attempt(() => fs.symlinkSync('/etc/passwd', '/tmp/link')),
            ],
          };
        };
      `),
    });
    const reads = ['../../etc/passwd', '/etc/passwd', '/proc/self/environ', '/proc/self/cmdline', process.cwd() + '/package.json', '/var/task/../../../../etc/shadow', '/dev/zero'];
    const { functionError, payload } = await invokeJson(cluster, 'fs-traversal', { reads });
    expect(functionError).toBe('');
    expect(payload).toEqual({
      reads: Object.fromEntries(reads.map((target) => [target, ['ENOENT', 'ENOENT']])),
      root: ['opt', 'tmp', 'var'],
      up: '/',
      writes: ['EROFS', 'ENOENT', 'EROFS', 'EROFS', 'ENOSYS'],
    });
    expect(JSON.stringify(payload)).not.toMatch(/root:x:0:0|STRATUS_|"name":"stratus/);
    await expectClusterHealthy(cluster);
  });

  it('filling /tmp stops with ENOSPC at its bound (below the memory size), the environment keeps serving, and no other function sees the files', async () => {
    await cluster.client.createFunction({
      functionName: 'fs-filler',
      zipFile: indexJs(`
        const fs = require('fs');
        exports.handler = async (event) => {
          if (event.huge) {
            try { fs.writeFileSync('/tmp/huge', ''); fs.truncateSync('/tmp/huge', 20 * 1024 * 1024 * 1024); return 'huge fits'; } catch (err) { return err.message; }
          }
          const chunk = Buffer.alloc(1024 * 1024, 1);
          let mb = 0;
          let error;
          try { for (;;) { fs.appendFileSync('/tmp/fill', chunk); mb++; } } catch (err) { error = err.message; }
          return { mb, error, size: fs.statSync('/tmp/fill').size, listing: fs.readdirSync('/tmp') };
        };
      `),
    });
    const first = await invokeJson(cluster, 'fs-filler', {});
    // 128 MB of memory leaves 96 MB for /tmp beside the heap (the ephemeral storage, 512 MB, is the other bound).
    expect(first).toEqual({ functionError: '', payload: { mb: 96, error: "ENOSPC: no space left on device, write '/tmp/fill'", size: 96 * 1024 * 1024, listing: ['fill'] } });
    // The same warm environment: /tmp is still full, and still refuses.
    const second = await invokeJson(cluster, 'fs-filler', {});
    expect(second).toEqual({ functionError: '', payload: { mb: 0, error: "ENOSPC: no space left on device, write '/tmp/fill'", size: 96 * 1024 * 1024, listing: ['fill'] } });
    expect(await invokeJson(cluster, 'fs-filler', { huge: true })).toEqual({ functionError: '', payload: "ENOSPC: no space left on device, ftruncate '/tmp/huge'" });

    await cluster.client.createFunction({
      functionName: 'fs-neighbour',
      zipFile: indexJs(`const fs = require('fs'); exports.handler = async () => ({ tmp: fs.readdirSync('/tmp'), task: fs.readdirSync('/var/task') });`),
    });
    expect(await invokeJson(cluster, 'fs-neighbour', {})).toEqual({ functionError: '', payload: { tmp: [], task: [] } });
    await expectClusterHealthy(cluster);
  });
});
