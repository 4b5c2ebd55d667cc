import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough, strToU8, zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { extractZip, type ExtractLimits } from '../src/extract-zip.js';

const roomy: ExtractLimits = { zipMaxBytes: 1e7, unzippedMaxBytes: 1e7, maxEntries: 100, carriedMaxBytes: 1e7 };

function zip(files: Record<string, string>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return zipSync(entries);
}

/** A zip built entry by entry, which (unlike an object of files) can hold anything, duplicates and links included. */
function rawZip(entries: Array<{ name: string; data: Uint8Array; attrs?: number; deflate?: boolean }>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const archive = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const { name, data, attrs, deflate } of entries) {
    const file = deflate ? new ZipDeflate(name, { level: 1 }) : new ZipPassThrough(name);
    if (attrs !== undefined) {
      file.os = 3;
      file.attrs = attrs;
    }
    archive.add(file);
    file.push(data, true);
  }
  archive.end();
  return Buffer.concat(chunks);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratus-extract-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!hasCode(err, 'INVALID_CODE')) throw err;
  return err.message;
}

async function filesIn(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).sort();
}

describe('extractZip', () => {
  it('writes the files and reports package.json files and the globals the sources name', async () => {
    const extracted = await extractZip(
      zip({ 'index.js': 'exports.handler = () => Buffer.from("x");', 'lib/package.json': '{"type":"module"}', 'lib/a.txt': 'URL' }),
      dir,
      roomy,
    );
    expect([...extracted.paths].sort()).toEqual(['index.js', 'lib/a.txt', 'lib/package.json']);
    expect(new TextDecoder().decode(extracted.packageJsons.get('lib/package.json'))).toBe('{"type":"module"}');
    expect(extracted.globalsUsed).toEqual({ buffer: true, url: false });
    expect(await filesIn(dir)).toEqual(['index.js', 'lib', 'lib/a.txt', 'lib/package.json']);
  });

  it('refuses a zip larger than the upload limit', async () => {
    const bytes = zip({ 'index.js': 'x'.repeat(1000) });
    expect(await refusal(extractZip(bytes, dir, { ...roomy, zipMaxBytes: 10 }))).toMatch(/limit is 10 bytes/);
  });

  it('refuses more entries than the limit before writing any', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 11; i++) files[`f${i}.js`] = '';
    expect(await refusal(extractZip(zip(files), dir, { ...roomy, maxEntries: 10 }))).toMatch(/11 entries; the limit is 10/);
    expect(await filesIn(dir)).toEqual([]);
  });

  it('refuses code whose declared unzipped size is over the limit before inflating it', async () => {
    const bytes = zip({ 'a.js': 'a'.repeat(600), 'b.js': 'b'.repeat(600) });
    expect(await refusal(extractZip(bytes, dir, { ...roomy, unzippedMaxBytes: 1000 }))).toMatch(/unzipped code exceeds 1000 bytes/);
  });

  it('stops inflating an entry that is bigger than its zip declares', async () => {
    const bytes = rawZip([{ name: 'bomb.js', data: new Uint8Array(2_000_000), deflate: true }]);
    // Rewrite the central directory's uncompressed size (offset 24 of the entry) to 10 bytes.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let central = bytes.byteLength - 4;
    while (central >= 0 && view.getUint32(central, true) !== 0x02014b50) central--;
    view.setUint32(central + 24, 10, true);
    const message = await refusal(extractZip(bytes, dir, { ...roomy, unzippedMaxBytes: 1000 }));
    expect(message).toMatch(/corrupt zip|exceeds/);
  });

  it('refuses two entries with the same name', async () => {
    const bytes = rawZip([
      { name: 'index.js', data: strToU8('exports.handler = () => 1;') },
      { name: 'index.js', data: strToU8('exports.handler = () => 2;') },
    ]);
    expect(await refusal(extractZip(bytes, dir, roomy))).toMatch(/two entries named "index.js"/);
  });

  it('refuses a file and a folder of the same name', async () => {
    const bytes = rawZip([
      { name: 'lib', data: strToU8('x') },
      { name: 'lib/a.js', data: strToU8('y') },
    ]);
    expect(await refusal(extractZip(bytes, dir, roomy))).toMatch(/conflicts/);
  });

  it('refuses symbolic links and other special files', async () => {
    const link = rawZip([{ name: 'passwd.js', data: strToU8('/etc/passwd'), attrs: 0o120777 << 16 }]);
    expect(await refusal(extractZip(link, dir, roomy))).toMatch(/"passwd.js" is a symbolic link/);
    const fifo = rawZip([{ name: 'pipe', data: new Uint8Array(0), attrs: 0o010644 << 16 }]);
    expect(await refusal(extractZip(fifo, dir, roomy))).toMatch(/not a regular file/);
    expect(await filesIn(dir)).toEqual([]);
  });

  it('accepts regular files and folders with Unix modes', async () => {
    const bytes = rawZip([
      { name: 'src/', data: new Uint8Array(0), attrs: 0o040755 << 16 },
      { name: 'src/app.js', data: strToU8('exports.handler = () => 1;'), attrs: 0o100644 << 16 },
    ]);
    const extracted = await extractZip(bytes, dir, roomy);
    expect(extracted.paths).toEqual(['src/app.js']);
  });
});
