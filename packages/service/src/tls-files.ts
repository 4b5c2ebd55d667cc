import { readFile } from 'node:fs/promises';
import { ETCD_TLS_SETTINGS } from '@stratus/contracts';

/** PEM contents of a CA and, for mutual TLS, a certificate and its key. */
export interface TlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Paths from a service's settings, and the variables that name them (for errors). */
export interface TlsPaths {
  readonly ca: readonly [path: string | undefined, variable: string];
  readonly cert: readonly [path: string | undefined, variable: string];
  readonly key: readonly [path: string | undefined, variable: string];
}

/**
 * Reads the TLS files a service is configured with, once at start: undefined
 * when none is set (plaintext). A certificate needs its key and the reverse,
 * and a file that cannot be read stops the service, naming its variable.
 */
export async function readTlsFiles(paths: TlsPaths): Promise<TlsFiles | undefined> {
  const [certPath, certVariable] = paths.cert;
  const [keyPath, keyVariable] = paths.key;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    const [set, missing] = certPath === undefined ? [keyVariable, certVariable] : [certVariable, keyVariable];
    throw new Error(`${set} is set but ${missing} is not: a certificate and its key go together`);
  }
  if (paths.ca[0] === undefined && certPath === undefined) return undefined;
  const read = async ([path, variable]: readonly [string | undefined, string]): Promise<string | undefined> => {
    if (path === undefined) return undefined;
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`${variable}=${path} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  };
  const [ca, cert, key] = await Promise.all([read(paths.ca), read(paths.cert), read(paths.key)]);
  return { ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}

/** The etcd client's TLS settings (`ETCD_TLS_SETTINGS`), resolved. */
export interface EtcdTlsConfig {
  readonly etcdTlsCa: string | undefined;
  readonly etcdTlsCert: string | undefined;
  readonly etcdTlsKey: string | undefined;
}

/** Reads the etcd client's TLS files; a client certificate needs the CA too (etcd's client verifies the members). */
export async function readEtcdTls(config: EtcdTlsConfig): Promise<{ readonly ca: string; readonly cert?: string; readonly key?: string } | undefined> {
  const files = await readTlsFiles({
    ca: [config.etcdTlsCa, ETCD_TLS_SETTINGS.etcdTlsCa.env],
    cert: [config.etcdTlsCert, ETCD_TLS_SETTINGS.etcdTlsCert.env],
    key: [config.etcdTlsKey, ETCD_TLS_SETTINGS.etcdTlsKey.env],
  });
  if (files === undefined) return undefined;
  if (files.ca === undefined) throw new Error(`${ETCD_TLS_SETTINGS.etcdTlsCert.env} is set but ${ETCD_TLS_SETTINGS.etcdTlsCa.env} is not: the client must know which CA signs the etcd members`);
  return { ...files, ca: files.ca };
}
