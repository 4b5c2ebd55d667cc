import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { StratusError } from '@stratus/errors';
import type { ApiKeyRecord } from '@stratus/contracts';

const SEALING_KEY_BYTES = 32;
const IV_BYTES = 12;
const ALGORITHM = 'aes-256-gcm';

/**
 * The cluster's API key sealing key: what frontends encrypt each new key's
 * secret with before it goes to etcd, so that SigV4 (which needs the secret
 * itself) can be verified while etcd, its snapshots and backups still hold
 * nothing that signs a request. `id` names it in each sealed secret, so a
 * secret sealed with another key is recognised as such.
 */
export interface ApiKeySealingKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A new random sealing key, as the text a sealing key file holds (base64 of 32 bytes). */
export function generateApiKeySealingKeyText(): string {
  return randomBytes(SEALING_KEY_BYTES).toString('base64');
}

/** Parses a sealing key file's text (base64 of 32 bytes, white space around ignored); `source` names the file in errors. */
export function parseApiKeySealingKey(text: string, source: string): ApiKeySealingKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new StratusError('INVALID_ARGUMENT', `${source}: an API key sealing key is base64 text of ${SEALING_KEY_BYTES} random bytes`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== SEALING_KEY_BYTES) {
    throw new StratusError('INVALID_ARGUMENT', `${source}: an API key sealing key is ${SEALING_KEY_BYTES} bytes, this one ${key.length}`);
  }
  return { id: createHash('sha256').update('stratus api key sealing key\0').update(key).digest('hex').slice(0, 16), key };
}

/** `secret` encrypted for `keyId`'s record (see `ApiKeyRecord.sealedSecret`). */
export function sealApiKeySecret(sealing: ApiKeySealingKey, keyId: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, sealing.key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [sealing.id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/**
 * The secret of a record, or why it cannot be had: the record has no sealed
 * secret (made without a sealing key), or it was sealed with another key,
 * or it does not decrypt (tampered, or moved to another key id).
 */
export function openApiKeySecret(sealing: ApiKeySealingKey, record: ApiKeyRecord): { secret: string } | { problem: string } {
  const sealed = record.sealedSecret;
  if (sealed === undefined) return { problem: 'it was made without a sealing key, so it cannot sign SigV4 requests; create a new key' };
  const [sealedWith, iv, ciphertext, tag] = sealed.split('.');
  if (sealedWith !== sealing.id || iv === undefined || ciphertext === undefined || tag === undefined) {
    return { problem: 'its secret was sealed with another sealing key than this frontend has' };
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, sealing.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(record.keyId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return { secret: Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8') };
  } catch {
    return { problem: 'its sealed secret does not open' };
  }
}

/**
 * The API key sealing key in `path` (STRATUS_API_KEY_SEALING_KEY_FILE), read
 * once at start; undefined without a path. A file anyone may read is
 * refused: whoever holds it and etcd's key records can sign as any key.
 */
export async function readApiKeySealingKeyFile(path: string | undefined): Promise<ApiKeySealingKey | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    if (((await stat(path)).mode & 0o007) !== 0) {
      throw new StratusError('INVALID_ARGUMENT', `${path}: the API key sealing key file must not be readable by others (chmod 600, or 640 with the service's group)`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof StratusError) throw err;
    throw new StratusError('INVALID_ARGUMENT', `cannot read the API key sealing key file ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseApiKeySealingKey(text, path);
}
