import { describe, expect, it } from 'vitest';
import { PackageFiles } from '../src/index.js';
import { invoke, parsed, useEnvironments } from './fixtures.js';

// What the bundler's fs shim reads through: the package's files and /tmp's size.
const READER = `
import { files, read, tmpLimitBytes } from 'stratus:files';
export const handler = async (event) => ({
  files: files(),
  texts: files().map((f, i) => new TextDecoder().decode(read(i))),
  limit: tmpLimitBytes(),
  missing: (() => { try { read(99); return 'read'; } catch (err) { return err.name; } })(),
});
`;

describe("the package's files in the isolate", () => {
  const create = useEnvironments();

  it('links stratus:files for a function that imports it: each file by index, and the ephemeral storage in bytes', async () => {
    const files = PackageFiles.from([
      { path: 'template.html', data: new TextEncoder().encode('<h1>hi</h1>') },
      { path: 'dir/a.txt', data: new TextEncoder().encode('A').subarray(0) },
    ]);
    expect(files.totalBytes).toBe(12);
    const env = await create(READER, { files, ephemeralStorageMb: 1024, memoryMb: 2048 });
    expect(parsed(await invoke(env))).toEqual({
      files: [
        { path: 'template.html', size: 11 },
        { path: 'dir/a.txt', size: 1 },
      ],
      texts: ['<h1>hi</h1>', 'A'],
      limit: 1024 * 1024 * 1024,
      missing: 'RangeError',
    });
    // One PackageFiles serves every environment of the code.
    const other = await create(READER, { files });
    expect((parsed(await invoke(other)) as { texts: string[]; limit: number }).texts).toEqual(['<h1>hi</h1>', 'A']);
    // 128 MB leaves 96 MB beside the heap: /tmp fills up (ENOSPC) before the isolate runs out of memory.
    expect((parsed(await invoke(other)) as { limit: number }).limit).toBe(96 * 1024 * 1024);
  });

  it('holds exactly each file when its data is a view into a larger Node Buffer (a NATS read buffer, a pooled Buffer)', async () => {
    const received = Buffer.from('MSG _INBOX.x 1 52\r\n{"type":"module"}<p>page</p>');
    const packageJson = received.subarray(19, 36);
    const page = received.subarray(36);
    const files = PackageFiles.from([
      { path: 'package.json', data: packageJson },
      { path: 'page.html', data: page },
    ]);
    const env = await create(READER, { files });
    expect((parsed(await invoke(env)) as { texts: string[] }).texts).toEqual(['{"type":"module"}', '<p>page</p>']);
    expect(files.typeModulePackageJson('')).toBe('package.json');
    expect(files.typeModulePackageJson('src/deep')).toBe('package.json');
  });

  it('gives an empty /var/task to a function without carried files', async () => {
    const env = await create(READER);
    expect(parsed(await invoke(env))).toMatchObject({ files: [], texts: [] });
  });

  it('refuses an ephemeral storage outside 512 to 10240 MB, naming the option', async () => {
    await expect(create(READER, { ephemeralStorageMb: 100 })).rejects.toThrow('ephemeralStorageMb: must be an integer in [512, 10240], got 100');
  });
});
