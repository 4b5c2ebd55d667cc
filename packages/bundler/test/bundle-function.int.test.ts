import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { encodeCodePackage } from '@stratus/contracts';
import { bundleFunction, type BundleResult } from '../src/index.js';

function zip(files: Record<string, string>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return zipSync(entries);
}

/** Loads a bundle the way the runtime does: as an ES module with no Node built-ins available to it but imports. */
async function load(result: BundleResult): Promise<Record<string, unknown>> {
  const url = `data:text/javascript;base64,${Buffer.from(result.script).toString('base64')}`;
  return (await import(url)) as Record<string, unknown>;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, string> }> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!hasCode(err)) throw new Error(`expected a StratusError, got ${String(err)}`);
  return { code: err.code, message: err.message, details: { ...err.details } };
}

function importSpecifiers(script: string): string[] {
  return [...script.matchAll(/^\s*(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
}


describe('bundleFunction', () => {
  it('bundles a CommonJS handler as a default export holding module.exports', async () => {
    const result = await bundleFunction({
      zip: zip({ 'index.js': "exports.handler = async (event) => ({ hello: event.name });\nexports.other = 1;\n" }),
      handler: 'index.handler',
    });
    const mod = await load(result);
    const exports = mod['default'] as { handler: (e: unknown) => Promise<unknown>; other: number };
    await expect(exports.handler({ name: 'Ada' })).resolves.toEqual({ hello: 'Ada' });
    expect(exports.other).toBe(1);
    // The stored code is the script and its source map (sources relative to the package root, no contents).
    expect(JSON.parse(result.sourceMap ?? '{}')).toMatchObject({ version: 3, sources: expect.arrayContaining(['index.js']) as unknown });
    expect(result.sourceMap).not.toContain('sourcesContent');
    expect(result.script).not.toContain('sourceMappingURL');
    const stored = encodeCodePackage({ script: result.script, files: [], ...(result.sourceMap !== undefined ? { sourceMap: result.sourceMap } : {}) });
    expect(result.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    expect(result.size).toBe(stored.byteLength);
    expect(importSpecifiers(result.script)).toEqual([]);
  });

  it('bundles an .mjs handler with its named exports', async () => {
    const result = await bundleFunction({
      zip: zip({ 'index.mjs': 'export const handler = async () => "mjs";\n' }),
      handler: 'index.handler',
    });
    const mod = await load(result);
    await expect((mod['handler'] as () => Promise<string>)()).resolves.toBe('mjs');
  });

  it('treats .js as ESM when package.json says "type": "module"', async () => {
    const result = await bundleFunction({
      zip: zip({
        'package.json': JSON.stringify({ type: 'module' }),
        'index.js': "import { greet } from './lib.js';\nexport async function handler(e) { return greet(e.name); }\n",
        'lib.js': 'export const greet = (n) => `hi ${n}`;\n',
      }),
      handler: 'index.handler',
    });
    const mod = await load(result);
    await expect((mod['handler'] as (e: unknown) => Promise<string>)({ name: 'Bo' })).resolves.toBe('hi Bo');
    expect(mod['default']).toBeUndefined();
  });

  it('prefers .js over .mjs, .cjs and .ts, as Lambda does', async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.mjs': 'export const which = "mjs";\n',
        'index.js': 'export const which = "js";\n',
        'index.ts': 'export const which: string = "ts";\n',
        'package.json': '{"type":"module"}',
      }),
      handler: 'index.which',
    });
    expect((await load(result))['which']).toBe('js');
  });

  it('resolves a handler in a nested folder', async () => {
    const result = await bundleFunction({
      zip: zip({ 'src/app.js': "module.exports.handler = () => 'nested';\n", 'README.md': 'hi' }),
      handler: 'src/app.handler',
    });
    const mod = (await load(result))['default'] as { handler: () => string };
    expect(mod.handler()).toBe('nested');
  });

  it('bundles dependencies from node_modules', async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.js': "const pad = require('left-pad');\nexports.handler = async () => pad('7', 3, '0');\n",
        'node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', main: 'lib/pad.js' }),
        'node_modules/left-pad/lib/pad.js': 'module.exports = (s, n, c) => String(s).padStart(n, c);\n',
      }),
      handler: 'index.handler',
    });
    expect(importSpecifiers(result.script)).toEqual([]);
    const mod = (await load(result))['default'] as { handler: () => Promise<string> };
    await expect(mod.handler()).resolves.toBe('007');
  });

  it('compiles a TypeScript handler', async () => {
    const result = await bundleFunction({
      zip: zip({
        'handler.ts': "import { double } from './math';\ninterface Event { n: number }\nexport const main = async (e: Event): Promise<number> => double(e.n);\n",
        'math.ts': 'export function double(n: number): number { return n * 2; }\n',
      }),
      handler: 'handler.main',
    });
    const mod = await load(result);
    await expect((mod['main'] as (e: { n: number }) => Promise<number>)({ n: 21 })).resolves.toBe(42);
  });

  it('bundles polyfills for supported built-ins and a failing module for the rest', async () => {
    const cjs = await bundleFunction({
      zip: zip({
        'index.js': [
          "const EventEmitter = require('node:events');",
          "const { join } = require('path');",
          "exports.handler = async () => [typeof EventEmitter, join('a', 'b'), typeof require('child_process')];",
        ].join('\n'),
      }),
      handler: 'index.handler',
    });
    // Nothing is left for the runtime to resolve.
    expect(importSpecifiers(cjs.script)).toEqual([]);
    expect(cjs.warnings).toEqual([expect.stringContaining("'child_process', which is not available in Stratus")]);
    const cjsExports = (await load(cjs))['default'] as { handler: () => Promise<unknown> };
    await expect(cjsExports.handler()).rejects.toMatchObject({ name: 'Runtime.ImportModuleError', message: expect.stringContaining("Cannot find module 'child_process'") });

    const esm = await bundleFunction({
      zip: zip({ 'index.mjs': "import { createHash } from 'node:crypto';\nexport const handler = () => typeof createHash;\n" }),
      handler: 'index.handler',
    });
    // crypto is host-backed: the one import the runtime links.
    expect(importSpecifiers(esm.script)).toEqual(['stratus:host']);
  });

  /** What loading the bundle throws, as the runtime's init would meet it. */
  async function loadFailure(result: BundleResult): Promise<{ name: string; message: string; code?: string }> {
    const err: unknown = await load(result).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof Error)) throw new Error('expected the bundle to throw when loaded');
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }

  // Lambda deploys code that cannot load and fails its first invocation; so does Stratus, with a warning at deploy.
  it('deploys a .js handler whose syntax does not match how Node would load it, failing at load as Node does', async () => {
    const esmInCjs = await bundleFunction({ zip: zip({ 'index.js': 'export const handler = 1;\n' }), handler: 'index.handler' });
    expect(await loadFailure(esmInCjs)).toEqual({ name: 'SyntaxError', message: "Unexpected token 'export'" });
    expect(esmInCjs.warnings).toEqual([expect.stringMatching(/^index\.js: .*Runtime\.UserCodeSyntaxError "SyntaxError: Unexpected token 'export'"/)]);
    const importInCjs = await bundleFunction({ zip: zip({ 'index.js': "import { sep } from 'path';\nexport const handler = () => sep;\n" }), handler: 'index.handler' });
    expect(await loadFailure(importInCjs)).toEqual({ name: 'SyntaxError', message: 'Cannot use import statement outside a module' });
    const cjsInEsm = await bundleFunction({
      zip: zip({ 'index.js': 'module.exports = { handler: () => 1 };\n', 'package.json': '{"type":"module"}' }),
      handler: 'index.handler',
    });
    // esbuild bundles it as the ES module Node loads it as: `module` is not defined when it runs, and esbuild warns.
    expect(await loadFailure(cjsInEsm)).toMatchObject({ name: 'ReferenceError', message: expect.stringMatching(/^module is not defined/) as unknown });
    expect(cjsInEsm.warnings).toEqual([expect.stringContaining('The CommonJS "module" variable is treated as a global variable')]);
    const nested = await bundleFunction({
      zip: zip({ 'src/app.js': 'export const handler = 1;\n', 'src/package.json': '{"type":"module"}' }),
      handler: 'src/app.handler',
    });
    expect((await load(nested))['handler']).toBe(1);
    expect(nested.warnings).toEqual([]);
  });

  it('deploys a syntax error with a warning naming file and line; loading throws V8’s SyntaxError', async () => {
    const cjs = await bundleFunction({ zip: zip({ 'index.js': 'exports.handler = async () => {\n  return {;\n};\n' }), handler: 'index.handler' });
    expect(cjs.warnings).toEqual([expect.stringMatching(/^index\.js:2:\d+: .*Runtime\.UserCodeSyntaxError "SyntaxError: Unexpected token ';'"/)]);
    expect(await loadFailure(cjs)).toEqual({ name: 'SyntaxError', message: "Unexpected token ';'" });
    // An ES module's own source is the script: the isolate's V8 finds the error when it compiles it.
    const esmSource = 'export const handler = async () => {\n  return {;\n};\n';
    const esm = await bundleFunction({ zip: zip({ 'index.mjs': esmSource }), handler: 'index.handler' });
    expect(esm.script).toBe(esmSource);
    expect(esm.warnings).toEqual([expect.stringMatching(/^index\.mjs:2:\d+: .*Runtime\.UserCodeSyntaxError/)]);
    const json = await bundleFunction({
      zip: zip({ 'index.js': "const data = require('./data.json');\nexports.handler = async () => data;\n", 'data.json': '{"a": }' }),
      handler: 'index.handler',
    });
    expect(await loadFailure(json)).toMatchObject({ name: 'SyntaxError', message: expect.stringMatching(/^\/var\/task\/data\.json: Unexpected token/) as unknown });
  });

  it('refuses TypeScript that does not compile: Lambda would not run it at all', async () => {
    const err = await rejection(bundleFunction({ zip: zip({ 'index.ts': 'export const handler = (;\n' }), handler: 'index.handler' }));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.details['errorType']).toBe('Runtime.UserCodeSyntaxError');
    expect(err.message).toMatch(/^index\.ts:1:\d+: /);
  });

  it('bundles a require() of a missing module as one that throws Node’s MODULE_NOT_FOUND when it runs', async () => {
    // pg's way with its optional native binding: required only when asked for, inside try/catch.
    const result = await bundleFunction({
      zip: zip({
        'index.js':
          "const pg = require('pg');\nexports.handler = async (event) => (event.native ? pg.native() : pg.query());\n",
        'node_modules/pg/package.json': '{"name":"pg","main":"lib/index.js"}',
        'node_modules/pg/lib/index.js':
          "exports.query = () => 'queried';\nexports.native = () => { try { return require('./native'); } catch (e) { return { message: e.message, code: e.code, requireStack: e.requireStack }; } };\n",
        'node_modules/pg/lib/native/index.js': "module.exports = require('pg-native');\n",
      }),
      handler: 'index.handler',
    });
    expect(result.warnings).toEqual([
      'node_modules/pg/lib/native/index.js: require("pg-native") finds no module in the package: the call throws "Cannot find module \'pg-native\'" (MODULE_NOT_FOUND) when it runs, as on Lambda',
    ]);
    const handler = ((await load(result))['default'] as { handler: (e: unknown) => Promise<unknown> }).handler;
    await expect(handler({})).resolves.toBe('queried');
    const requireStack = ['/var/task/node_modules/pg/lib/native/index.js', '/var/task/node_modules/pg/lib/index.js', '/var/task/index.js', '/var/runtime/index.mjs'];
    await expect(handler({ native: true })).resolves.toEqual({
      message: `Cannot find module 'pg-native'\nRequire stack:\n${requireStack.map((p) => `- ${p}`).join('\n')}`,
      code: 'MODULE_NOT_FOUND',
      requireStack,
    });
  });

  it('bundles a top-level require() of a missing module as a load failure, as on Lambda', async () => {
    const result = await bundleFunction({ zip: zip({ 'index.js': "const x = require('not-installed');\nexports.handler = () => x;\n" }), handler: 'index.handler' });
    expect(result.warnings).toEqual([expect.stringContaining('require("not-installed")')]);
    expect(await loadFailure(result)).toEqual({
      name: 'Error',
      message: "Cannot find module 'not-installed'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
      code: 'MODULE_NOT_FOUND',
    });
  });

  it('fails at load for a static import of a missing package, and only when called for import()', async () => {
    const imported = await bundleFunction({ zip: zip({ 'index.mjs': "import x from 'not-installed';\nexport const handler = () => x;\n" }), handler: 'index.handler' });
    expect(imported.warnings).toEqual([expect.stringContaining('every invocation fails with Runtime.ImportModuleError')]);
    expect(await loadFailure(imported)).toEqual({
      name: 'Error',
      message: "Cannot find package 'not-installed' imported from /var/task/index.mjs",
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const dynamic = await bundleFunction({
      zip: zip({ 'index.mjs': "export const handler = async () => import('./plugins/missing.mjs').catch((e) => [e.message, e.code]);\n" }),
      handler: 'index.handler',
    });
    await expect(((await load(dynamic))['handler'] as () => Promise<unknown>)()).resolves.toEqual([
      "Cannot find module '/var/task/plugins/missing.mjs' imported from /var/task/index.mjs",
      'ERR_MODULE_NOT_FOUND',
    ]);
  });

  it('deploys a missing handler file, failing at load as Lambda does, with a warning listing the zip root', async () => {
    const result = await bundleFunction({ zip: zip({ 'app/index.js': 'exports.handler = () => 1;\n', 'package.json': '{}' }), handler: 'index.handler' });
    expect(await loadFailure(result)).toEqual({
      name: 'Error',
      message: "Cannot find module 'index'\nRequire stack:\n- /var/runtime/index.mjs",
      code: 'MODULE_NOT_FOUND',
    });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('index.js, index.mjs, index.cjs, index.ts');
    expect(result.warnings[0]).toContain('app/');
    expect(result.warnings[0]).toContain('package.json');
    expect(result.warnings[0]).toContain('Runtime.ImportModuleError');
  });

  it('deploys a malformed handler string with a warning: the runtime answers "Bad handler"', async () => {
    const result = await bundleFunction({ zip: zip({ 'index.js': '' }), handler: 'index' });
    expect(result.warnings).toEqual([expect.stringContaining('Runtime.MalformedHandlerName "Bad handler"')]);
  });

  it('rejects a handler module outside the code root', async () => {
    const err = await rejection(bundleFunction({ zip: zip({ 'index.js': '' }), handler: '../index.handler' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
  });

  it('rejects zip entries that would escape the directory (zip slip)', async () => {
    for (const name of ['../evil.js', 'a/../../evil.js', '/etc/evil.js', 'C:/evil.js']) {
      const err = await rejection(bundleFunction({ zip: zip({ 'index.js': '', [name]: 'x' }), handler: 'index.handler' }));
      expect(err.code, name).toBe('INVALID_CODE');
      expect(err.message, name).toContain(name);
    }
  });

  it('rejects a corrupt zip', async () => {
    const good = zip({ 'index.js': 'exports.handler = () => 1;\n'.repeat(50) });
    const truncated = good.slice(0, good.length - 30);
    for (const bytes of [strToU8('not a zip at all'), new Uint8Array(0), truncated]) {
      const err = await rejection(bundleFunction({ zip: bytes, handler: 'index.handler' }));
      expect(err.code).toBe('INVALID_CODE');
      expect(err.message).toMatch(/corrupt zip/);
    }
  });

  describe('temporary directory', () => {
    // A private TMPDIR, so bundles made by other test processes at the same time do not count.
    let privateTmp: string;
    const savedTmpdir = process.env['TMPDIR'];

    beforeEach(async () => {
      privateTmp = await mkdtemp(join(tmpdir(), 'stratus-bundler-test-'));
      process.env['TMPDIR'] = privateTmp;
    });

    afterEach(async () => {
      if (savedTmpdir === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmpdir;
      await rm(privateTmp, { recursive: true, force: true });
    });

    it('is removed, also when bundling fails', async () => {
      await bundleFunction({ zip: zip({ 'index.js': 'exports.handler = 1;' }), handler: 'index.handler' });
      await rejection(bundleFunction({ zip: zip({ 'index.ts': 'export const handler = (;' }), handler: 'index.handler' }));
      expect(await readdir(privateTmp)).toEqual([]);
    });
  });
});
