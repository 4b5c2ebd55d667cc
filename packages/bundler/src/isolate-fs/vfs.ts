import { fsError } from './errors.js';

/**
 * The file system a function sees, inside its isolate: `/var/task` holds the
 * deployment package's carried files (read-only; their bytes are copied in
 * from the host the first time each is read), `/tmp` is writable and bounded,
 * `/opt` is empty, and nothing else exists. No host path is reachable: the
 * tree is made here from the package's index, and every path is resolved
 * against it alone.
 */

/** Where the package's files come from: the runtime's `stratus:files` module, or a test's stand-in. */
export interface PackageSource {
  /** Each carried file's path (relative to /var/task) and size, by index. */
  readonly files: readonly { readonly path: string; readonly size: number }[];
  /** The bytes of file `index`, a fresh copy. */
  read(index: number): Uint8Array;
  /** How many bytes /tmp may hold (the function's ephemeral storage). */
  readonly tmpLimitBytes: number;
}

export const TASK_ROOT = '/var/task';
export const TMP_ROOT = '/tmp';

/** Lambda runs functions as sbx_user1051. */
const UID = 993;
const GID = 990;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

interface BaseNode {
  readonly ino: number;
  readonly writable: boolean;
  mtimeMs: number;
  ctimeMs: number;
  readonly birthtimeMs: number;
  readonly mode: number;
}

export interface FileNode extends BaseNode {
  readonly kind: 'file';
  /** A package file's bytes, once read (undefined before). */
  data: Uint8Array | undefined;
  /**
   * A /tmp file's bytes in chunks of CHUNK_BYTES (the last may be shorter,
   * and have room to spare): a write never copies more than one chunk, so
   * appends stay linear and never need twice the file in memory.
   */
  readonly chunks: Uint8Array[];
  size: number;
  /** The package file this is, for lazy reads. */
  readonly packageIndex: number | undefined;
}

export interface DirNode extends BaseNode {
  readonly kind: 'dir';
  readonly entries: Map<string, FsNode>;
}

export type FsNode = FileNode | DirNode;

export interface OpenFlags {
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  readonly truncate: boolean;
  readonly exclusive: boolean;
  readonly append: boolean;
}

interface OpenFile {
  readonly node: FileNode;
  readonly path: string;
  readonly flags: OpenFlags;
  position: number;
}

/** Stat fields of a node, as Node's Stats carries them. */
export interface StatInfo {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly rdev: number;
  readonly size: number;
  readonly blksize: number;
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly birthtimeMs: number;
}

const FIRST_FD = 20;
const CHUNK_BYTES = 1024 * 1024;
const MAX_OPEN_FILES = 1024;

export class VirtualFs {
  readonly #source: PackageSource;
  readonly #root: DirNode;
  readonly #tmp: DirNode;
  readonly #fds = new Map<number, OpenFile>();
  #nextIno = 1;
  #nextFd = FIRST_FD;
  #tmpUsedBytes = 0;

  constructor(source: PackageSource, nowMs = Date.now()) {
    this.#source = source;
    this.#root = this.#dir(false, nowMs);
    const varDir = this.#dir(false, nowMs);
    this.#root.entries.set('var', varDir);
    const task = this.#dir(false, nowMs);
    varDir.entries.set('task', task);
    this.#tmp = this.#dir(true, nowMs, 0o41777);
    this.#root.entries.set('tmp', this.#tmp);
    this.#root.entries.set('opt', this.#dir(false, nowMs));
    source.files.forEach((file, index) => {
      const parts = file.path.split('/');
      let dir = task;
      for (const part of parts.slice(0, -1)) {
        let next = dir.entries.get(part);
        if (next === undefined) {
          next = this.#dir(false, nowMs);
          dir.entries.set(part, next);
        }
        if (next.kind !== 'dir') return;
        dir = next;
      }
      const name = parts[parts.length - 1];
      if (name === undefined || dir.entries.has(name)) return;
      dir.entries.set(name, {
        kind: 'file',
        ino: this.#nextIno++,
        writable: false,
        mtimeMs: nowMs,
        ctimeMs: nowMs,
        birthtimeMs: nowMs,
        mode: S_IFREG | 0o644,
        data: undefined,
        chunks: [],
        size: file.size,
        packageIndex: index,
      });
    });
  }

  get tmpUsedBytes(): number {
    return this.#tmpUsedBytes;
  }

  get tmpLimitBytes(): number {
    return this.#source.tmpLimitBytes;
  }

  // --- lookups ---

  /** The node at an absolute, normalized path; ENOENT or ENOTDIR naming `shown`. */
  lookup(path: string, syscall: string, shown: string = path): FsNode {
    let node: FsNode = this.#root;
    for (const part of splitPath(path)) {
      if (node.kind !== 'dir') throw fsError('ENOTDIR', syscall, shown);
      const next: FsNode | undefined = node.entries.get(part);
      if (next === undefined) throw fsError('ENOENT', syscall, shown);
      node = next;
    }
    return node;
  }

  tryLookup(path: string): FsNode | undefined {
    try {
      return this.lookup(path, 'stat');
    } catch {
      return undefined;
    }
  }

  /** The folder a new entry would go in, and its name. */
  #parentOf(path: string, syscall: string, shown: string = path): { parent: DirNode; name: string } {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw fsError('EEXIST', syscall, shown);
    const parent = this.lookup(`/${parts.join('/')}`, syscall, shown);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', syscall, shown);
    return { parent, name };
  }

  stat(path: string, syscall = 'stat'): StatInfo {
    return statOf(this.lookup(path, syscall));
  }

  access(path: string, wantWrite: boolean): void {
    const node = this.lookup(path, 'access');
    if (wantWrite && !node.writable) throw fsError('EROFS', 'access', path);
  }

  readdir(path: string): { name: string; node: FsNode }[] {
    const node = this.lookup(path, 'scandir');
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    return [...node.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, child]) => ({ name, node: child }));
  }

  // --- whole files ---

  readFile(path: string): Uint8Array {
    const node = this.lookup(path, 'open');
    if (node.kind === 'dir') throw fsError('EISDIR', 'read');
    const out = new Uint8Array(node.size);
    this.#readRange(node, 0, out, 0, node.size);
    return out;
  }

  writeFile(path: string, bytes: Uint8Array, flags: OpenFlags, syscall = 'open'): void {
    const fd = this.open(path, flags, syscall);
    try {
      this.write(fd, bytes, 0, bytes.byteLength, null);
    } finally {
      this.close(fd);
    }
  }

  mkdir(path: string, recursive: boolean): string | undefined {
    if (!recursive) {
      const { parent, name } = this.#parentOf(path, 'mkdir');
      if (parent.entries.has(name)) throw fsError('EEXIST', 'mkdir', path);
      if (!parent.writable) throw fsError('EROFS', 'mkdir', path);
      parent.entries.set(name, this.#dir(true, Date.now()));
      touch(parent);
      return undefined;
    }
    let node: FsNode = this.#root;
    let first: string | undefined;
    let at = '';
    for (const part of splitPath(path)) {
      at += `/${part}`;
      if (node.kind !== 'dir') throw fsError('ENOTDIR', 'mkdir', path);
      let next: FsNode | undefined = node.entries.get(part);
      if (next === undefined) {
        if (!node.writable) throw fsError('EROFS', 'mkdir', path);
        next = this.#dir(true, Date.now());
        node.entries.set(part, next);
        touch(node);
        first ??= at;
      }
      node = next;
    }
    if (node.kind !== 'dir') throw fsError('EEXIST', 'mkdir', path);
    return first;
  }

  unlink(path: string): void {
    const { parent, name } = this.#parentOf(path, 'unlink');
    const node = parent.entries.get(name);
    if (node === undefined) throw fsError('ENOENT', 'unlink', path);
    if (node.kind === 'dir') throw fsError('EISDIR', 'unlink', path);
    if (!parent.writable) throw fsError('EROFS', 'unlink', path);
    parent.entries.delete(name);
    touch(parent);
    this.#release(node);
  }

  rmdir(path: string): void {
    const { parent, name } = this.#parentOf(path, 'rmdir');
    const node = parent.entries.get(name);
    if (node === undefined) throw fsError('ENOENT', 'rmdir', path);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'rmdir', path);
    if (!parent.writable || node === this.#tmp) throw fsError(node === this.#tmp ? 'EPERM' : 'EROFS', 'rmdir', path);
    if (node.entries.size > 0) throw fsError('ENOTEMPTY', 'rmdir', path);
    parent.entries.delete(name);
    touch(parent);
  }

  /** `rm -r`: what Node's rm with `recursive` does. */
  rm(path: string, recursive: boolean, force: boolean): void {
    let node: FsNode;
    try {
      node = this.lookup(path, 'rm');
    } catch (err) {
      if (force && (err as { code?: string }).code === 'ENOENT') return;
      throw err;
    }
    if (node.kind === 'dir') {
      if (!recursive) {
        const err = fsError('EISDIR', 'rm', path);
        err.message = `Path is a directory: rm returned EISDIR (is a directory) ${path}`;
        (err as { code: string }).code = 'ERR_FS_EISDIR';
        throw err;
      }
      for (const { name } of this.readdir(path)) this.rm(`${path === '/' ? '' : path}/${name}`, true, force);
      this.rmdir(path);
      return;
    }
    this.unlink(path);
  }

  rename(from: string, to: string): void {
    const source = this.#parentOf(from, 'rename', from);
    const node = source.parent.entries.get(source.name);
    if (node === undefined) throw fsError('ENOENT', 'rename', from, to);
    const target = this.#parentOf(to, 'rename', from);
    if (!source.parent.writable || !target.parent.writable) throw fsError('EROFS', 'rename', from, to);
    if (node === this.#tmp) throw fsError('EPERM', 'rename', from, to);
    if (node.kind === 'dir' && (to === from || to.startsWith(`${from}/`))) throw fsError('EINVAL', 'rename', from, to);
    const existing = target.parent.entries.get(target.name);
    if (existing === node) return;
    if (existing !== undefined) {
      if (node.kind === 'dir' && existing.kind !== 'dir') throw fsError('ENOTDIR', 'rename', from, to);
      if (node.kind !== 'dir' && existing.kind === 'dir') throw fsError('EISDIR', 'rename', from, to);
      if (existing.kind === 'dir' && existing.entries.size > 0) throw fsError('ENOTEMPTY', 'rename', from, to);
      this.#release(existing);
    }
    source.parent.entries.delete(source.name);
    target.parent.entries.set(target.name, node);
    touch(source.parent);
    touch(target.parent);
  }

  copyFile(from: string, to: string, exclusive: boolean): void {
    const node = this.lookup(from, 'copyfile', from);
    if (node.kind === 'dir') throw fsError('EISDIR', 'copyfile', from, to);
    const bytes = this.readFile(from);
    const target = this.#parentOf(to, 'copyfile', from);
    const existing = target.parent.entries.get(target.name);
    if (existing !== undefined && exclusive) throw fsError('EEXIST', 'copyfile', from, to);
    if (existing?.kind === 'dir') throw fsError('EISDIR', 'copyfile', from, to);
    if (!target.parent.writable) throw fsError('EROFS', 'copyfile', from, to);
    this.writeFile(to, bytes, { read: false, write: true, create: true, truncate: true, exclusive: false, append: false }, 'copyfile');
  }

  // --- descriptors ---

  open(path: string, flags: OpenFlags, syscall = 'open'): number {
    let node: FsNode | undefined;
    const { parent, name } = path === '/' ? { parent: undefined, name: '' } : this.#parentOf(path, syscall);
    node = parent === undefined ? this.#root : parent.entries.get(name);
    if (node !== undefined && flags.create && flags.exclusive) throw fsError('EEXIST', syscall, path);
    if (node === undefined) {
      if (!flags.create || parent === undefined) throw fsError('ENOENT', syscall, path);
      if (!parent.writable) throw fsError('EROFS', syscall, path);
      const now = Date.now();
      node = { kind: 'file', ino: this.#nextIno++, writable: true, mtimeMs: now, ctimeMs: now, birthtimeMs: now, mode: S_IFREG | 0o644, data: undefined, chunks: [], size: 0, packageIndex: undefined };
      parent.entries.set(name, node);
      touch(parent);
    }
    if (node.kind === 'dir') {
      if (flags.write) throw fsError('EISDIR', syscall, path);
      // Node opens folders for reading; reading them fails later.
    }
    if (flags.write && !node.writable) throw fsError('EROFS', syscall, path);
    if (this.#fds.size >= MAX_OPEN_FILES) throw fsError('EMFILE', syscall, path);
    if (node.kind === 'file' && flags.truncate && flags.write && node.size > 0) this.#resize(node, 0, syscall, path);
    const fd = this.#nextFd++;
    this.#fds.set(fd, { node: node as FileNode, path, flags, position: 0 });
    return fd;
  }

  close(fd: number): void {
    if (!this.#fds.delete(fd)) throw fsError('EBADF', 'close');
  }

  fstat(fd: number): StatInfo {
    return statOf(this.#fd(fd, 'fstat').node);
  }

  /** Reads into `target` at `offset`, from `position` (null: the file's current position, which advances). */
  read(fd: number, target: Uint8Array, offset: number, length: number, position: number | null): number {
    const file = this.#fd(fd, 'read');
    if (!file.flags.read) throw fsError('EBADF', 'read');
    if ((file.node as FsNode).kind === 'dir') throw fsError('EISDIR', 'read');
    const from = position ?? file.position;
    const count = Math.max(0, Math.min(length, file.node.size - from));
    this.#readRange(file.node, from, target, offset, count);
    if (position === null) file.position += count;
    return count;
  }

  write(fd: number, source: Uint8Array, offset: number, length: number, position: number | null): number {
    const file = this.#fd(fd, 'write');
    if (!file.flags.write) throw fsError('EBADF', 'write');
    const node = file.node;
    const at = file.flags.append ? node.size : (position ?? file.position);
    const end = at + length;
    if (end > node.size) this.#resize(node, end, 'write', file.path);
    for (let done = 0; done < length; ) {
      const index = Math.floor((at + done) / CHUNK_BYTES);
      const within = (at + done) % CHUNK_BYTES;
      const count = Math.min(length - done, CHUNK_BYTES - within);
      (node.chunks[index] as Uint8Array).set(source.subarray(offset + done, offset + done + count), within);
      done += count;
    }
    node.mtimeMs = node.ctimeMs = Date.now();
    if (position === null || file.flags.append) file.position = end;
    return length;
  }

  ftruncate(fd: number, length: number): void {
    const file = this.#fd(fd, 'ftruncate');
    if (!file.flags.write) throw fsError('EINVAL', 'ftruncate');
    this.#resize(file.node, length, 'ftruncate', file.path);
  }

  truncate(path: string, length: number): void {
    const fd = this.open(path, { read: false, write: true, create: false, truncate: false, exclusive: false, append: false });
    try {
      this.ftruncate(fd, length);
    } finally {
      this.close(fd);
    }
  }

  // --- internals ---

  #fd(fd: number, syscall: string): OpenFile {
    const file = this.#fds.get(fd);
    if (file === undefined) throw fsError('EBADF', syscall);
    return file;
  }

  #readRange(node: FileNode, from: number, target: Uint8Array, offset: number, count: number): void {
    if (node.packageIndex !== undefined) {
      // A package file, read for the first time: kept, as /var/task never changes.
      node.data ??= this.#source.read(node.packageIndex);
      target.set(node.data.subarray(from, from + count), offset);
      return;
    }
    for (let done = 0; done < count; ) {
      const index = Math.floor((from + done) / CHUNK_BYTES);
      const within = (from + done) % CHUNK_BYTES;
      const part = Math.min(count - done, CHUNK_BYTES - within);
      target.set((node.chunks[index] as Uint8Array).subarray(within, within + part), offset + done);
      done += part;
    }
  }

  /** Sets a /tmp file's size, within the ephemeral storage limit; bytes past the old end read as zeros. */
  #resize(node: FileNode, size: number, syscall: string, path: string): void {
    const growth = size - node.size;
    if (growth > 0 && this.#tmpUsedBytes + growth > this.#source.tmpLimitBytes) throw fsError('ENOSPC', syscall, path);
    const chunks = node.chunks;
    const needed = Math.ceil(size / CHUNK_BYTES);
    if (size < node.size) {
      chunks.length = needed;
      const last = chunks[needed - 1];
      const end = size - (needed - 1) * CHUNK_BYTES;
      if (last !== undefined) last.fill(0, end);
    }
    for (let index = 0; index < needed; index++) {
      const want = index < needed - 1 ? CHUNK_BYTES : size - index * CHUNK_BYTES;
      const chunk = chunks[index];
      if (chunk !== undefined && chunk.byteLength >= want) continue;
      // The last chunk grows by doubling (a small file stays small), the others are whole.
      const capacity = index < needed - 1 ? CHUNK_BYTES : Math.min(CHUNK_BYTES, Math.max(want, (chunk?.byteLength ?? 0) * 2, 64));
      const grown = new Uint8Array(capacity);
      if (chunk !== undefined) grown.set(chunk);
      chunks[index] = grown;
    }
    this.#tmpUsedBytes += growth;
    node.size = size;
    node.mtimeMs = node.ctimeMs = Date.now();
  }

  /** Gives back the storage of a node leaving the tree (open descriptors keep it readable, as on Linux). */
  #release(node: FsNode): void {
    if (node.kind === 'file') {
      if (node.writable) this.#tmpUsedBytes -= node.size;
      return;
    }
    for (const child of node.entries.values()) this.#release(child);
  }

  #dir(writable: boolean, nowMs: number, mode = 0o40755): DirNode {
    return { kind: 'dir', ino: this.#nextIno++, writable, mtimeMs: nowMs, ctimeMs: nowMs, birthtimeMs: nowMs, mode: S_IFDIR | (mode & 0o7777), entries: new Map() };
  }
}

function touch(dir: DirNode): void {
  dir.mtimeMs = dir.ctimeMs = Date.now();
}

function statOf(node: FsNode): StatInfo {
  const size = node.kind === 'file' ? node.size : 4096;
  return {
    dev: node.writable ? 2 : 1,
    ino: node.ino,
    mode: node.mode,
    nlink: node.kind === 'dir' ? 2 + [...node.entries.values()].filter((n) => n.kind === 'dir').length : 1,
    uid: node.writable ? UID : 0,
    gid: node.writable ? GID : 0,
    rdev: 0,
    size,
    blksize: 4096,
    blocks: Math.ceil(size / 512),
    atimeMs: node.mtimeMs,
    mtimeMs: node.mtimeMs,
    ctimeMs: node.ctimeMs,
    birthtimeMs: node.birthtimeMs,
  };
}

/** The parts of an absolute, normalized path ("/" has none). */
function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/**
 * An absolute path with `.` and `..` resolved against `cwd` (Lambda's is
 * /var/task); `..` stops at the root, as on any POSIX system, so
 * `/var/task/../../etc/passwd` is `/etc/passwd`, which does not exist here.
 */
export function resolvePath(path: string, cwd = TASK_ROOT): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
