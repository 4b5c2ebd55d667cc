import { files, read, tmpLimitBytes } from 'stratus:files';
import { createFs } from './fs-api.js';
import { VirtualFs } from './vfs.js';

/**
 * What a function's `fs` / `node:fs` is bundled to: Node's fs over the
 * isolate's own file system (vfs.ts). Made when the function's code first
 * loads, so /tmp lives as long as the execution environment: kept between
 * warm invocations, empty after a cold start.
 */
const fs = createFs(new VirtualFs({ files: files(), read: (index) => new Uint8Array(read(index)), tmpLimitBytes: tmpLimitBytes() }));

export default fs;
export const {
  existsSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
  statSync,
  lstatSync,
  fstatSync,
  readdirSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  renameSync,
  copyFileSync,
  accessSync,
  realpathSync,
  truncateSync,
  ftruncateSync,
  openSync,
  closeSync,
  readSync,
  writeSync,
  readFile,
  writeFile,
  appendFile,
  stat,
  lstat,
  fstat,
  readdir,
  mkdir,
  mkdtemp,
  rm,
  rmdir,
  unlink,
  rename,
  copyFile,
  access,
  realpath,
  truncate,
  ftruncate,
  open,
  close,
  read: readFd,
  write,
  exists,
  createReadStream,
  createWriteStream,
  ReadStream,
  WriteStream,
  promises,
  constants,
  Stats,
  Dirent,
  F_OK,
  R_OK,
  W_OK,
  X_OK,
  // Not provided: each throws ENOSYS naming itself.
  chmod, chmodSync, fchmod, fchmodSync, lchmod, lchmodSync, chown, chownSync, fchown, fchownSync, lchown, lchownSync,
  utimes, utimesSync, futimes, futimesSync, lutimes, lutimesSync, link, linkSync, symlink, symlinkSync, readlink, readlinkSync,
  fsync, fsyncSync, fdatasync, fdatasyncSync, readv, readvSync, writev, writevSync, statfs, statfsSync, cp, cpSync,
  opendir, opendirSync, watch, watchFile, unwatchFile, openAsBlob,
} = fs;
export { readFd as read };
