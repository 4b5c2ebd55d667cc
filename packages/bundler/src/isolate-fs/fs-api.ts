import { Buffer } from 'buffer';
import { Readable, Writable } from 'stream';
import { argError, fsError, type FsError } from './errors.js';
import { resolvePath, type FsNode, type OpenFlags, type StatInfo, type VirtualFs } from './vfs.js';

/**
 * Node's `fs` (sync, callback and promise forms) over the isolate's
 * VirtualFs: the calls functions use (read/write/append, exists, stat,
 * readdir, mkdir, rm, rename, copy, access, open/read/write/close, streams).
 * Every other function of Node's fs throws ENOSYS naming the call.
 */

type PathLike = string | Uint8Array | URL;
type Encoding = BufferEncoding | null | undefined;
type Callback<T> = (err: Error | null, value?: T) => void;

export const constants = {
  F_OK: 0,
  R_OK: 4,
  W_OK: 2,
  X_OK: 1,
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_SYNC: 0o4010000,
  S_IFMT: 0o170000,
  S_IFREG: 0o100000,
  S_IFDIR: 0o040000,
  S_IFLNK: 0o120000,
  COPYFILE_EXCL: 1,
  COPYFILE_FICLONE: 2,
  COPYFILE_FICLONE_FORCE: 4,
} as const;

export class Stats {
  dev!: number;
  ino!: number;
  mode!: number;
  nlink!: number;
  uid!: number;
  gid!: number;
  rdev!: number;
  size!: number;
  blksize!: number;
  blocks!: number;
  atimeMs!: number;
  mtimeMs!: number;
  ctimeMs!: number;
  birthtimeMs!: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
  birthtime: Date;

  constructor(info: StatInfo) {
    Object.assign(this, info);
    this.atime = new Date(info.atimeMs);
    this.mtime = new Date(info.mtimeMs);
    this.ctime = new Date(info.ctimeMs);
    this.birthtime = new Date(info.birthtimeMs);
  }

  isFile(): boolean {
    return (this.mode & constants.S_IFMT) === constants.S_IFREG;
  }
  isDirectory(): boolean {
    return (this.mode & constants.S_IFMT) === constants.S_IFDIR;
  }
  isSymbolicLink(): boolean {
    return false;
  }
  isBlockDevice(): boolean {
    return false;
  }
  isCharacterDevice(): boolean {
    return false;
  }
  isFIFO(): boolean {
    return false;
  }
  isSocket(): boolean {
    return false;
  }
}

/** What createReadStream returns, so `stream instanceof fs.ReadStream` holds as in Node (the AWS SDK sizes such bodies by their path). */
export class ReadStream extends Readable {
  path = '';
  bytesRead = 0;
}

/** What createWriteStream returns, so `stream instanceof fs.WriteStream` holds as in Node. */
export class WriteStream extends Writable {
  path = '';
  bytesWritten = 0;
}

export class Dirent {
  readonly name: string;
  readonly path: string;
  readonly parentPath: string;
  readonly #dir: boolean;

  constructor(name: string, parentPath: string, node: FsNode) {
    this.name = name;
    this.path = parentPath;
    this.parentPath = parentPath;
    this.#dir = node.kind === 'dir';
  }

  isFile(): boolean {
    return !this.#dir;
  }
  isDirectory(): boolean {
    return this.#dir;
  }
  isSymbolicLink(): boolean {
    return false;
  }
  isBlockDevice(): boolean {
    return false;
  }
  isCharacterDevice(): boolean {
    return false;
  }
  isFIFO(): boolean {
    return false;
  }
  isSocket(): boolean {
    return false;
  }
}

/** Node's fs functions the isolate does not provide (links, owners, modes, times, watching): each throws ENOSYS naming itself. */
export const NOT_PROVIDED = [
  'chmod', 'chmodSync', 'fchmod', 'fchmodSync', 'lchmod', 'lchmodSync', 'chown', 'chownSync', 'fchown', 'fchownSync',
  'lchown', 'lchownSync', 'utimes', 'utimesSync', 'futimes', 'futimesSync', 'lutimes', 'lutimesSync', 'link', 'linkSync',
  'symlink', 'symlinkSync', 'readlink', 'readlinkSync', 'fsync', 'fsyncSync', 'fdatasync', 'fdatasyncSync', 'readv',
  'readvSync', 'writev', 'writevSync', 'statfs', 'statfsSync', 'cp', 'cpSync', 'opendir', 'opendirSync', 'watch',
  'watchFile', 'unwatchFile', 'openAsBlob',
] as const;
export const NOT_PROVIDED_PROMISES = [
  'readlink', 'symlink', 'statfs', 'link', 'chmod', 'lchmod', 'lchown', 'chown', 'utimes', 'lutimes', 'cp', 'opendir', 'watch',
] as const;

function missingPromises(): Record<(typeof NOT_PROVIDED_PROMISES)[number], (...args: unknown[]) => Promise<never>> {
  const out = {} as Record<(typeof NOT_PROVIDED_PROMISES)[number], (...args: unknown[]) => Promise<never>>;
  for (const name of NOT_PROVIDED_PROMISES) {
    const fail = notProvided(name);
    out[name] = (...args: unknown[]) => promised(() => fail(...args));
  }
  return out;
}

function notProvided(syscall: string): (...args: unknown[]) => never {
  return (...args: unknown[]): never => {
    throw fsError('ENOSYS', syscall, typeof args[0] === 'string' ? args[0] : undefined);
  };
}

function toPathString(path: PathLike, name = 'path'): string {
  if (typeof path === 'string') {
    if (path.includes('\u0000')) throw argError('ERR_INVALID_ARG_VALUE', `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${JSON.stringify(path)}`);
    return path;
  }
  if (path instanceof Uint8Array) return toPathString(Buffer.from(path).toString('utf8'), name);
  if (typeof path === 'object' && path !== null && typeof (path as Partial<URL>).href === 'string' && typeof (path as Partial<URL>).protocol === 'string') {
    const url = path;
    if (url.protocol !== 'file:') throw argError('ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
    return decodeURIComponent(url.pathname);
  }
  throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${describe(path)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${(value as { name?: string }).name ?? ''}`;
  if (typeof value === 'object') return `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'}`;
  return `type ${typeof value} (${JSON.stringify(value) ?? typeof value})`;
}

function encodingOf(options: unknown, fallback: Encoding = undefined): Encoding {
  if (typeof options === 'string') return options as BufferEncoding;
  if (options !== null && typeof options === 'object' && 'encoding' in options) return (options as { encoding: Encoding }).encoding ?? null;
  return fallback;
}

function flagOf(options: unknown, fallback: string): string | number {
  if (options !== null && typeof options === 'object' && 'flag' in options) return (options as { flag: string | number }).flag ?? fallback;
  return fallback;
}

export function parseFlags(flags: string | number | undefined, fallback = 'r'): OpenFlags {
  const value = flags ?? fallback;
  if (typeof value === 'number') {
    const access = value & 3;
    return {
      read: access === constants.O_RDONLY || access === constants.O_RDWR,
      write: access === constants.O_WRONLY || access === constants.O_RDWR,
      create: (value & constants.O_CREAT) !== 0,
      truncate: (value & constants.O_TRUNC) !== 0,
      exclusive: (value & constants.O_EXCL) !== 0,
      append: (value & constants.O_APPEND) !== 0,
    };
  }
  const table: Record<string, OpenFlags> = {
    r: { read: true, write: false, create: false, truncate: false, exclusive: false, append: false },
    'r+': { read: true, write: true, create: false, truncate: false, exclusive: false, append: false },
    w: { read: false, write: true, create: true, truncate: true, exclusive: false, append: false },
    'w+': { read: true, write: true, create: true, truncate: true, exclusive: false, append: false },
    a: { read: false, write: true, create: true, truncate: false, exclusive: false, append: true },
    'a+': { read: true, write: true, create: true, truncate: false, exclusive: false, append: true },
  };
  const normalized = value.replace('s', '').replace('x', '');
  const base = table[normalized];
  if (base === undefined) throw argError('ERR_INVALID_ARG_VALUE', `The argument 'flags' is invalid. Received ${JSON.stringify(value)}`);
  return { ...base, exclusive: value.includes('x') };
}

function toBytes(data: unknown, encoding: Encoding, name = 'data'): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw argError(
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${describe(data)}`,
  );
}

function decode(bytes: Uint8Array, encoding: Encoding): string | Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding ? buffer.toString(encoding) : buffer;
}

/** Runs `work` and hands its outcome to a Node-style callback on a later turn, as Node's async fs does. */
function later<T>(callback: unknown, work: () => T): void {
  if (typeof callback !== 'function') throw argError('ERR_INVALID_ARG_TYPE', `The "cb" argument must be of type function. Received ${describe(callback)}`);
  const cb = callback as Callback<T>;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  setTimeout(() => {
    if (outcome.ok) cb(null, outcome.value);
    else cb(outcome.error as Error);
  }, 0);
}

function promised<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(work());
      } catch (err) {
        reject(err);
      }
    }, 0);
  });
}

/** Splits Node's (path, options?, callback) calling convention. */
function splitCallback(args: unknown[]): { args: unknown[]; callback: unknown } {
  const callback = args[args.length - 1];
  return { args: args.slice(0, -1), callback };
}

export interface StreamOptions {
  readonly flags?: string;
  readonly encoding?: BufferEncoding;
  readonly fd?: number;
  readonly start?: number;
  readonly end?: number;
  readonly highWaterMark?: number;
}

export type FsModule = ReturnType<typeof createFs>;

export function createFs(vfs: VirtualFs) {
  const abs = (path: PathLike, name?: string): string => resolvePath(toPathString(path, name));

  const sync = {
    existsSync: (path: PathLike): boolean => {
      try {
        return vfs.tryLookup(abs(path)) !== undefined;
      } catch {
        return false;
      }
    },
    readFileSync: (path: PathLike | number, options?: unknown): string | Buffer => {
      const encoding = encodingOf(options);
      if (typeof path === 'number') return decode(readAll(path), encoding);
      const flags = parseFlags(flagOf(options, 'r'));
      const file = abs(path);
      if (flags.write) {
        const fd = vfs.open(file, flags);
        vfs.close(fd);
      }
      return decode(vfs.readFile(file), encoding);
    },
    writeFileSync: (path: PathLike | number, data: unknown, options?: unknown): void => {
      const bytes = toBytes(data, encodingOf(options));
      if (typeof path === 'number') {
        vfs.write(path, bytes, 0, bytes.byteLength, null);
        return;
      }
      vfs.writeFile(abs(path), bytes, parseFlags(flagOf(options, 'w')));
    },
    appendFileSync: (path: PathLike | number, data: unknown, options?: unknown): void => {
      const bytes = toBytes(data, encodingOf(options));
      if (typeof path === 'number') {
        vfs.write(path, bytes, 0, bytes.byteLength, null);
        return;
      }
      vfs.writeFile(abs(path), bytes, parseFlags(flagOf(options, 'a')));
    },
    statSync: (path: PathLike, options?: { throwIfNoEntry?: boolean }): Stats | undefined => {
      try {
        return new Stats(vfs.stat(abs(path), 'stat'));
      } catch (err) {
        if (options?.throwIfNoEntry === false && (err as FsError).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    lstatSync: (path: PathLike, options?: { throwIfNoEntry?: boolean }): Stats | undefined => {
      try {
        return new Stats(vfs.stat(abs(path), 'lstat'));
      } catch (err) {
        if (options?.throwIfNoEntry === false && (err as FsError).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    fstatSync: (fd: number): Stats => {
      return new Stats(vfs.fstat(fd));
    },
    readdirSync: (path: PathLike, options?: unknown): (string | Buffer | Dirent)[] => {
      const dir = abs(path);
      const withFileTypes = typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes === true;
      const recursive = typeof options === 'object' && options !== null && (options as { recursive?: boolean }).recursive === true;
      const encoding = encodingOf(options, 'utf8');
      const out: (string | Buffer | Dirent)[] = [];
      const walk = (folder: string, prefix: string): void => {
        for (const { name, node } of vfs.readdir(folder)) {
          const relativeName = prefix === '' ? name : `${prefix}/${name}`;
          if (withFileTypes) out.push(new Dirent(name, folder, node));
          else out.push((encoding as string) === 'buffer' ? Buffer.from(relativeName) : relativeName);
          if (recursive && node.kind === 'dir') walk(`${folder === '/' ? '' : folder}/${name}`, relativeName);
        }
      };
      walk(dir, '');
      return out;
    },
    mkdirSync: (path: PathLike, options?: unknown): string | undefined => {
      const recursive = typeof options === 'object' && options !== null && (options as { recursive?: boolean }).recursive === true;
      return vfs.mkdir(abs(path), recursive);
    },
    mkdtempSync: (prefix: string): string => {
      if (typeof prefix !== 'string') throw argError('ERR_INVALID_ARG_TYPE', `The "prefix" argument must be of type string. Received ${describe(prefix)}`);
      for (;;) {
        const candidate = `${prefix}${randomSuffix()}`;
        const path = abs(candidate);
        if (vfs.tryLookup(path) !== undefined) continue;
        vfs.mkdir(path, false);
        return candidate;
      }
    },
    rmSync: (path: PathLike, options?: { recursive?: boolean; force?: boolean }): void => {
      vfs.rm(abs(path), options?.recursive === true, options?.force === true);
    },
    rmdirSync: (path: PathLike, options?: { recursive?: boolean }): void => {
      const target = abs(path);
      if (options?.recursive === true) vfs.rm(target, true, false);
      else vfs.rmdir(target);
    },
    unlinkSync: (path: PathLike): void => {
      vfs.unlink(abs(path));
    },
    renameSync: (from: PathLike, to: PathLike): void => {
      vfs.rename(abs(from, 'oldPath'), abs(to, 'newPath'));
    },
    copyFileSync: (from: PathLike, to: PathLike, mode = 0): void => {
      vfs.copyFile(abs(from, 'src'), abs(to, 'dest'), (mode & constants.COPYFILE_EXCL) !== 0);
    },
    accessSync: (path: PathLike, mode: number = constants.F_OK): void => {
      vfs.access(abs(path), (mode & constants.W_OK) !== 0);
    },
    realpathSync: (path: PathLike): string => {
      const target = abs(path);
      vfs.lookup(target, 'realpath');
      return target;
    },
    truncateSync: (path: PathLike, length = 0): void => {
      vfs.truncate(abs(path), length);
    },
    ftruncateSync: (fd: number, length = 0): void => {
      vfs.ftruncate(fd, length);
    },
    openSync: (path: PathLike, flags?: string | number): number => {
      return vfs.open(abs(path), parseFlags(flags));
    },
    closeSync: (fd: number): void => {
      vfs.close(fd);
    },
    readSync: (fd: number, buffer: Uint8Array, offsetOrOptions?: number | { offset?: number; length?: number; position?: number | null }, length?: number, position?: number | null): number => {
      let offset = 0;
      let len = buffer.byteLength;
      let pos: number | null = null;
      if (typeof offsetOrOptions === 'object' && offsetOrOptions !== null) {
        offset = offsetOrOptions.offset ?? 0;
        len = offsetOrOptions.length ?? buffer.byteLength - offset;
        pos = offsetOrOptions.position ?? null;
      } else {
        offset = offsetOrOptions ?? 0;
        len = length ?? buffer.byteLength - offset;
        pos = typeof position === 'number' && position >= 0 ? position : null;
      }
      if (offset < 0 || len < 0 || offset + len > buffer.byteLength) {
        throw argError('ERR_OUT_OF_RANGE', `The value of "length" is out of range. It must be <= ${buffer.byteLength - offset}. Received ${len}`);
      }
      return vfs.read(fd, buffer, offset, len, pos);
    },
    writeSync: (fd: number, data: unknown, offsetOrPosition?: unknown, lengthOrEncoding?: unknown, position?: unknown): number => {
      if (typeof data === 'string') {
        const bytes = Buffer.from(data, typeof lengthOrEncoding === 'string' ? (lengthOrEncoding as BufferEncoding) : 'utf8');
        return vfs.write(fd, bytes, 0, bytes.byteLength, typeof offsetOrPosition === 'number' ? offsetOrPosition : null);
      }
      const bytes = toBytes(data, undefined, 'buffer');
      const offset = typeof offsetOrPosition === 'number' ? offsetOrPosition : 0;
      const length = typeof lengthOrEncoding === 'number' ? lengthOrEncoding : bytes.byteLength - offset;
      return vfs.write(fd, bytes, offset, length, typeof position === 'number' ? position : null);
    },
  };

  function readAll(fd: number): Uint8Array {
    const size = vfs.fstat(fd).size;
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const count = vfs.read(fd, out, at, size - at, null);
      if (count === 0) break;
      at += count;
    }
    return out.subarray(0, at);
  }

  /** The callback form of a sync function: same arguments, then `(err, value)`. */
  const callbackOf =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...all: unknown[]): void => {
      const { args, callback } = splitCallback(all);
      later(callback, () => fn(...(args as A)));
    };

  const callbacks = {
    readFile: callbackOf(sync.readFileSync),
    writeFile: callbackOf(sync.writeFileSync),
    appendFile: callbackOf(sync.appendFileSync),
    stat: callbackOf(sync.statSync),
    lstat: callbackOf(sync.lstatSync),
    fstat: callbackOf(sync.fstatSync),
    readdir: callbackOf(sync.readdirSync),
    mkdir: callbackOf(sync.mkdirSync),
    mkdtemp: callbackOf(sync.mkdtempSync),
    rm: callbackOf(sync.rmSync),
    rmdir: callbackOf(sync.rmdirSync),
    unlink: callbackOf(sync.unlinkSync),
    rename: callbackOf(sync.renameSync),
    copyFile: callbackOf(sync.copyFileSync),
    access: callbackOf(sync.accessSync),
    realpath: callbackOf(sync.realpathSync),
    truncate: callbackOf(sync.truncateSync),
    ftruncate: callbackOf(sync.ftruncateSync),
    open: callbackOf(sync.openSync),
    close: callbackOf(sync.closeSync),
    /** Node's fs.read: the callback gets `(err, bytesRead, buffer)`. */
    read: (fd: number, buffer: Uint8Array, ...rest: unknown[]): void => {
      const { args, callback } = splitCallback(rest);
      const cb = callback as (err: Error | null, count?: number, buffer?: Uint8Array) => void;
      later((err: Error | null, count?: number) => cb(err, count, buffer), () => sync.readSync(fd, buffer, ...(args as [number?, number?, (number | null)?])));
    },
    /** Node's fs.write: the callback gets `(err, bytesWritten, data)`. */
    write: (fd: number, data: unknown, ...rest: unknown[]): void => {
      const { args, callback } = splitCallback(rest);
      const cb = callback as (err: Error | null, count?: number, data?: unknown) => void;
      later((err: Error | null, count?: number) => cb(err, count, data), () => sync.writeSync(fd, data, ...args));
    },
    /** Node's deprecated `exists`: the callback gets only a boolean. */
    exists: (path: PathLike, callback: (exists: boolean) => void): void => {
      const found = sync.existsSync(path);
      setTimeout(() => callback(found), 0);
    },
  };
  class FileHandle {
    readonly fd: number;
    constructor(fd: number) {
      this.fd = fd;
    }
    readFile(options?: unknown): Promise<string | Buffer> {
      return promised(() => sync.readFileSync(this.fd, options));
    }
    writeFile(data: unknown, options?: unknown): Promise<void> {
      return promised(() => sync.writeFileSync(this.fd, data, options));
    }
    appendFile(data: unknown, options?: unknown): Promise<void> {
      return promised(() => sync.appendFileSync(this.fd, data, options));
    }
    read(buffer: Uint8Array, offset?: number, length?: number, position?: number | null): Promise<{ bytesRead: number; buffer: Uint8Array }> {
      return promised(() => ({ bytesRead: sync.readSync(this.fd, buffer, offset, length, position), buffer }));
    }
    write(data: unknown, ...rest: unknown[]): Promise<{ bytesWritten: number; buffer: unknown }> {
      return promised(() => ({ bytesWritten: sync.writeSync(this.fd, data, ...rest), buffer: data }));
    }
    stat(): Promise<Stats> {
      return promised(() => sync.fstatSync(this.fd));
    }
    truncate(length = 0): Promise<void> {
      return promised(() => sync.ftruncateSync(this.fd, length));
    }
    close(): Promise<void> {
      return promised(() => sync.closeSync(this.fd));
    }
  }

  const promises = {
    readFile: (path: PathLike | FileHandle, options?: unknown) => promised(() => sync.readFileSync(path instanceof FileHandle ? path.fd : path, options)),
    writeFile: (path: PathLike | FileHandle, data: unknown, options?: unknown) =>
      promised(() => sync.writeFileSync(path instanceof FileHandle ? path.fd : path, data, options)),
    appendFile: (path: PathLike | FileHandle, data: unknown, options?: unknown) =>
      promised(() => sync.appendFileSync(path instanceof FileHandle ? path.fd : path, data, options)),
    stat: (path: PathLike, options?: unknown) => promised(() => sync.statSync(path, options as { throwIfNoEntry?: boolean })),
    lstat: (path: PathLike, options?: unknown) => promised(() => sync.lstatSync(path, options as { throwIfNoEntry?: boolean })),
    readdir: (path: PathLike, options?: unknown) => promised(() => sync.readdirSync(path, options)),
    mkdir: (path: PathLike, options?: unknown) => promised(() => sync.mkdirSync(path, options)),
    mkdtemp: (prefix: string) => promised(() => sync.mkdtempSync(prefix)),
    rm: (path: PathLike, options?: { recursive?: boolean; force?: boolean }) => promised(() => sync.rmSync(path, options)),
    rmdir: (path: PathLike, options?: { recursive?: boolean }) => promised(() => sync.rmdirSync(path, options)),
    unlink: (path: PathLike) => promised(() => sync.unlinkSync(path)),
    rename: (from: PathLike, to: PathLike) => promised(() => sync.renameSync(from, to)),
    copyFile: (from: PathLike, to: PathLike, mode?: number) => promised(() => sync.copyFileSync(from, to, mode)),
    access: (path: PathLike, mode?: number) => promised(() => sync.accessSync(path, mode)),
    realpath: (path: PathLike) => promised(() => sync.realpathSync(path)),
    truncate: (path: PathLike, length?: number) => promised(() => sync.truncateSync(path, length)),
    open: (path: PathLike, flags?: string | number) => promised(() => new FileHandle(sync.openSync(path, flags))),
    constants,
    ...missingPromises(),
  };

  function createReadStream(path: PathLike, options?: StreamOptions | BufferEncoding): ReadStream {
    const opts: StreamOptions = typeof options === 'string' ? { encoding: options } : (options ?? {});
    const shownPath = opts.fd === undefined ? toPathString(path) : '';
    const chunkBytes = opts.highWaterMark ?? 64 * 1024;
    let fd = opts.fd;
    let position = opts.start ?? 0;
    const end = opts.end ?? Infinity;
    const open = (): number => {
      if (fd === undefined) {
        fd = sync.openSync(shownPath, opts.flags ?? 'r');
        stream.emit('open', fd);
        stream.emit('ready');
      }
      return fd;
    };
    const stream = new ReadStream({
      highWaterMark: chunkBytes,
      ...(opts.encoding !== undefined ? { encoding: opts.encoding } : {}),
      read() {
        try {
          const fd = open();
          const want = Math.min(chunkBytes, end - position + 1);
          const chunk = Buffer.alloc(Math.max(0, want));
          const count = want <= 0 ? 0 : vfs.read(fd, chunk, 0, want, position);
          position += count;
          stream.bytesRead += count;
          this.push(count === 0 ? null : chunk.subarray(0, count));
        } catch (err) {
          this.destroy(err as Error);
        }
      },
      destroy(err, callback) {
        closeQuietly(fd);
        fd = undefined;
        callback(err);
      },
    });
    stream.path = shownPath;
    stream.bytesRead = 0;
    openSoon(stream, open);
    return stream;
  }

  function closeQuietly(fd: number | undefined): void {
    if (fd === undefined) return;
    try {
      vfs.close(fd);
    } catch {
      // Closed already.
    }
  }

  /** Node opens a stream's file at once, so a bad path fails even when nothing is read or written. */
  function openSoon(stream: ReadStream | WriteStream, open: () => number): void {
    setTimeout(() => {
      try {
        if (!stream.destroyed) open();
      } catch (err) {
        stream.destroy(err as Error);
      }
    }, 0);
  }

  function createWriteStream(path: PathLike, options?: StreamOptions | BufferEncoding): WriteStream {
    const opts: StreamOptions = typeof options === 'string' ? { encoding: options } : (options ?? {});
    const shownPath = opts.fd === undefined ? toPathString(path) : '';
    let fd = opts.fd;
    let position: number | null = opts.start ?? null;
    const open = (): number => {
      if (fd === undefined) {
        fd = sync.openSync(shownPath, opts.flags ?? 'w');
        stream.emit('open', fd);
        stream.emit('ready');
      }
      return fd;
    };
    const stream = new WriteStream({
      decodeStrings: true,
      ...(opts.encoding !== undefined ? { defaultEncoding: opts.encoding } : {}),
      write(chunk: Buffer, _encoding, callback) {
        try {
          const count = vfs.write(open(), chunk, 0, chunk.byteLength, position);
          if (position !== null) position += count;
          stream.bytesWritten += count;
          callback();
        } catch (err) {
          callback(err as Error);
        }
      },
      final(callback) {
        try {
          open();
          callback();
        } catch (err) {
          callback(err as Error);
        }
      },
      destroy(err, callback) {
        closeQuietly(fd);
        fd = undefined;
        callback(err);
      },
    });
    stream.path = shownPath;
    stream.bytesWritten = 0;
    openSoon(stream, open);
    return stream;
  }

  const missing = {} as Record<(typeof NOT_PROVIDED)[number], (...args: unknown[]) => never>;
  for (const name of NOT_PROVIDED) missing[name] = notProvided(name.replace(/Sync$/, ''));

  const fs = {
    ...missing,
    ...sync,
    ...callbacks,
    createReadStream,
    createWriteStream,
    ReadStream,
    WriteStream,
    promises,
    constants,
    Stats,
    Dirent,
    ...constants,
  };
  return fs;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomSuffix(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

