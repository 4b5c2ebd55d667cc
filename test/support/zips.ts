import { constants, crc32, deflateRawSync } from 'node:zlib';
import { Zip, ZipPassThrough, strToU8, zipSync, type ZipInputFile, type Zippable } from 'fflate';
import { hasCode } from '@stratus/errors';
import type { TestCluster } from '@stratus/testing';

export const MB = 1024 * 1024;

const HANDLER = 'exports.handler = async () => "a hostile upload";\n';

/** Unix file type bits of a symbolic link (S_IFLNK), in a zip entry's external attributes. */
const SYMLINK_MODE = 0o120777;
/** "Version made by" host 3: Unix, so readers take the high 16 bits of the attributes as st_mode. */
const MADE_BY_UNIX = 3;

/**
 * A zip whose `links` entries are symbolic links (name → target), as `zip -y`
 * stores them: the entry's data is the target path, its mode S_IFLNK.
 */
export function zipWithSymlinks(files: Readonly<Record<string, string>>, links: Readonly<Record<string, string>>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, source] of Object.entries(files)) entries[name] = strToU8(source);
  for (const [name, target] of Object.entries(links)) {
    entries[name] = [strToU8(target), { os: MADE_BY_UNIX, attrs: (SYMLINK_MODE << 16) >>> 0, level: 0 }];
  }
  return zipSync(entries);
}

/**
 * index.js plus `zeros.bin`, `zeroMb` MB of zeros: a bomb of about 1 KB per
 * MB. Each MB is deflated once by zlib (sync-flushed, so the blocks
 * concatenate into one stream) and the block repeated, because deflating
 * hundreds of MB in the test would take longer than the deploy under test.
 */
export function zipOfZeros(zeroMb: number, fileName = 'zeros.bin'): Uint8Array {
  const megabyte = Buffer.alloc(MB);
  const block = deflateRawSync(megabyte, { finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < zeroMb; i++) crc = crc32(megabyte, crc);
  const chunks: Uint8Array[] = [];
  const archive = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const index = new ZipPassThrough('index.js');
  archive.add(index);
  index.push(strToU8(HANDLER), true);
  const zeros: ZipInputFile = { filename: fileName, size: zeroMb * MB, crc, compression: 8 };
  archive.add(zeros);
  for (let i = 0; i < zeroMb; i++) zeros.ondata?.(null, block, false);
  zeros.ondata?.(null, deflateRawSync(Buffer.alloc(0)), true);
  archive.end();
  return Buffer.concat(chunks);
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;

/**
 * The same zip with `entryName`'s uncompressed size declared as
 * `declaredBytes` in its central directory and local header: a bomb that
 * lies, so only counting bytes as they inflate can stop it.
 */
export function withDeclaredSize(zip: Uint8Array, entryName: string, declaredBytes: number): Uint8Array {
  const out = Buffer.from(zip);
  let patched = 0;
  for (let at = 0; at + 46 <= out.length; at++) {
    if (out.readUInt32LE(at) !== CENTRAL_HEADER) continue;
    const nameLength = out.readUInt16LE(at + 28);
    if (out.toString('utf8', at + 46, at + 46 + nameLength) !== entryName) continue;
    out.writeUInt32LE(declaredBytes, at + 24);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== LOCAL_HEADER) throw new Error(`no local header for ${entryName}`);
    if (out.readUInt32LE(local + 22) !== 0) out.writeUInt32LE(declaredBytes, local + 22);
    patched++;
  }
  if (patched !== 1) throw new Error(`expected one central directory entry named ${entryName}, found ${patched}`);
  return out;
}

/** index.js and `count` one-byte files, stored (no compression: the point is the count). */
export function zipOfManyFiles(count: number): Uint8Array {
  const files: Zippable = { 'index.js': strToU8(HANDLER) };
  const one = strToU8('1');
  for (let i = 0; i < count; i++) files[`f/${i}.js`] = one;
  return zipSync(files, { level: 0 });
}

/** The error a deploy that must fail ends with; throws if it deployed or failed without a Stratus error code. */
export async function deployError(cluster: TestCluster, functionName: string, zipFile: Uint8Array): Promise<{ code: string; message: string }> {
  const err: unknown = await cluster.client.createFunction({ functionName, zipFile }).then(
    () => new Error(`${functionName} deployed`),
    (e: unknown) => e,
  );
  if (!hasCode(err)) throw err;
  return { code: err.code, message: err.message };
}
