import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import { StratusError } from '@stratus/errors';
import { withEtcdAccess } from './etcd-access-error.js';
import { apiKeyRecordSchema, type ApiKeyCredential, type ApiKeyRecord, type ApiKeyScope, type Namespace } from '@stratus/contracts';
import { sealApiKeySecret, type ApiKeySealingKey } from './api-key-sealing.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LETTERS_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SALT_BYTES = 16;

/** A new random key: "SK" + 18 base32 characters, and a 40-character secret. */
export function generateApiKey(): ApiKeyCredential {
  return { keyId: `SK${randomString(BASE32, 18)}`, secret: randomString(LETTERS_AND_DIGITS, 40) };
}

/**
 * SHA-256 over a random salt, the key id and the secret. A fast hash is
 * enough here, unlike for passwords: a secret is 238 random bits, so nobody
 * can guess it from a leaked hash however cheap each guess is, and a slow
 * hash (bcrypt, scrypt) would instead cost milliseconds on every call. The
 * salt keeps two records with the same secret from looking alike; the key
 * id binds the hash to its key, so a hash copied to another key id fails.
 */
export function hashApiKeySecret(salt: Uint8Array, keyId: string, secret: string): Buffer {
  return createHash('sha256').update(salt).update(keyId).update(':').update(secret).digest();
}

/**
 * The record stored for a key: its scopes and a freshly salted hash of its
 * secret, and with `sealingKey` the secret sealed with it (for SigV4).
 */
export function apiKeyRecordFor(
  credential: ApiKeyCredential,
  scopes: readonly ApiKeyScope[],
  options: { readonly description?: string; readonly nowMs?: number; readonly sealingKey?: ApiKeySealingKey | undefined } = {},
): ApiKeyRecord {
  const salt = randomBytes(SALT_BYTES);
  return {
    keyId: credential.keyId,
    scopes: [...new Set(scopes)],
    hashAlgorithm: 'sha256',
    salt: salt.toString('base64'),
    secretHash: hashApiKeySecret(salt, credential.keyId, credential.secret).toString('hex'),
    createdAtMs: options.nowMs ?? Date.now(),
    description: options.description ?? '',
    ...(options.sealingKey === undefined ? {} : { sealedSecret: sealApiKeySecret(options.sealingKey, credential.keyId, credential.secret) }),
  };
}

/** Whether `secret` is the key's secret, compared in constant time. */
export function verifyApiKeySecret(record: ApiKeyRecord, secret: string): boolean {
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = hashApiKeySecret(Buffer.from(record.salt, 'base64'), record.keyId, secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function decodeApiKeyRecord(value: Buffer): ApiKeyRecord {
  return apiKeyRecordSchema.parse(JSON.parse(value.toString('utf8')));
}

export interface ApiKeyStoreOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  /** Seals each new key's secret into its record, so it can sign SigV4 requests. Default: none (keys for the gRPC API only). */
  readonly sealingKey?: ApiKeySealingKey | undefined;
}

export interface CreatedApiKey {
  readonly record: ApiKeyRecord;
  readonly credential: ApiKeyCredential;
  /** etcd revision of the write, for mirrors that want to see it at once. */
  readonly revision: number;
}

/**
 * API keys in etcd, one key per key id. Frontends read them through a
 * PrefixMirror of `keys.apiKeysPrefix()`; this store writes them. It is also
 * how the first admin key gets in: whoever can write etcd (the local
 * cluster, or an operator's `stratus keys bootstrap`) needs no key to make one.
 */
export class ApiKeyStore {
  readonly #etcd: Etcd3;
  readonly #ns: Namespace;
  readonly #sealingKey: ApiKeySealingKey | undefined;

  constructor(options: ApiKeyStoreOptions) {
    this.#etcd = options.etcd;
    this.#ns = options.ns;
    this.#sealingKey = options.sealingKey;
  }

  /** Makes a new random key. Its secret exists only in the result. */
  async create(scopes: readonly ApiKeyScope[], description = ''): Promise<CreatedApiKey> {
    if (scopes.length === 0) throw new StratusError('INVALID_ARGUMENT', 'scopes: a key needs at least one scope');
    for (;;) {
      const credential = generateApiKey();
      const record = apiKeyRecordFor(credential, scopes, { description, sealingKey: this.#sealingKey });
      const key = this.#ns.keys.apiKey(record.keyId);
      const result = await withEtcdAccess('write', key, () => this.#etcd.if(key, 'Create', '==', 0).then(this.#etcd.put(key).value(JSON.stringify(record))).commit());
      // A key id taken already (90 random bits: never, in practice) is simply drawn again.
      if (result.succeeded) return { record, credential, revision: Number(result.header.revision) };
    }
  }

  /**
   * Stores `credential` with `scopes` unless etcd holds it already with a
   * matching secret and those scopes. For a key the caller already holds
   * (the local cluster's admin.key), so it keeps working even when etcd's
   * data was wiped. With a sealing key, a record without a secret sealed
   * with it is written again with one. Returns whether it wrote.
   */
  async ensure(credential: ApiKeyCredential, scopes: readonly ApiKeyScope[], description = ''): Promise<boolean> {
    const current = await this.get(credential.keyId);
    const sealed = this.#sealingKey === undefined || current?.sealedSecret?.startsWith(`${this.#sealingKey.id}.`) === true;
    if (current && sealed && verifyApiKeySecret(current, credential.secret) && scopes.every((s) => current.scopes.includes(s))) return false;
    const record = apiKeyRecordFor(credential, scopes, { description, sealingKey: this.#sealingKey });
    const key = this.#ns.keys.apiKey(record.keyId);
    await withEtcdAccess('write', key, () => this.#etcd.put(key).value(JSON.stringify(record)).exec());
    return true;
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const key = this.#ns.keys.apiKey(keyId);
    const value = await withEtcdAccess('read', key, () => this.#etcd.get(key).buffer());
    return value === null ? undefined : decodeApiKeyRecord(value);
  }

  /** Every key, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const response = await this.#etcd.getAll().prefix(this.#ns.keys.apiKeysPrefix()).exec();
    const records = response.kvs.map((kv) => decodeApiKeyRecord(kv.value));
    return records.sort((a, b) => a.createdAtMs - b.createdAtMs || a.keyId.localeCompare(b.keyId));
  }

  /** Deletes the key; KEY_NOT_FOUND if there is none. Returns the revision of the deletion. */
  async revoke(keyId: string): Promise<number> {
    const key = this.#ns.keys.apiKey(keyId);
    const deleted = await withEtcdAccess('write', key, () => this.#etcd.delete().key(key).exec());
    if (Number(deleted.deleted) === 0) throw new StratusError('KEY_NOT_FOUND', `API key not found: ${keyId}`);
    return Number(deleted.header.revision);
  }
}

function randomString(alphabet: string, length: number): string {
  let text = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}
