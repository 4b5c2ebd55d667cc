import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { formatApiKey, parseApiKey, type ApiKeyCredential, type ApiKeyScope, type Namespace } from '@stratus/contracts';
import { ApiKeyStore, generateApiKey, generateApiKeySealingKeyText, parseApiKeySealingKey, type ApiKeySealingKey, type CreatedApiKey } from '@stratus/registry';
import { createEtcdClient, type EtcdCredentials, type EtcdTls } from '@stratus/registry/etcd';

/** The file in the data dir holding the local cluster's admin key, `<keyId>.<secret>`. */
export const ADMIN_KEY_FILE_NAME = 'admin.key';
/** The file in the data dir holding the cluster's API key sealing key (STRATUS_API_KEY_SEALING_KEY_FILE). */
export const API_KEY_SEALING_KEY_FILE_NAME = 'api-key-sealing.key';

/**
 * The local cluster's API key sealing key: read from
 * `<dataDir>/api-key-sealing.key`, or made there (mode 0600) on first start.
 * Its frontends seal new keys' secrets with it, so the keys can sign SigV4.
 */
export async function ensureApiKeySealingKeyFile(dataDir: string): Promise<{ readonly path: string; readonly key: ApiKeySealingKey }> {
  const path = join(dataDir, API_KEY_SEALING_KEY_FILE_NAME);
  try {
    await writeFile(path, `${generateApiKeySealingKeyText()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StratusError('UNAVAILABLE', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  }
  return { path, key: parseApiKeySealingKey(await readFile(path, 'utf8'), path) };
}

export interface AdminKeyOptions {
  readonly dataDir: string;
  readonly etcdEndpoints: readonly string[];
  /** An etcd user that may write API keys. Default: anonymous, for an etcd without authentication. */
  readonly etcdCredentials?: EtcdCredentials | undefined;
  readonly ns: Namespace;
  readonly log: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly etcdTls?: EtcdTls | undefined;
  /** Seals the key's secret into its record, so it signs SigV4 requests too. Default: none. */
  readonly sealingKey?: ApiKeySealingKey | undefined;
}

/**
 * The local cluster's admin key: read from `<dataDir>/admin.key`, or made
 * and written there (mode 0600) on first start, then stored in etcd
 * directly, the way an operator's `stratus keys bootstrap` does on a real
 * cluster: whoever can write etcd needs no key to make the first one. If
 * etcd lost it (a wiped etcd dir), it is stored again, so the file is what
 * grants access. Returns `<keyId>.<secret>`.
 */
export async function ensureAdminKey(options: AdminKeyOptions): Promise<string> {
  const path = join(options.dataDir, ADMIN_KEY_FILE_NAME);
  const credential = (await readAdminKey(path, options.log)) ?? (await createAdminKeyFile(path));
  const etcd = createEtcdClient({ endpoints: options.etcdEndpoints, auth: options.etcdCredentials, tls: options.etcdTls });
  try {
    const stored = await new ApiKeyStore({ etcd, ns: options.ns, sealingKey: options.sealingKey }).ensure(credential, ['admin'], 'local cluster admin key');
    if (stored) options.log.info({ keyId: credential.keyId, path }, 'admin API key stored in etcd');
  } finally {
    etcd.close();
  }
  return formatApiKey(credential);
}

async function readAdminKey(path: string, log: Logger): Promise<ApiKeyCredential | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StratusError('UNAVAILABLE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  const credential = parseApiKey(text);
  if (!credential) throw new StratusError('INVALID_ARGUMENT', `${path} does not hold "<keyId>.<secret>"; delete it to get a new admin key`);
  if (((await stat(path)).mode & 0o077) !== 0) {
    log.warn({ path }, 'the admin key file was readable by others; making it 0600');
    await chmod(path, 0o600);
  }
  return credential;
}

async function createAdminKeyFile(path: string): Promise<ApiKeyCredential> {
  const credential = generateApiKey();
  // Written before etcd hears of it, so a key that works is never one nobody holds; 'wx' refuses to replace one.
  await writeFile(path, `${formatApiKey(credential)}\n`, { mode: 0o600, flag: 'wx' });
  return credential;
}

export interface BootstrapApiKeyOptions {
  readonly etcdEndpoints: readonly string[];
  /** An etcd user that may write API keys (the cluster's `<namespace>-admin`). Default: anonymous, for an etcd without authentication. */
  readonly etcdCredentials?: EtcdCredentials | undefined;
  readonly ns: Namespace;
  /** Default ['admin']. */
  readonly scopes?: readonly ApiKeyScope[];
  /** Default 'bootstrap admin key'. */
  readonly description?: string;
  /** TLS towards etcd. Default: plaintext. */
  readonly etcdTls?: EtcdTls | undefined;
  /** The cluster's API key sealing key, so the key signs SigV4 requests too. Default: none. */
  readonly sealingKey?: ApiKeySealingKey | undefined;
}

/**
 * Writes a new key straight into a cluster's etcd, needing no key to do so:
 * how an operator gets the first admin key of a cluster on several machines
 * (`stratus keys bootstrap`), as `ensureAdminKey` does for the local one.
 */
export async function bootstrapApiKey(options: BootstrapApiKeyOptions): Promise<CreatedApiKey> {
  const etcd = createEtcdClient({ endpoints: options.etcdEndpoints, auth: options.etcdCredentials, tls: options.etcdTls });
  try {
    return await new ApiKeyStore({ etcd, ns: options.ns, sealingKey: options.sealingKey }).create(options.scopes ?? ['admin'], options.description ?? 'bootstrap admin key');
  } finally {
    etcd.close();
  }
}
