import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { decodeCodePackage, encodeCodePackage } from '@stratus/contracts';
import { bundleFunction, CODE_LIMITS, type BundleResult } from '../src/index.js';
import { carriedAtRunTime } from '../src/package-files.js';

function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, content] of Object.entries(files)) entries[path] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(entries);
}

/** The script's own exports, with `stratus:files` stood in for by the package's files (as the runtime links them). */
async function load(result: BundleResult): Promise<Record<string, unknown>> {
  const files = result.files.map((f) => ({ path: f.path, size: f.data.byteLength }));
  const stub = [
    `const files = ${JSON.stringify(files)};`,
    `const datas = ${JSON.stringify(result.files.map((f) => [...f.data]))};`,
    'export const files_ = () => files;',
    'export { files_ as files };',
    'export const read = (i) => new Uint8Array(datas[i]).buffer;',
    'export const tmpLimitBytes = () => 1024 * 1024;',
  ].join('\n');
  const stubUrl = `data:text/javascript;base64,${Buffer.from(stub).toString('base64')}`;
  const script = result.script.replaceAll('"stratus:files"', JSON.stringify(stubUrl));
  return (await import(`data:text/javascript;base64,${Buffer.from(script).toString('base64')}`)) as Record<string, unknown>;
}

describe('package files carried to run time', () => {
  it("carries every non-code file, and in node_modules leaves out what is for people and tools", () => {
    for (const path of ['template.html', 'config.json', 'package.json', 'assets/logo.png', 'node_modules/pdfkit/data/Helvetica.afm', 'node_modules/x/package.json']) {
      expect(carriedAtRunTime(path), path).toBe(true);
    }
    for (const path of ['index.js', 'src/app.ts', 'lib/m.mjs', 'node_modules/x/index.js', 'node_modules/x/README.md', 'node_modules/x/LICENSE', 'node_modules/x/index.js.map', 'node_modules/x/index.d.ts']) {
      expect(carriedAtRunTime(path), path).toBe(false);
    }
  });

  it("bundles `fs.readFileSync(path.join(__dirname, 'template.html'), 'utf8')` with the template carried beside the script", async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.js': [
          "'use strict';",
          "const fs = require('fs');",
          "const path = require('path');",
          "const strict = (function () { return this === undefined; })();",
          "exports.handler = async () => [fs.readFileSync(path.join(__dirname, 'template.html'), 'utf8'), __filename, typeof require, strict];",
        ].join('\n'),
        'template.html': '<h1>{{name}}</h1>',
        'node_modules/dep/README.md': 'docs',
      }),
      handler: 'index.handler',
    });
    expect(result.warnings).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['template.html']);
    // The stored code is the script and the files; its hash and size are of those bytes.
    const stored = encodeCodePackage({ script: result.script, files: result.files, ...(result.sourceMap !== undefined ? { sourceMap: result.sourceMap } : {}) });
    expect(result.size).toBe(stored.byteLength);
    expect(decodeCodePackage(stored).files[0]?.path).toBe('template.html');
    const mod = await load(result);
    const handler = (mod['default'] as { handler: () => Promise<unknown> }).handler;
    // The paths go after the prologue: the file is still strict.
    await expect(handler()).resolves.toEqual(['<h1>{{name}}</h1>', '/var/task/index.js', 'function', true]);
  });

  it("gives each module Lambda's paths: __dirname per CommonJS file, import.meta per ES module, and no require in an ES module", async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.mjs': [
          "import { readFileSync } from 'node:fs';",
          "import { where } from './lib/where.cjs';",
          "import { meta } from './lib/meta.mjs';",
          'export const handler = async () => ({',
          '  url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename,',
          '  require: typeof require, where, meta,',
          "  data: readFileSync(new URL('./data/x.txt', import.meta.url), 'utf8'),",
          '});',
        ].join('\n'),
        'lib/where.cjs': 'exports.where = [__dirname, __filename];',
        'lib/meta.mjs': 'export const meta = import.meta.url;',
        'data/x.txt': 'X',
      }),
      handler: 'index.handler',
    });
    expect(result.warnings).toEqual([]);
    const handler = (await load(result))['handler'] as () => Promise<unknown>;
    await expect(handler()).resolves.toEqual({
      url: 'file:///var/task/index.mjs',
      dirname: '/var/task',
      filename: '/var/task/index.mjs',
      require: 'undefined',
      where: ['/var/task/lib', '/var/task/lib/where.cjs'],
      meta: 'file:///var/task/lib/meta.mjs',
      data: 'X',
    });
  });

  it('refuses a package whose carried files pass the limit, naming the file and the limit', async () => {
    let caught: unknown;
    try {
      await bundleFunction({
        zip: zip({ 'index.js': 'exports.handler = async () => 1;', 'a.bin': new Uint8Array(600), 'b.bin': new Uint8Array(600) }),
        handler: 'index.handler',
        limits: { ...CODE_LIMITS, carriedMaxBytes: 1000 },
      });
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'INVALID_CODE')).toBe(true);
    expect((caught as Error).message).toMatch(/the package's files other than code total more than 1000 bytes .*passed at "b\.bin"/);
  });

  it('counts code against the unzipped limit only: a large code file is not carried', async () => {
    const result = await bundleFunction({
      zip: zip({ 'index.js': `exports.handler = async () => ${JSON.stringify('x'.repeat(5000))}.length;` }),
      handler: 'index.handler',
      limits: { ...CODE_LIMITS, carriedMaxBytes: 1000 },
    });
    expect(result.files).toEqual([]);
  });
});
