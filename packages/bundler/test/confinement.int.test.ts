import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { bundleFunction, type BundleResult } from '../src/index.js';
import { bundleDirectory } from '../src/bundle-function.js';
import { POLYFILL_ROOTS } from '../src/node-builtins-plugin.js';

function zip(files: Record<string, string>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return zipSync(entries);
}

async function refusal(promise: Promise<BundleResult>): Promise<{ code: string; message: string; errorType: string | undefined }> {
  const err: unknown = await promise.then(
    (result) => new Error(`expected a refusal, got a bundle:\n${result.script.slice(0, 500)}`),
    (e: unknown) => e,
  );
  if (!hasCode(err)) throw err;
  return { code: err.code, message: err.message, errorType: err.details['errorType'] };
}

/** A file outside any package, whose text must never reach a bundle or an error. */
const SECRET = 'stratus-host-secret-7f3a';
let secretDir: string;
/** The secret file's path as seen from inside a bundle's package folder (tmp/stratus-bundle-x/package). */
let secretFromPackage: string;

beforeAll(async () => {
  secretDir = await realpath(await mkdtemp(join(tmpdir(), 'stratus-secret-')));
  await writeFile(join(secretDir, 'secret.json'), JSON.stringify({ secret: SECRET }));
  await writeFile(join(secretDir, 'secret.js'), `module.exports = ${JSON.stringify(SECRET)};\n`);
  await writeFile(join(secretDir, 'secret.txt'), SECRET);
  const tmp = await realpath(tmpdir());
  secretFromPackage = `../../${relative(tmp, secretDir)}`;
});

afterAll(async () => {
  await rm(secretDir, { recursive: true, force: true });
});

const handler = 'index.handler';

describe('bundling reads nothing outside the uploaded package', () => {
  it.each([
    ['an absolute path with a text attribute', 'import t from "/etc/hostname" with { type: "text" };', '/etc/hostname'],
    ['an absolute path', 'import t from "/etc/hostname";', '/etc/hostname'],
    ['a .. escape', 'import t from "../../../../../../../../etc/passwd";', '../../../../../../../../etc/passwd'],
    ['a .. escape with a text attribute', 'import t from "../../../../../../../../etc/passwd" with { type: "text" };', '../../../../../../../../etc/passwd'],
    ['a file: URL', 'import t from "file:///etc/hostname";', 'file:///etc/hostname'],
    ['a data: URL', 'import t from "data:text/javascript,export default 1";', 'data:text/javascript,export default 1'],
    ['an https: URL', 'import t from "https://example.com/x.js";', 'https://example.com/x.js'],
  ])('refuses %s, naming the import and the importing file', async (_name, statement, specifier) => {
    const err = await refusal(
      bundleFunction({ zip: zip({ 'index.mjs': `${statement}\nexport const handler = async () => t;\n` }), handler }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.errorType).toBe('Runtime.ImportModuleError');
    expect(err.message).toContain(JSON.stringify(specifier));
    expect(err.message).toContain('index.mjs');
  });

  it('refuses require() of a JSON or JS file outside the package, without reading it', async () => {
    for (const file of ['secret.json', 'secret.js']) {
      const err = await refusal(
        bundleFunction({
          zip: zip({ 'index.js': `const s = require(${JSON.stringify(`${secretFromPackage}/${file}`)});\nexports.handler = async () => s;\n` }),
          handler,
        }),
      );
      expect(err.code).toBe('INVALID_CODE');
      expect(err.message).toContain(file);
      expect(err.message).not.toContain(SECRET);
    }
  });

  it('refuses an escape from a nested file, naming that file', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({
          'index.js': "exports.handler = require('./lib/read.js');\n",
          'lib/read.js': `module.exports = require(${JSON.stringify(`../${secretFromPackage}/secret.js`)});\n`,
        }),
        handler,
      }),
    );
    expect(err.message).toContain('lib/read.js');
    expect(err.message).not.toContain(SECRET);
  });

  it.each(['text', 'file', 'binary', 'bytes', 'base64', 'dataurl', 'copy', 'js', 'css'])(
    'refuses the import attribute { type: %j }, even for a file inside the package',
    async (type) => {
      const err = await refusal(
        bundleFunction({
          zip: zip({
            'index.mjs': `import t from "./data.json" with { type: ${JSON.stringify(type)} };\nexport const handler = async () => t;\n`,
            'data.json': '{"a":1}',
          }),
          handler,
        }),
      );
      expect(err.code).toBe('INVALID_CODE');
      expect(err.message).toContain('./data.json');
    },
  );

  it('bundles a JSON file inside the package, with or without { type: "json" }', async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.mjs': 'import a from "./a.json" with { type: "json" };\nimport b from "./b.json";\nexport const handler = async () => [a, b];\n',
        'a.json': '{"a":1}',
        'b.json': '{"b":2}',
      }),
      handler,
    });
    const url = `data:text/javascript;base64,${Buffer.from(result.script).toString('base64')}`;
    const mod = (await import(url)) as { handler: () => Promise<unknown> };
    await expect(mod.handler()).resolves.toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('refuses { type: "json" } on a file that is not JSON', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({ 'index.mjs': 'import t from "./lib.js" with { type: "json" };\nexport const handler = async () => t;\n', 'lib.js': 'export default 1;\n' }),
        handler,
      }),
    );
    expect(err.message).toContain('lib.js');
  });

  it('refuses to inline a file that is not code or JSON, even inside the package', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({ 'index.js': "const t = require('./notes.txt');\nexports.handler = async () => t;\n", 'notes.txt': 'hello' }),
        handler,
      }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toContain('notes.txt');
  });

  it('refuses a computed import that globs outside the package, without naming the host files it found', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({
          'index.mjs': `const name = globalThis.name;\nexport const handler = async () => import(\`${secretFromPackage}/\${name}\`);\n`,
        }),
        handler,
      }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).not.toContain('secret');
    expect(err.message).not.toContain(SECRET);
  });

  it('still bundles a computed import that stays inside the package', async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.mjs': 'export const handler = async (e) => (await import(`./locales/${e.lang}.json`)).default;\n',
        'locales/en.json': '{"hello":"hello"}',
        'locales/fr.json': '{"hello":"bonjour"}',
      }),
      handler,
    });
    expect(result.script).toContain('bonjour');
  });

  it('refuses tsconfig.json paths that point outside the package', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({
          'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@secret': [`${secretFromPackage}/secret.js`] } } }),
          'index.ts': "import s from '@secret';\nexport const handler = async () => s;\n",
        }),
        handler,
      }),
    );
    expect(err.message).toContain('@secret');
    expect(err.message).not.toContain(SECRET);
  });

  it('keeps tsconfig.json paths inside the package, and does not follow "extends"', async () => {
    const result = await bundleFunction({
      zip: zip({
        // A comment and a trailing comma, as tsconfig files have.
        'tsconfig.json': `{ "extends": "${secretFromPackage}/secret.json", // base\n "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] }, }, }`,
        'index.ts': "import { greet } from '@lib/greet';\nexport const handler = async () => greet();\n",
        'lib/greet.ts': "export const greet = () => 'hi';\n",
      }),
      handler,
    });
    expect(result.script).toContain("'hi'".replaceAll("'", '"'));
    expect(result.warnings.join('\n')).toContain('extends');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('refuses a package.json whose main points outside the package', async () => {
    const err = await refusal(
      bundleFunction({
        zip: zip({
          'node_modules/evil/package.json': JSON.stringify({ name: 'evil', main: `../../${secretFromPackage}/secret.js` }),
          'index.js': "exports.handler = async () => require('evil');\n",
        }),
        handler,
      }),
    );
    expect(err.message).toContain('"evil"');
    expect(err.message).not.toContain(SECRET);
  });

  it('refuses package.json "imports" and "exports" that point outside the package', async () => {
    const imports = await refusal(
      bundleFunction({
        zip: zip({
          'package.json': JSON.stringify({ imports: { '#secret': `${secretFromPackage}/secret.js` } }),
          'index.js': "exports.handler = async () => require('#secret');\n",
        }),
        handler,
      }),
    );
    expect(imports.code).toBe('INVALID_CODE');
    expect(imports.message).not.toContain(SECRET);
    const exports = await refusal(
      bundleFunction({
        zip: zip({
          'node_modules/evil/package.json': JSON.stringify({ name: 'evil', exports: { '.': `./../../${secretFromPackage}/secret.js` } }),
          'index.js': "exports.handler = async () => require('evil');\n",
        }),
        handler,
      }),
    );
    expect(exports.code).toBe('INVALID_CODE');
    expect(exports.message).not.toContain(SECRET);
  });

  it('does not let user code reach the polyfills other than as Node built-ins', async () => {
    const tmp = await realpath(tmpdir());
    const polyfillRoot = POLYFILL_ROOTS[0] ?? '';
    const relativeIntoPolyfills = `../../${relative(tmp, polyfillRoot)}/pako/package.json`;
    const err = await refusal(
      bundleFunction({
        zip: zip({ 'index.js': `exports.handler = async () => require(${JSON.stringify(relativeIntoPolyfills)});\n` }),
        handler,
      }),
    );
    expect(err.message).toContain('pako/package.json');
  });

  it('leaves require.resolve and a computed require to run time, reading nothing', async () => {
    const result = await bundleFunction({
      zip: zip({
        'index.js': `exports.handler = async () => [require.resolve(${JSON.stringify(`${secretFromPackage}/secret.js`)}), require(globalThis.x)];\n`,
      }),
      handler,
    });
    expect(result.script).not.toContain(SECRET);
  });

  describe('symlinks', () => {
    let workDir: string;
    beforeAll(async () => {
      workDir = await realpath(await mkdtemp(join(tmpdir(), 'stratus-confine-')));
    });
    afterAll(async () => {
      await rm(workDir, { recursive: true, force: true });
    });

    it('refuses a symlink that resolves outside the package, to a file or a folder', async () => {
      const packageDir = join(workDir, 'file-link');
      await mkdir(packageDir);
      await symlink(join(secretDir, 'secret.js'), join(packageDir, 'linked.js'));
      await symlink(secretDir, join(packageDir, 'linked-dir'));
      await writeFile(join(packageDir, 'index.js'), "exports.handler = async () => require('./linked.js');\n");
      const viaFile = await refusal(bundleDirectory({ packageDir, entry: 'index.js', injectPath: undefined, packageJsons: new Map() }));
      expect(viaFile.message).toContain('./linked.js');
      expect(viaFile.message).not.toContain(SECRET);

      await writeFile(join(packageDir, 'index.js'), "exports.handler = async () => require('./linked-dir/secret.js');\n");
      const viaDir = await refusal(bundleDirectory({ packageDir, entry: 'index.js', injectPath: undefined, packageJsons: new Map() }));
      expect(viaDir.message).toContain('./linked-dir/secret.js');
      expect(viaDir.message).not.toContain(SECRET);
    });

    it('refuses an entry file that is a symlink out of the package', async () => {
      const packageDir = join(workDir, 'entry-link');
      await mkdir(packageDir);
      await symlink(join(secretDir, 'secret.js'), join(packageDir, 'index.js'));
      const err = await refusal(bundleDirectory({ packageDir, entry: 'index.js', injectPath: undefined, packageJsons: new Map() }));
      expect(err.code).toBe('INVALID_CODE');
      expect(await readFile(join(secretDir, 'secret.js'), 'utf8')).toContain(SECRET);
      expect(err.message).not.toContain(SECRET);
    });
  });
});
