import { readFile, stat } from 'node:fs/promises';
import { StratusError } from '@stratus/errors';
import { parseApiKeySealingKey, type ApiKeySealingKey } from '@stratus/registry';

/**
 * The API key sealing key in `path` (STRATUS_API_KEY_SEALING_KEY_FILE), read
 * once at start; undefined without a path. A file others may read is
 * refused: whoever holds it and etcd's key records can sign as any key.
 */
export async function readApiKeySealingKeyFile(path: string | undefined): Promise<ApiKeySealingKey | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    if (((await stat(path)).mode & 0o077) !== 0) {
      throw new StratusError('INVALID_ARGUMENT', `${path}: the API key sealing key file must be readable by its owner only (chmod 600)`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof StratusError) throw err;
    throw new StratusError('INVALID_ARGUMENT', `cannot read the API key sealing key file ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseApiKeySealingKey(text, path);
}
