import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fromBufferPromise, type Entry } from 'yauzl';
import { StratusError, hasCode } from '@stratus/errors';
import type { PackageFile } from '@stratus/contracts';
import { carriedAtRunTime } from './package-files.js';

export interface ExtractLimits {
  /** The zip as uploaded (Lambda: 50 MB). */
  readonly zipMaxBytes: number;
  /** Everything inflated together (Lambda: 250 MB), counted as it inflates. */
  readonly unzippedMaxBytes: number;
  /** Entries (files and folders) in the zip's central directory. */
  readonly maxEntries: number;
  /** The files carried to run time (package-files.ts), together; counted as they inflate. */
  readonly carriedMaxBytes: number;
}

/** Which of Node's globals that V8 lacks some source file names. */
export interface GlobalsUsed {
  readonly buffer: boolean;
  readonly url: boolean;
}

export interface ExtractedPackage {
  /** The files written, relative and '/'-separated ("src/app.js"). */
  readonly paths: readonly string[];
  /** Each package.json's bytes by path: Node decides a `.js` file's module type from the nearest one. */
  readonly packageJsons: ReadonlyMap<string, Uint8Array>;
  readonly globalsUsed: GlobalsUsed;
  /** The files the function can read under /var/task at run time (package-files.ts), in zip order. */
  readonly files: readonly PackageFile[];
}

const SOURCE_FILE = /\.(?:[cm]?js|[cm]?ts)$/;
/** An import of the AWS SDK (`'@aws-sdk/…'`, `'@smithy/…'`) in a source file. */
const SDK_IMPORT = /['"`]@(?:aws-sdk|smithy)\//;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** versionMadeBy's high byte when the external attributes hold a Unix mode. */
const MADE_BY_UNIX = 3;

/**
 * Writes a Lambda-style code zip into `dir`, refusing what could escape it or
 * exhaust the machine: more entries than the limit (checked from the central
 * directory before anything is inflated), duplicate names, links and other
 * special files, unsafe names, and more inflated bytes than the limit, counted
 * as they inflate so a zip bomb stops at the limit. Streams entry by entry:
 * memory stays small whatever the zip holds.
 */
export async function extractZip(zip: Uint8Array, dir: string, limits: ExtractLimits): Promise<ExtractedPackage> {
  if (zip.byteLength > limits.zipMaxBytes) {
    throw invalidCode(`zip is ${zip.byteLength} bytes; the limit is ${limits.zipMaxBytes} bytes (${mb(limits.zipMaxBytes)})`);
  }
  const buffer = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let zipfile;
  try {
    zipfile = await fromBufferPromise(buffer, { strictFileNames: false, validateEntrySizes: true });
  } catch (err) {
    throw zipError(err);
  }
  try {
    if (zipfile.entryCount > limits.maxEntries) {
      throw invalidCode(`zip has ${zipfile.entryCount} entries; the limit is ${limits.maxEntries} files and folders`);
    }
    return await extractEntries(zipfile.eachEntry(), (entry) => zipfile.openReadStreamPromise(entry), dir, limits);
  } catch (err) {
    throw zipError(err);
  } finally {
    zipfile.close();
  }
}

async function extractEntries(
  entries: AsyncIterableIterator<Entry>,
  open: (entry: Entry) => Promise<NodeJS.ReadableStream>,
  dir: string,
  limits: ExtractLimits,
): Promise<ExtractedPackage> {
  const names = new Set<string>();
  const paths: string[] = [];
  const packageJsons = new Map<string, Uint8Array>();
  const globalsUsed = { buffer: false, url: false };
  const madeDirs = new Set<string>();
  const files: PackageFile[] = [];
  let declaredBytes = 0;
  const inflated = { bytes: 0, carried: 0 };

  for await (const entry of entries) {
    const name = entry.fileName.replace(/^(\.\/)+/, '');
    const isDir = name.endsWith('/');
    const path = isDir ? name.slice(0, -1) : name;
    if (path === '' || path === '.') continue;
    if (names.has(path)) throw invalidCode(`zip has two entries named ${JSON.stringify(path)}: each file may appear once`);
    names.add(path);
    const type = fileType(entry);
    if (type === S_IFLNK) {
      throw invalidCode(`zip entry ${JSON.stringify(path)} is a symbolic link; links are not deployed, include the file itself`);
    }
    if (type !== undefined && type !== S_IFREG && type !== S_IFDIR) {
      throw invalidCode(`zip entry ${JSON.stringify(path)} is not a regular file or folder`);
    }
    if (isDir || type === S_IFDIR) continue;
    // A bomb that declares its sizes fails here before anything inflates;
    // the inflated count below catches one that lies about them.
    declaredBytes += entry.uncompressedSize;
    if (declaredBytes > limits.unzippedMaxBytes) throw tooLarge(limits.unzippedMaxBytes);

    const target = join(dir, path);
    const parent = dirname(target);
    if (!madeDirs.has(parent)) {
      await mkdir(parent, { recursive: true }).catch((err: unknown) => {
        throw conflict(path, err);
      });
      madeDirs.add(parent);
    }
    const keep = path === 'package.json' || path.endsWith('/package.json');
    const scan = SOURCE_FILE.test(path) && !(globalsUsed.buffer && globalsUsed.url);
    const carried = carriedAtRunTime(path);
    const chunks: Buffer[] = [];
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        inflated.bytes += chunk.byteLength;
        if (inflated.bytes > limits.unzippedMaxBytes) {
          callback(tooLarge(limits.unzippedMaxBytes));
          return;
        }
        if (carried) {
          inflated.carried += chunk.byteLength;
          if (inflated.carried > limits.carriedMaxBytes) {
            callback(carriedTooLarge(path, limits.carriedMaxBytes));
            return;
          }
        }
        if (keep || scan || carried) chunks.push(chunk);
        callback(null, chunk);
      },
    });
    const stream = await open(entry);
    // 'wx': never write through something already there (a duplicate that
    // differs only in how it is spelled, or a folder of the same name).
    await pipeline(stream, counter, createWriteStream(target, { flags: 'wx' })).catch((err: unknown) => {
      throw hasCode(err) ? err : conflict(path, err);
    });
    paths.push(path);
    if (keep || scan || carried) {
      const data = Buffer.concat(chunks);
      if (carried) files.push({ path, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
      if (keep) packageJsons.set(path, data);
      if (scan) {
        const text = data.toString('utf8');
        // The AWS SDK a deploy may add (aws-sdk-layer.ts) is not among the files scanned here, and uses both.
        const sdk = SDK_IMPORT.test(text);
        globalsUsed.buffer ||= sdk || /\bBuffer\b/.test(text);
        globalsUsed.url ||= sdk || /\bURL(?:SearchParams)?\b/.test(text);
      }
    }
  }
  return { paths, packageJsons, globalsUsed, files };
}

/** The entry's Unix file type when the zip records one (zips made on Unix do). */
function fileType(entry: Entry): number | undefined {
  if (entry.versionMadeBy >> 8 !== MADE_BY_UNIX) return undefined;
  const mode = entry.externalFileAttributes >>> 16;
  return mode === 0 ? undefined : mode & S_IFMT;
}

function conflict(path: string, err: unknown): StratusError {
  const code = (err as { code?: unknown }).code;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
    return invalidCode(`zip entry ${JSON.stringify(path)} conflicts with another entry (a file and a folder, or the same file twice)`, err);
  }
  return zipError(err);
}

function zipError(err: unknown): StratusError {
  if (hasCode(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  // yauzl's own checks of entry names, which must stay inside the folder.
  if (/^(?:invalid relative path|absolute path|invalid characters in fileName)/.test(message)) {
    return invalidCode(`zip entry has an unsafe name: ${message}`, err);
  }
  return invalidCode(`corrupt zip: ${message}`, err);
}

function tooLarge(limitBytes: number): StratusError {
  return invalidCode(`unzipped code exceeds ${limitBytes} bytes (${mb(limitBytes)})`);
}

function carriedTooLarge(path: string, limitBytes: number): StratusError {
  return invalidCode(
    `the package's files other than code total more than ${limitBytes} bytes (${mb(limitBytes)}), passed at ${JSON.stringify(path)}: ` +
      'these are kept readable under /var/task at run time, in every node\'s memory, so Stratus carries at most that much ' +
      '(code, and docs, licences, source maps and type declarations in node_modules, do not count); keep large assets in object storage or out of the zip',
  );
}

function invalidCode(message: string, cause?: unknown): StratusError {
  return new StratusError('INVALID_CODE', message, cause === undefined ? {} : { cause });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
