import fs from './fs.js';

/** What `fs/promises` / `node:fs/promises` is bundled to: the same file system as `fs`. */
const promises = fs.promises;

export default promises;
export const {
  readFile,
  writeFile,
  appendFile,
  stat,
  lstat,
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
  open,
  constants,
  // Not provided: each rejects with ENOSYS naming itself.
  readlink, symlink, statfs, link, chmod, lchmod, lchown, chown, utimes, lutimes, cp, opendir, watch,
} = promises;
