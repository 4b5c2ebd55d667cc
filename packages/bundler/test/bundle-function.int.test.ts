import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
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
    expect(result.sha256).toBe(createHash('sha256').update(result.script).digest('hex'));
    expect(result.size).toBe(Buffer.byteLength(result.script));
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
          "exports.handler = async () => [typeof EventEmitter, join('a', 'b'), typeof require('fs')];",
        ].join('\n'),
      }),
      handler: 'index.handler',
    });
    // Nothing is left for the runtime to resolve.
    expect(importSpecifiers(cjs.script)).toEqual([]);
    expect(cjs.warnings).toEqual([expect.stringContaining("'fs', which is not available in Stratus")]);
    const cjsExports = (await load(cjs))['default'] as { handler: () => Promise<unknown> };
    await expect(cjsExports.handler()).rejects.toMatchObject({ name: 'Runtime.ImportModuleError', message: expect.stringContaining("Cannot find module 'fs'") });

    const esm = await bundleFunction({
      zip: zip({ 'index.mjs': "import { createHash } from 'node:crypto';\nexport const handler = () => typeof createHash;\n" }),
      handler: 'index.handler',
    });
    // crypto is host-backed: the one import the runtime links.
    expect(importSpecifiers(esm.script)).toEqual(['stratus:host']);
  });

  it('refuses a .js handler whose syntax does not match how Node would load it', async () => {
    const esmInCjs = await rejection(bundleFunction({ zip: zip({ 'index.js': 'export const handler = 1;\n' }), handler: 'index.handler' }));
    expect(esmInCjs.details['errorType']).toBe('Runtime.UserCodeSyntaxError');
    expect(esmInCjs.message).toContain('Cannot use import statement outside a module');
    const nested = await bundleFunction({
      zip: zip({ 'src/app.js': 'export const handler = 1;\n', 'src/package.json': '{"type":"module"}' }),
      handler: 'src/app.handler',
    });
    expect(nested.size).toBeGreaterThan(0);
  });

  it('reports a syntax error with file and line', async () => {
    const err = await rejection(
      bundleFunction({ zip: zip({ 'index.js': 'exports.handler = async () => {\n  return {;\n};\n' }), handler: 'index.handler' }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.details['errorType']).toBe('Runtime.UserCodeSyntaxError');
    expect(err.message).toMatch(/^index\.js:2:\d+: /);
  });

  it('reports a missing module import as Runtime.ImportModuleError', async () => {
    const err = await rejection(
      bundleFunction({ zip: zip({ 'index.js': "const x = require('not-installed');\nexports.handler = () => x;\n" }), handler: 'index.handler' }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.details['errorType']).toBe('Runtime.ImportModuleError');
    expect(err.message).toContain('not-installed');
  });

  it('reports a missing handler file, listing the zip root', async () => {
    const err = await rejection(
      bundleFunction({ zip: zip({ 'app/index.js': 'exports.handler = () => 1;\n', 'package.json': '{}' }), handler: 'index.handler' }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.details['errorType']).toBe('Runtime.HandlerNotFound');
    expect(err.message).toContain("Cannot find module 'index'");
    expect(err.message).toContain('index.js, index.mjs, index.cjs, index.ts');
    expect(err.message).toContain('app/');
    expect(err.message).toContain('package.json');
  });

  it('rejects a malformed handler string', async () => {
    const err = await rejection(bundleFunction({ zip: zip({ 'index.js': '' }), handler: 'index' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.details['errorType']).toBe('Runtime.MalformedHandlerName');
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
      await rejection(bundleFunction({ zip: zip({ 'index.js': 'exports.handler = (;' }), handler: 'index.handler' }));
      expect(await readdir(privateTmp)).toEqual([]);
    });
  });
});
