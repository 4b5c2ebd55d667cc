import { unzipSync } from 'fflate';
import { StratusError, hasCode } from '@stratus/errors';

/** A file from the uploaded zip: a normalised relative path ("src/app.js") and its bytes. */
export interface CodeFile {
  readonly path: string;
  readonly data: Uint8Array;
}

export interface UnzipLimits {
  readonly zipMaxBytes: number;
  readonly unzippedMaxBytes: number;
}

/**
 * Reads a Lambda-style code zip into memory, refusing anything that could
 * escape the directory it is extracted into or exhaust memory. Directory
 * entries are dropped: directories are recreated from file paths.
 */
export function unzipCode(zip: Uint8Array, limits: UnzipLimits): CodeFile[] {
  if (zip.byteLength > limits.zipMaxBytes) {
    throw invalidCode(`zip is ${zip.byteLength} bytes; the limit is ${limits.zipMaxBytes} bytes (${mb(limits.zipMaxBytes)})`);
  }
  let declaredBytes = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      // Checked against the sizes the zip declares before anything is inflated:
      // fflate allocates each entry's output from its declared size, so this is
      // what bounds memory for a zip bomb.
      filter: (file) => {
        checkEntryName(file.name);
        declaredBytes += file.originalSize;
        if (declaredBytes > limits.unzippedMaxBytes) throw tooLarge(limits.unzippedMaxBytes);
        return !file.name.endsWith('/');
      },
    });
  } catch (err) {
    if (hasCode(err)) throw err;
    throw invalidCode(`corrupt zip: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const files: CodeFile[] = [];
  let actualBytes = 0;
  for (const [name, data] of Object.entries(entries)) {
    actualBytes += data.byteLength;
    if (actualBytes > limits.unzippedMaxBytes) throw tooLarge(limits.unzippedMaxBytes);
    files.push({ path: normalise(name), data });
  }
  return files;
}

function normalise(name: string): string {
  return name.replaceAll('\\', '/').replace(/^(\.\/)+/, '');
}

function checkEntryName(name: string): void {
  const path = name.replaceAll('\\', '/');
  if (path.length === 0 || path.includes('\0')) throw invalidCode(`zip entry has an invalid name ${JSON.stringify(name)}`);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    throw invalidCode(`zip entry ${JSON.stringify(name)} has an absolute path`);
  }
  if (path.split('/').includes('..')) {
    throw invalidCode(`zip entry ${JSON.stringify(name)} has a '..' path segment`);
  }
}

function tooLarge(limitBytes: number): StratusError {
  return invalidCode(`unzipped code exceeds ${limitBytes} bytes (${mb(limitBytes)})`);
}

function invalidCode(message: string, cause?: unknown): StratusError {
  return new StratusError('INVALID_CODE', message, cause === undefined ? {} : { cause });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
