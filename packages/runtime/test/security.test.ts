import { describe, expect, it } from 'vitest';
import { invoke, parsed, useEnvironments } from './fixtures.js';

/**
 * User code must never reach a host object. Each probe runs inside the
 * isolate and reports what it found as plain data.
 */
describe('isolation from the host', () => {
  const create = useEnvironments();

  async function probe(body: string): Promise<unknown> {
    const env = await create(`export const handler = async (event, context) => { ${body} };`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    return parsed(outcome);
  }

  it('finds no host process through the Function constructor', async () => {
    const found = await probe(`
      const viaGlobal = globalThis.constructor.constructor('return process')();
      const viaThis = (function () { return this; }).constructor('return this')();
      return {
        sameProcess: viaGlobal === process,
        keys: Object.keys(viaGlobal).sort(),
        binding: typeof viaGlobal.binding,
        mainModule: typeof viaGlobal.mainModule,
        dlopen: typeof viaGlobal.dlopen,
        versions: typeof viaGlobal.versions,
        globalIsOwn: viaThis === globalThis,
        require: typeof require,
        module: typeof module,
        Buffer: typeof Buffer,
      };`);
    expect(found).toEqual({
      sameProcess: true,
      keys: [
        'addListener', 'arch', 'argv', 'argv0', 'config', 'cwd', 'emit', 'emitWarning', 'env', 'execArgv', 'execPath', 'exit', 'exitCode',
        'features', 'hrtime', 'listeners', 'memoryUsage', 'nextTick', 'off', 'on', 'once', 'pid', 'platform', 'release', 'removeAllListeners',
        'removeListener', 'stderr', 'stdout', 'title', 'uptime', 'version', 'versions',
      ],
      binding: 'undefined',
      mainModule: 'undefined',
      dlopen: 'undefined',
      versions: 'object',
      globalIsOwn: true,
      require: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });
  });

  it('finds no host realm behind the functions the runtime provides', async () => {
    const found = await probe(`
      const provided = [console.log, console.error, setTimeout, clearTimeout, setInterval, setImmediate, queueMicrotask,
        process.nextTick, context.getRemainingTimeInMillis, setTimeout(() => {}, 1)];
      let thrown;
      try { setTimeout('code as a string'); } catch (err) { thrown = err; }
      provided.push(thrown);
      return provided.map((value) => {
        const realmGlobal = value.constructor.constructor('return this')();
        const realmProcess = value.constructor.constructor('return typeof process === "object" ? process : undefined')();
        return realmGlobal === globalThis && realmProcess === process;
      });`);
    expect(found).toEqual(new Array(11).fill(true));
  });

  it('adds only the documented globals', async () => {
    const found = await probe(`
      const builtins = new Set(['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined',
        'Boolean', 'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError',
        'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'globalThis', 'JSON', 'Math', 'Intl', 'ArrayBuffer',
        'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
        'Uint8ClampedArray', 'BigUint64Array', 'BigInt64Array', 'DataView', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet',
        'Proxy', 'Reflect', 'FinalizationRegistry', 'WeakRef', 'decodeURI', 'decodeURIComponent', 'encodeURI',
        'encodeURIComponent', 'escape', 'unescape', 'eval', 'isFinite', 'isNaN', 'SharedArrayBuffer', 'Atomics', 'WebAssembly']);
      return Object.getOwnPropertyNames(globalThis).filter((name) => !builtins.has(name)).sort();`);
    expect(found).toEqual([
      'AbortController', 'AbortSignal', 'Blob', 'CryptoKey', 'Event', 'EventTarget', 'File', 'FormData', 'Headers', 'Request', 'Response',
      'TextDecoder', 'TextEncoder', 'atob', 'awslambda', 'btoa', 'clearImmediate', 'clearInterval', 'clearTimeout', 'console', 'crypto', 'fetch',
      'global', 'performance', 'process', 'queueMicrotask', 'setImmediate', 'setInterval', 'setTimeout', 'structuredClone',
    ]);
  });

  it('exposes neither functions nor receivers of runtime frames to stack-trace inspection', async () => {
    const found = await probe(`
      const seen = [];
      const capture = () => {
        const original = Error.prepareStackTrace;
        Error.prepareStackTrace = (_, frames) => frames;
        const frames = new Error().stack;
        Error.prepareStackTrace = original;
        for (const frame of frames) {
          seen.push({ file: String(frame.getFileName()), fn: frame.getFunction(), receiver: frame.getThis() });
        }
      };
      capture();
      console.log(new Proxy({}, { ownKeys() { capture(); return []; } }));
      await new Promise((resolve) => setTimeout(() => { capture(); resolve(); }, 1));
      const runtimeFrames = seen.filter((f) => f.file.startsWith('file:///var/runtime'));
      const leaks = runtimeFrames.filter((f) => f.fn !== undefined || f.receiver !== undefined);
      const hostProcess = seen.some((f) => [f.fn, f.receiver].some((v) => {
        if (v === undefined || v === null) return false;
        const p = v.constructor.constructor('return typeof process === "object" ? process : undefined')();
        return p !== process;
      }));
      return { runtimeFrames: runtimeFrames.length > 0, leaks: leaks.length, hostProcess };`);
    expect(found).toEqual({ runtimeFrames: true, leaks: 0, hostProcess: false });
  });

  it('cannot load modules at run time', async () => {
    const found = await probe(`
      return Promise.all(['fs', 'stratus:runtime', 'node:child_process'].map((name) =>
        import(name).then(() => 'loaded ' + name, () => 'refused')));`);
    expect(found).toEqual(['refused', 'refused', 'refused']);
  });

  it('keeps one function\'s globals out of another environment', async () => {
    const polluter = await create(`export const handler = async () => { globalThis.leaked = 'secret'; Object.prototype.polluted = true; return 1; };`);
    await invoke(polluter);
    const victim = await create(`export const handler = async () => ({ leaked: typeof leaked, polluted: ({}).polluted === true });`);
    expect(parsed(await invoke(victim))).toEqual({ leaked: 'undefined', polluted: false });
  });

  it('keeps working when the handler sabotages JSON and Promise', async () => {
    const env = await create(`
      let calls = 0;
      export const handler = async () => {
        calls += 1;
        JSON.stringify = () => { throw new Error('sabotaged'); };
        JSON.parse = () => { throw new Error('sabotaged'); };
        Promise.prototype.then = function () { throw new Error('sabotaged'); };
        Date.now = () => 0;
        return calls;
      };`);
    expect(parsed(await invoke(env))).toBe(1);
    const second = await invoke(env);
    expect(second.outcome).toBe('success');
    expect(parsed(second)).toBe(2);
  });
});
