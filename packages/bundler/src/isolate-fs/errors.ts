/**
 * Node's file system errors, as libuv words them: `ENOENT: no such file or
 * directory, open '/var/task/x'`, with code, errno, syscall, path (and dest).
 */
const UV_ERRORS = {
  EPERM: [-1, 'operation not permitted'],
  ENOENT: [-2, 'no such file or directory'],
  EBADF: [-9, 'bad file descriptor'],
  EACCES: [-13, 'permission denied'],
  EEXIST: [-17, 'file already exists'],
  EXDEV: [-18, 'cross-device link not permitted'],
  ENOTDIR: [-20, 'not a directory'],
  EISDIR: [-21, 'illegal operation on a directory'],
  EINVAL: [-22, 'invalid argument'],
  EMFILE: [-24, 'too many open files'],
  ENOSPC: [-28, 'no space left on device'],
  EROFS: [-30, 'read-only file system'],
  ENOSYS: [-38, 'function not implemented'],
  ENOTEMPTY: [-39, 'directory not empty'],
} as const;

export type FsErrorCode = keyof typeof UV_ERRORS;

export interface FsError extends Error {
  code: FsErrorCode;
  errno: number;
  syscall: string;
  path?: string;
  dest?: string;
}

export function fsError(code: FsErrorCode, syscall: string, path?: string, dest?: string): FsError {
  const [errno, description] = UV_ERRORS[code];
  let message = `${code}: ${description}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new Error(message) as FsError;
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}

/** Node's argument errors (`ERR_INVALID_ARG_TYPE` and the like): a TypeError with a code. */
export function argError(code: string, message: string): TypeError & { code: string } {
  const err = new TypeError(message) as TypeError & { code: string };
  err.code = code;
  return err;
}
