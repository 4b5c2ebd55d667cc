import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { usageError } from './usage-error.js';

export interface PackedCode {
  /** A zip in Lambda's layout: the folder's contents, or the file, at the root. */
  readonly zip: Uint8Array;
  /** The zip's entry names, sorted. */
  readonly files: readonly string[];
  /** The function name to use when none is given: the folder's name, or the file's without its extension. */
  readonly defaultName: string;
  /**
   * For a single file, `<file name without extension>.handler`; undefined for a
   * folder (the platform's default, index.handler, applies) or when the file
   * name has a dot Lambda's handler format cannot express.
   */
  readonly defaultHandler: string | undefined;
}

/** Directory names left out of a folder's zip. */
const SKIPPED_DIRS = new Set(['.git']);

/**
 * Zips a folder (every file below it, following symlinks, skipping only
 * `.git`) or a single file (stored at the zip root under its own name).
 */
export async function packPath(path: string): Promise<PackedCode> {
  const info = await stat(path).catch((err: unknown) => {
    throw usageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
  });
  const name = basename(path);
  if (info.isFile()) {
    const stem = name.slice(0, name.length - extname(name).length);
    const entries: Zippable = { [name]: await readFile(path) };
    return {
      zip: zipSync(entries),
      files: [name],
      defaultName: stem,
      defaultHandler: stem.includes('.') || stem.length === 0 ? undefined : `${stem}.handler`,
    };
  }
  if (!info.isDirectory()) throw usageError(`${path} is neither a file nor a folder`);
  const entries: Record<string, Uint8Array> = {};
  await collect(path, '', entries, new Set([await realpath(path)]));
  const files = Object.keys(entries).sort();
  if (files.length === 0) throw usageError(`${path} has no files to deploy`);
  return { zip: zipSync(entries), files, defaultName: name, defaultHandler: undefined };
}

async function collect(dir: string, prefix: string, out: Record<string, Uint8Array>, ancestors: Set<string>): Promise<void> {
  const dirents = await readdir(dir, { withFileTypes: true });
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    const full = join(dir, dirent.name);
    const entryName = prefix + dirent.name;
    let isDir = dirent.isDirectory();
    let isFile = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      const target = await stat(full).catch((err: unknown) => {
        throw usageError(`broken symlink ${full}`, err);
      });
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(dirent.name)) continue;
      const real = await realpath(full);
      // A link back to an ancestor would recurse forever.
      if (ancestors.has(real)) continue;
      await collect(full, `${entryName}/`, out, new Set([...ancestors, real]));
    } else if (isFile) {
      out[entryName] = await readFile(full);
    }
  }
}
