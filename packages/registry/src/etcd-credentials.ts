import { readFile } from 'node:fs/promises';
import { StratusError } from '@stratus/errors';
import type { EtcdCredentials } from './etcd-client.js';

/** A service's etcd login settings (ETCD_AUTH_SETTINGS in @stratus/contracts), as its config resolves them. */
export interface EtcdAuthConfig {
  readonly etcdUser?: string | undefined;
  readonly etcdPassword?: string | undefined;
  readonly etcdPasswordFile?: string | undefined;
}

/**
 * The credentials a service's settings name, reading the password file if
 * that is how the password is given; undefined without a user. For a
 * service's main.ts, which alone reads its environment and files.
 */
export async function resolveEtcdCredentials(config: EtcdAuthConfig): Promise<EtcdCredentials | undefined> {
  const { etcdUser, etcdPassword, etcdPasswordFile } = config;
  if (etcdPassword !== undefined && etcdPasswordFile !== undefined) {
    throw new StratusError('INVALID_ARGUMENT', 'STRATUS_ETCD_PASSWORD and STRATUS_ETCD_PASSWORD_FILE are both set; keep one');
  }
  if (etcdUser === undefined) {
    if (etcdPassword !== undefined || etcdPasswordFile !== undefined) throw new StratusError('INVALID_ARGUMENT', 'an etcd password is set but STRATUS_ETCD_USER is not');
    return undefined;
  }
  if (etcdPassword !== undefined) return { username: etcdUser, password: etcdPassword };
  if (etcdPasswordFile === undefined) {
    throw new StratusError('INVALID_ARGUMENT', `STRATUS_ETCD_USER is ${JSON.stringify(etcdUser)} but neither STRATUS_ETCD_PASSWORD nor STRATUS_ETCD_PASSWORD_FILE is set`);
  }
  let text: string;
  try {
    text = await readFile(etcdPasswordFile, 'utf8');
  } catch (err) {
    throw new StratusError('INVALID_ARGUMENT', `STRATUS_ETCD_PASSWORD_FILE: cannot read ${etcdPasswordFile}: ${(err as Error).message}`, { cause: err });
  }
  const password = text.trim();
  if (password === '') throw new StratusError('INVALID_ARGUMENT', `STRATUS_ETCD_PASSWORD_FILE: ${etcdPasswordFile} is empty`);
  return { username: etcdUser, password };
}
