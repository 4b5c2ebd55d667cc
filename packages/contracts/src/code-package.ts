import { StratusError } from '@stratus/errors';

/** A file of the deployment package carried to run time, readable at `/var/task/<path>`. */
export interface PackageFile {
  /** Relative and '/'-separated ("templates/page.html"); never absolute, never with `.` or `..` parts. */
  readonly path: string;
  readonly data: Uint8Array;
}

/** What a node runs: the bundle, and the package's files the code may read at run time. */
export interface CodePackage {
  readonly script: string;
  readonly files: readonly PackageFile[];
  /**
   * The bundle's source map (JSON text, sources relative to the package
   * root, no sources content), so stack traces can name the user's files.
   * Never readable by the function. Absent for code stored without one.
   */
  readonly sourceMap?: string;
}

/**
 * Stored code is the script's UTF-8 bytes when the package carries no files
 * and no source map (so such a bundle's hash is the hash of its script),
 * else this header, a JSON index and the bytes (script, source map, files):
 * NUL cannot start a script, so the two never collide.
 */
const MAGIC = '\u0000stratus-code/1\n';
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);

interface PackageIndex {
  readonly scriptBytes: number;
  /** Absent in packages stored before source maps were kept. */
  readonly sourceMapBytes?: number;
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/** A package path as the runtime accepts it: relative, '/'-separated, no empty, `.` or `..` parts. */
export function isPackagePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\u0000')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** The bytes the code store keeps (and hashes) for a bundle and its files. */
export function encodeCodePackage(code: CodePackage): Uint8Array {
  const script = new TextEncoder().encode(code.script);
  const sourceMap = code.sourceMap === undefined ? undefined : new TextEncoder().encode(code.sourceMap);
  if (code.files.length === 0 && sourceMap === undefined) return script;
  let filesBytes = 0;
  for (const file of code.files) {
    if (!isPackagePath(file.path)) throw new StratusError('INVALID_ARGUMENT', `package file path ${JSON.stringify(file.path)} is not a relative path`);
    filesBytes += file.data.byteLength;
  }
  const index: PackageIndex = {
    scriptBytes: script.byteLength,
    ...(sourceMap !== undefined ? { sourceMapBytes: sourceMap.byteLength } : {}),
    files: code.files.map((f) => ({ path: f.path, bytes: f.data.byteLength })),
  };
  const indexBytes = new TextEncoder().encode(JSON.stringify(index));
  const out = new Uint8Array(MAGIC_BYTES.byteLength + 4 + indexBytes.byteLength + script.byteLength + (sourceMap?.byteLength ?? 0) + filesBytes);
  let at = 0;
  out.set(MAGIC_BYTES, at);
  at += MAGIC_BYTES.byteLength;
  new DataView(out.buffer).setUint32(at, indexBytes.byteLength);
  at += 4;
  out.set(indexBytes, at);
  at += indexBytes.byteLength;
  out.set(script, at);
  at += script.byteLength;
  if (sourceMap !== undefined) {
    out.set(sourceMap, at);
    at += sourceMap.byteLength;
  }
  for (const file of code.files) {
    out.set(file.data, at);
    at += file.data.byteLength;
  }
  return out;
}

/**
 * The bundle and files stored code holds; plain script bytes have no files.
 * Each file's data is a view into `bytes`. CODE_UNAVAILABLE when the bytes
 * are not a well-formed package (the store checked the hash, so only a bug
 * or a hostile writer gets there).
 */
export function decodeCodePackage(bytes: Uint8Array): CodePackage {
  if (!startsWithMagic(bytes)) return { script: new TextDecoder().decode(bytes), files: [] };
  const corrupt = (why: string): StratusError => new StratusError('CODE_UNAVAILABLE', `stored code is not a well-formed package: ${why}`);
  let at = MAGIC_BYTES.byteLength;
  if (bytes.byteLength < at + 4) throw corrupt('truncated header');
  const indexLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
  at += 4;
  if (bytes.byteLength < at + indexLength) throw corrupt('truncated index');
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + indexLength)));
  } catch {
    throw corrupt('unreadable index');
  }
  at += indexLength;
  if (!isPackageIndex(index)) throw corrupt('bad index');
  const take = (length: number): Uint8Array => {
    if (at + length > bytes.byteLength) throw corrupt('a length runs past the end');
    const part = bytes.subarray(at, at + length);
    at += length;
    return part;
  };
  const script = new TextDecoder().decode(take(index.scriptBytes));
  const sourceMap = index.sourceMapBytes === undefined ? undefined : new TextDecoder().decode(take(index.sourceMapBytes));
  const seen = new Set<string>();
  const files = index.files.map((entry) => {
    if (!isPackagePath(entry.path) || seen.has(entry.path)) throw corrupt('a bad or repeated file path');
    seen.add(entry.path);
    return { path: entry.path, data: take(entry.bytes) };
  });
  if (at !== bytes.byteLength) throw corrupt('bytes after the last file');
  return sourceMap === undefined ? { script, files } : { script, files, sourceMap };
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPackageIndex(value: unknown): value is PackageIndex {
  if (typeof value !== 'object' || value === null) return false;
  const { scriptBytes, sourceMapBytes, files } = value as Record<string, unknown>;
  if (!isByteCount(scriptBytes) || !Array.isArray(files)) return false;
  if (sourceMapBytes !== undefined && !isByteCount(sourceMapBytes)) return false;
  return files.every((file: unknown) => {
    if (typeof file !== 'object' || file === null) return false;
    const { path, bytes } = file as Record<string, unknown>;
    return typeof path === 'string' && isByteCount(bytes);
  });
}

function startsWithMagic(bytes: Uint8Array): boolean {
  if (bytes.byteLength < MAGIC_BYTES.byteLength) return false;
  for (let i = 0; i < MAGIC_BYTES.byteLength; i++) if (bytes[i] !== MAGIC_BYTES[i]) return false;
  return true;
}
