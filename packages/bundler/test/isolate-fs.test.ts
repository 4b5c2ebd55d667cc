import { describe, expect, it } from 'vitest';
import { createFs } from '../src/isolate-fs/fs-api.js';
import { VirtualFs, resolvePath } from '../src/isolate-fs/vfs.js';

// The fs a function gets, over the isolate's file system, run here in Node
// (whose Buffer and streams the shim's polyfills mirror).
const MB = 1024 * 1024;

function makeFs(files: Record<string, string> = {}, tmpLimitBytes = 512 * MB) {
  const entries = Object.entries(files).map(([path, text]) => ({ path, data: new TextEncoder().encode(text) }));
  const reads: number[] = [];
  const fs = createFs(
    new VirtualFs({
      files: entries.map((e) => ({ path: e.path, size: e.data.byteLength })),
      read: (index) => {
        reads.push(index);
        return entries[index]!.data.slice();
      },
      tmpLimitBytes,
    }),
  );
  return { fs, reads };
}

function thrown(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    return { ...(err as object), message: (err as Error).message };
  }
  throw new Error('expected a throw');
}

describe("the isolate's fs", () => {
  it('reads the package files under /var/task, relative to the working directory too, copying each in once', () => {
    const { fs, reads } = makeFs({ 'template.html': '<h1>hi</h1>', 'views/a.txt': 'A' });
    expect(fs.readFileSync('/var/task/template.html', 'utf8')).toBe('<h1>hi</h1>');
    expect(fs.readFileSync('template.html', { encoding: 'utf8' })).toBe('<h1>hi</h1>');
    expect(Buffer.isBuffer(fs.readFileSync('./views/a.txt'))).toBe(true);
    expect(fs.readFileSync(new URL('file:///var/task/views/a.txt')).toString()).toBe('A');
    expect(reads).toEqual([0, 1]);
    expect(fs.existsSync('/var/task/views')).toBe(true);
    expect(fs.existsSync('/var/task/nope')).toBe(false);
    expect(fs.readdirSync('/var/task')).toEqual(['template.html', 'views']);
    const dirents = fs.readdirSync('/var/task', { withFileTypes: true }) as { name: string; isDirectory(): boolean }[];
    expect(dirents.map((d) => [d.name, d.isDirectory()])).toEqual([
      ['template.html', false],
      ['views', true],
    ]);
    expect(fs.readdirSync('/')).toEqual(['opt', 'tmp', 'var']);
    expect(fs.readdirSync('/opt')).toEqual([]);
    expect(fs.statSync('/var/task/template.html')!.size).toBe(11);
    expect(fs.statSync('/var/task/views')!.isDirectory()).toBe(true);
  });

  it("fails as Node does: ENOENT, EISDIR, ENOTDIR with Node's code, errno, syscall, path and message", () => {
    const { fs } = makeFs({ 'a.txt': 'A' });
    expect(thrown(() => fs.readFileSync('/var/task/x'))).toMatchObject({
      code: 'ENOENT',
      errno: -2,
      syscall: 'open',
      path: '/var/task/x',
      message: "ENOENT: no such file or directory, open '/var/task/x'",
    });
    expect(thrown(() => fs.readFileSync('/var/task'))).toMatchObject({ code: 'EISDIR', message: 'EISDIR: illegal operation on a directory, read' });
    expect(thrown(() => fs.readFileSync('/var/task/a.txt/b'))).toMatchObject({ code: 'ENOTDIR', errno: -20 });
    expect(thrown(() => fs.statSync('/nope'))).toMatchObject({ message: "ENOENT: no such file or directory, stat '/nope'" });
    expect(fs.statSync('/nope', { throwIfNoEntry: false })).toBeUndefined();
  });

  it('keeps /var/task, /opt and the root read-only: every write fails with EROFS', () => {
    const { fs } = makeFs({ 'a.txt': 'A' });
    expect(thrown(() => fs.writeFileSync('/var/task/a.txt', 'x'))).toMatchObject({
      code: 'EROFS',
      errno: -30,
      syscall: 'open',
      message: "EROFS: read-only file system, open '/var/task/a.txt'",
    });
    expect(thrown(() => fs.writeFileSync('/var/task/new.txt', 'x'))).toMatchObject({ code: 'EROFS' });
    expect(thrown(() => fs.appendFileSync('/opt/x', 'x'))).toMatchObject({ code: 'EROFS' });
    expect(thrown(() => fs.mkdirSync('/var/task/d'))).toMatchObject({ code: 'EROFS', syscall: 'mkdir' });
    expect(thrown(() => fs.unlinkSync('/var/task/a.txt'))).toMatchObject({ code: 'EROFS', syscall: 'unlink' });
    expect(thrown(() => fs.renameSync('/var/task/a.txt', '/tmp/a.txt'))).toMatchObject({
      code: 'EROFS',
      message: "EROFS: read-only file system, rename '/var/task/a.txt' -> '/tmp/a.txt'",
    });
    expect(thrown(() => fs.rmSync('/var/task', { recursive: true }))).toMatchObject({ code: 'EROFS' });
    expect(thrown(() => fs.accessSync('/var/task/a.txt', fs.constants.W_OK))).toMatchObject({ code: 'EROFS', syscall: 'access' });
    fs.accessSync('/var/task/a.txt', fs.constants.R_OK);
    expect(fs.readFileSync('/var/task/a.txt', 'utf8')).toBe('A');
  });

  it('resolves .. at the root, so a traversal out of /var/task finds only what this file system holds', () => {
    expect(resolvePath('../../etc/passwd')).toBe('/etc/passwd');
    expect(resolvePath('/var/task/../../../../etc/passwd')).toBe('/etc/passwd');
    const { fs } = makeFs({ 'a.txt': 'A' });
    expect(thrown(() => fs.readFileSync('../../etc/passwd'))).toMatchObject({ code: 'ENOENT', path: '/etc/passwd' });
    expect(fs.existsSync('/proc/self/environ')).toBe(false);
    expect(thrown(() => fs.writeFileSync('/tmp/../etc/x', 'x'))).toMatchObject({ code: 'ENOENT' });
  });

  it('gives /tmp the calls functions use: write, append, read, stat, readdir, mkdir -p, rename, copy, rm -r', async () => {
    const { fs } = makeFs({ 'seed.json': '{"a":1}' });
    fs.mkdirSync('/tmp/a/b/c', { recursive: true });
    expect(fs.mkdirSync('/tmp/a/b', { recursive: true })).toBeUndefined();
    expect(thrown(() => fs.mkdirSync('/tmp/a'))).toMatchObject({ code: 'EEXIST', message: "EEXIST: file already exists, mkdir '/tmp/a'" });
    fs.writeFileSync('/tmp/a/b/c/f.txt', 'one');
    fs.appendFileSync('/tmp/a/b/c/f.txt', Buffer.from('-two'));
    expect(fs.readFileSync('/tmp/a/b/c/f.txt', 'utf8')).toBe('one-two');
    expect(fs.statSync('/tmp/a/b/c/f.txt')!.size).toBe(7);
    fs.copyFileSync('/var/task/seed.json', '/tmp/seed.json');
    expect(JSON.parse(fs.readFileSync('/tmp/seed.json', 'utf8') as string)).toEqual({ a: 1 });
    expect(thrown(() => fs.copyFileSync('/var/task/seed.json', '/tmp/seed.json', fs.constants.COPYFILE_EXCL))).toMatchObject({ code: 'EEXIST' });
    fs.renameSync('/tmp/seed.json', '/tmp/a/seed.json');
    expect(fs.readdirSync('/tmp/a')).toEqual(['b', 'seed.json']);
    expect(fs.readdirSync('/tmp', { recursive: true })).toEqual(['a', 'a/b', 'a/b/c', 'a/b/c/f.txt', 'a/seed.json']);
    expect(thrown(() => fs.rmdirSync('/tmp/a'))).toMatchObject({ code: 'ENOTEMPTY' });
    expect(thrown(() => fs.rmSync('/tmp/a'))).toMatchObject({ code: 'ERR_FS_EISDIR' });
    fs.rmSync('/tmp/a', { recursive: true });
    fs.rmSync('/tmp/gone', { force: true });
    expect(thrown(() => fs.rmSync('/tmp/gone'))).toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync('/tmp')).toEqual([]);
    const made = fs.mkdtempSync('/tmp/work-');
    expect(made).toMatch(/^\/tmp\/work-[A-Za-z0-9]{6}$/);
    expect(fs.statSync(made)!.isDirectory()).toBe(true);
  });

  it('offers callbacks (on a later turn) and promises for the same calls', async () => {
    const { fs } = makeFs({ 'a.txt': 'A' });
    let sync = true;
    const text = await new Promise((resolve, reject) => {
      fs.readFile('/var/task/a.txt', 'utf8', (err: Error | null, data?: unknown) => (err ? reject(err) : resolve([data, sync])));
      sync = false;
    });
    expect(text).toEqual(['A', false]);
    const err = await new Promise<Error | null>((resolve) => fs.writeFile('/var/task/a.txt', 'x', (e: Error | null) => resolve(e)));
    expect(err).toMatchObject({ code: 'EROFS' });
    await fs.promises.writeFile('/tmp/p.txt', 'P');
    expect(await fs.promises.readFile('/tmp/p.txt', 'utf8')).toBe('P');
    await expect(fs.promises.readFile('/var/task/nope')).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect((await fs.promises.stat('/tmp/p.txt'))!.isFile()).toBe(true);
    const handle = await fs.promises.open('/tmp/p.txt', 'a+');
    await handle.write('Q');
    await handle.close();
    expect(await fs.promises.readFile('/tmp/p.txt', 'utf8')).toBe('PQ');
    expect(await new Promise((resolve) => fs.exists('/tmp/p.txt', resolve))).toBe(true);
  });

  it('opens, reads, writes and closes descriptors with positions as Node does', () => {
    const { fs } = makeFs({ 'a.txt': 'abcdef' });
    const fd = fs.openSync('/var/task/a.txt', 'r');
    const buf = Buffer.alloc(4);
    expect(fs.readSync(fd, buf, 0, 4, null)).toBe(4);
    expect(buf.toString()).toBe('abcd');
    expect(fs.readSync(fd, buf, 0, 4, null)).toBe(2);
    expect(fs.readSync(fd, buf, { position: 1, length: 2 })).toBe(2);
    expect(buf.subarray(0, 2).toString()).toBe('bc');
    expect(fs.fstatSync(fd).size).toBe(6);
    fs.closeSync(fd);
    expect(thrown(() => fs.closeSync(fd))).toMatchObject({ code: 'EBADF' });
    const out = fs.openSync('/tmp/o.txt', 'w');
    fs.writeSync(out, 'hello');
    fs.writeSync(out, Buffer.from('J'), 0, 1, 0);
    fs.closeSync(out);
    expect(fs.readFileSync('/tmp/o.txt', 'utf8')).toBe('Jello');
    expect(thrown(() => fs.openSync('/tmp/o.txt', 'wx'))).toMatchObject({ code: 'EEXIST' });
  });

  it('keeps large /tmp files byte for byte across appends, positioned writes and truncation', () => {
    const { fs } = makeFs();
    const expected: number[] = [];
    for (let i = 0; i < 40; i++) {
      const piece = Buffer.alloc(97_003 + i, i);
      fs.appendFileSync('/tmp/big', piece);
      expected.push(...piece);
    }
    const fd = fs.openSync('/tmp/big', 'r+');
    fs.writeSync(fd, Buffer.from('XYZ'), 0, 3, 1024 * 1024 - 1);
    expected.splice(1024 * 1024 - 1, 3, 88, 89, 90);
    fs.closeSync(fd);
    expect(fs.statSync('/tmp/big')!.size).toBe(expected.length);
    expect(Buffer.compare(fs.readFileSync('/tmp/big') as Buffer, Buffer.from(expected))).toBe(0);
    fs.truncateSync('/tmp/big', 1_500_000);
    fs.truncateSync('/tmp/big', 1_600_000);
    const after = fs.readFileSync('/tmp/big') as Buffer;
    expect(Buffer.compare(after.subarray(0, 1_500_000), Buffer.from(expected.slice(0, 1_500_000)))).toBe(0);
    expect(after.subarray(1_500_000).every((b) => b === 0)).toBe(true);
  });

  it('streams files in and out', async () => {
    const { fs } = makeFs({ 'big.txt': 'x'.repeat(200_000) });
    const chunks: Buffer[] = [];
    for await (const chunk of fs.createReadStream('/var/task/big.txt', { highWaterMark: 65_536 })) chunks.push(chunk as Buffer);
    expect(chunks.length).toBe(4);
    expect(Buffer.concat(chunks).length).toBe(200_000);
    const out = fs.createWriteStream('/tmp/out.txt');
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.write('a');
      out.end('b', () => resolve());
    });
    expect(fs.readFileSync('/tmp/out.txt', 'utf8')).toBe('ab');
    const failed = await new Promise((resolve) => fs.createReadStream('/var/task/missing').on('error', resolve));
    expect(failed).toMatchObject({ code: 'ENOENT' });
    const refused = await new Promise((resolve) => fs.createWriteStream('/var/task/x').on('error', resolve));
    expect(refused).toMatchObject({ code: 'EROFS' });
  });

  it('bounds /tmp by the ephemeral storage: a write past it fails with ENOSPC, and removing files gives the space back', () => {
    const { fs } = makeFs({}, 1 * MB);
    fs.writeFileSync('/tmp/a', Buffer.alloc(700 * 1024));
    expect(thrown(() => fs.writeFileSync('/tmp/b', Buffer.alloc(400 * 1024)))).toMatchObject({
      code: 'ENOSPC',
      errno: -28,
      message: "ENOSPC: no space left on device, write '/tmp/b'",
    });
    expect(thrown(() => fs.appendFileSync('/tmp/a', Buffer.alloc(400 * 1024)))).toMatchObject({ code: 'ENOSPC' });
    fs.writeFileSync('/tmp/a', 'small');
    fs.writeFileSync('/tmp/b', Buffer.alloc(900 * 1024));
    fs.unlinkSync('/tmp/b');
    fs.writeFileSync('/tmp/c', Buffer.alloc(1000 * 1024));
  });

  it('throws ENOSYS naming each call it does not provide', async () => {
    const { fs } = makeFs();
    expect(thrown(() => fs.chmodSync('/tmp/x', 0o777))).toMatchObject({ code: 'ENOSYS', errno: -38, message: "ENOSYS: function not implemented, chmod '/tmp/x'" });
    expect(thrown(() => fs.watch('/tmp'))).toMatchObject({ code: 'ENOSYS', syscall: 'watch' });
    expect(thrown(() => fs.symlinkSync('/etc/passwd', '/tmp/l'))).toMatchObject({ code: 'ENOSYS', syscall: 'symlink' });
    await expect((fs.promises as unknown as Record<string, (p: string) => Promise<void>>)['readlink']!('/tmp/x')).rejects.toMatchObject({ code: 'ENOSYS' });
  });
});
