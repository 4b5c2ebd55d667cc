import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertificateFiles } from './certificates.js';

/** Who gets a certificate of its own in a local cluster with TLS. */
const HOLDERS = ['server', 'frontend', 'node', 'billing', 'client'] as const;
type Holder = (typeof HOLDERS)[number];

/**
 * The local cluster's certificates, under `<dataDir>/tls/`: a CA, `server`
 * (nats-server and etcd), one per service role and `client` (the launcher,
 * the CLI and tests). All are for 127.0.0.1 and localhost, as everything
 * listens on loopback. Made on the first TLS start, reused after.
 */
export interface ClusterTls {
  readonly dir: string;
  readonly caPath: string;
  readonly files: Readonly<Record<Holder, CertificateFiles>>;
}

/** The same TLS files as PEM text, for clients in this process. */
export interface PemTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export async function ensureClusterTls(dataDir: string): Promise<ClusterTls> {
  const dir = join(dataDir, 'tls');
  const caPath = join(dir, 'ca.crt');
  if (!(await exists(join(dir, 'ca.key')))) await createCertificateAuthority({ dir, commonName: 'Stratus local cluster CA', overwrite: true });
  const files = {} as Record<Holder, CertificateFiles>;
  for (const holder of HOLDERS) {
    const existing = { certPath: join(dir, `${holder}.crt`), keyPath: join(dir, `${holder}.key`) };
    files[holder] = (await exists(existing.certPath)) && (await exists(existing.keyPath))
      ? existing
      : await issueCertificate({ dir, name: holder, hosts: ['127.0.0.1', 'localhost'], overwrite: true });
  }
  return { dir, caPath, files };
}

export async function readPemTls(tls: ClusterTls, holder: Holder): Promise<PemTls> {
  const [ca, cert, key] = await Promise.all([readFile(tls.caPath, 'utf8'), readFile(tls.files[holder].certPath, 'utf8'), readFile(tls.files[holder].keyPath, 'utf8')]);
  return { ca, cert, key };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
