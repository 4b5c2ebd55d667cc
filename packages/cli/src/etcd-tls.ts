import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { usageError } from './usage-error.js';

/** The options of a command that talks to etcd itself (`keys bootstrap`, `etcd-auth --apply`). */
export interface EtcdTlsOptions {
  readonly etcdCa?: string;
  readonly etcdCert?: string;
  readonly etcdKey?: string;
}

/** Adds `--etcd-ca`, `--etcd-cert` and `--etcd-key`, defaulting to STRATUS_ETCD_TLS_CA, _CERT and _KEY as the services read them. */
export function addEtcdTlsOptions(command: Command, ctx: CliContext): Command {
  return command
    .option('--etcd-ca <file>', 'CA certificate of etcd (https endpoints); STRATUS_ETCD_TLS_CA sets the default', ctx.etcdTls?.ca)
    .option('--etcd-cert <file>', 'client certificate for etcd; STRATUS_ETCD_TLS_CERT sets the default', ctx.etcdTls?.cert)
    .option('--etcd-key <file>', 'its private key; STRATUS_ETCD_TLS_KEY sets the default', ctx.etcdTls?.key);
}

/** The etcd client's TLS files, read now; a certificate needs its key and the CA. */
export async function etcdTlsOption(options: EtcdTlsOptions): Promise<{ ca: string; cert?: string; key?: string } | undefined> {
  const ca = options.etcdCa || undefined;
  const cert = options.etcdCert || undefined;
  const key = options.etcdKey || undefined;
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  if ((cert === undefined) !== (key === undefined)) throw usageError('--etcd-cert and --etcd-key go together');
  if (ca === undefined) throw usageError('a client certificate for etcd needs --etcd-ca too');
  const read = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw usageError(`cannot read ${path}: ${(err as Error).message}`);
    }
  };
  return { ca: await read(ca), ...(cert === undefined ? {} : { cert: await read(cert) }), ...(key === undefined ? {} : { key: await read(key) }) };
}
