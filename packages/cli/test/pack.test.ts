import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { packPath } from '../src/pack.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratus-pack-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
}

function contents(zip: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(zip)).map(([name, data]) => [name, strFromU8(data)]));
}

describe('packPath', () => {
  it('zips every file of a folder at the zip root, skipping .git only', async () => {
    await write('my-fn/index.js', 'exports.handler = 1;');
    await write('my-fn/src/lib/util.js', 'module.exports = 2;');
    await write('my-fn/node_modules/dep/index.js', 'dep');
    await write('my-fn/.env', 'A=1');
    await write('my-fn/.git/HEAD', 'ref: refs/heads/main');
    await write('my-fn/.git/objects/ab/cdef', 'x');

    const packed = await packPath(join(dir, 'my-fn'));

    expect(packed.files).toEqual(['.env', 'index.js', 'node_modules/dep/index.js', 'src/lib/util.js']);
    expect(contents(packed.zip)).toEqual({
      '.env': 'A=1',
      'index.js': 'exports.handler = 1;',
      'node_modules/dep/index.js': 'dep',
      'src/lib/util.js': 'module.exports = 2;',
    });
    expect(packed.defaultName).toBe('my-fn');
    expect(packed.defaultHandler).toBeUndefined();
  });

  it('follows symlinks, without looping on a link to an ancestor', async () => {
    await write('shared/helper.js', 'helper');
    await write('fn/index.js', 'index');
    await symlink(join(dir, 'shared'), join(dir, 'fn', 'shared'));
    await symlink(join(dir, 'fn'), join(dir, 'fn', 'loop'));

    const packed = await packPath(join(dir, 'fn'));

    expect(packed.files).toEqual(['index.js', 'shared/helper.js']);
  });

  it('stores a single file at the zip root and derives the name and handler from it', async () => {
    await write('deep/greet.mjs', 'export const handler = () => 1;');

    const packed = await packPath(join(dir, 'deep', 'greet.mjs'));

    expect(contents(packed.zip)).toEqual({ 'greet.mjs': 'export const handler = () => 1;' });
    expect(packed.files).toEqual(['greet.mjs']);
    expect(packed.defaultName).toBe('greet');
    expect(packed.defaultHandler).toBe('greet.handler');
  });

  it('has no default handler for a file name Lambda cannot address', async () => {
    await write('my.handler.js', '');
    expect((await packPath(join(dir, 'my.handler.js'))).defaultHandler).toBeUndefined();
  });

  it('rejects a missing path and an empty folder as bad arguments', async () => {
    await mkdir(join(dir, 'empty', '.git'), { recursive: true });
    for (const path of [join(dir, 'nope'), join(dir, 'empty')]) {
      const err = await packPath(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(hasCode(err, 'INVALID_ARGUMENT'), path).toBe(true);
    }
  });
});
