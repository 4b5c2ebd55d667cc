import { execFile } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StratusError } from '@stratus/errors';

const run = promisify(execFile);
const generateKeys = promisify(generateKeyPair);

/** The files of a certificate: PEM certificate and its private key (mode 0600). */
export interface CertificateFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface CertificateAuthorityOptions {
  /** Folder of the CA: `ca.crt` and `ca.key` are written there (created mode 0700 if missing). */
  readonly dir: string;
  /** Default 'Stratus CA'. */
  readonly commonName?: string;
  /** Default 3650. */
  readonly validDays?: number;
  /** Replace a CA already there. Default false: an existing `ca.key` is refused, so nothing signed by it is orphaned by accident. */
  readonly overwrite?: boolean;
  /** Default 'openssl' (found on PATH). */
  readonly opensslBin?: string;
}

export interface IssueCertificateOptions {
  /** Folder holding `ca.crt` and `ca.key`; `<name>.crt` and `<name>.key` are written there. */
  readonly dir: string;
  /** File name and common name, e.g. `frontend-1` or `nats-2`. */
  readonly name: string;
  /** DNS names and IP addresses the certificate is valid for (subject alternative names); at least one. */
  readonly hosts: readonly string[];
  /** Default 825. */
  readonly validDays?: number;
  /** Replace a certificate already there. Default false. */
  readonly overwrite?: boolean;
  /** Default 'openssl'. */
  readonly opensslBin?: string;
}

/**
 * Certificates for a Stratus cluster, made with `openssl` (present on every
 * Debian machine): a CA, then one certificate per role and host, each good
 * for both TLS server and client use, so one file serves a frontend's gRPC
 * port and its NATS and etcd connections. Keys are P-256, made by Node and
 * written with mode 0600 before openssl sees them.
 */
export async function createCertificateAuthority(options: CertificateAuthorityOptions): Promise<CertificateFiles> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const files = filesOf(options.dir, 'ca');
  if (options.overwrite !== true) await refuseExisting(files.keyPath);
  await writePrivateKey(files.keyPath);
  await openssl(options.opensslBin, [
    'req',
    '-x509',
    '-new',
    '-key',
    files.keyPath,
    '-out',
    files.certPath,
    '-days',
    String(options.validDays ?? 3650),
    '-subj',
    `/CN=${subjectText(options.commonName ?? 'Stratus CA')}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return files;
}

/** Issues `<name>.crt`/`<name>.key` signed by the CA in `dir`, valid for `hosts`. */
export async function issueCertificate(options: IssueCertificateOptions): Promise<CertificateFiles> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(options.name) || options.name === 'ca') {
    throw new StratusError('INVALID_ARGUMENT', `certificate name ${JSON.stringify(options.name)}: use letters, digits, '.', '_' and '-' (not "ca")`);
  }
  if (options.hosts.length === 0) throw new StratusError('INVALID_ARGUMENT', `certificate ${options.name} needs at least one host name or IP address`);
  const sans = options.hosts.map((host) => {
    const trimmed = host.trim();
    if (isIP(trimmed) !== 0) return `IP:${trimmed}`;
    if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(trimmed)) {
      throw new StratusError('INVALID_ARGUMENT', `${JSON.stringify(host)} is neither a DNS name nor an IP address`);
    }
    return `DNS:${trimmed}`;
  });
  const ca = filesOf(options.dir, 'ca');
  await Promise.all([ca.certPath, ca.keyPath].map((path) => mustExist(path, `no CA at ${options.dir}: run \`stratus certs ca --dir ${options.dir}\` first`)));
  const files = filesOf(options.dir, options.name);
  if (options.overwrite !== true) await refuseExisting(files.keyPath);
  await writePrivateKey(files.keyPath);
  const work = await mkdtemp(join(options.dir, `.${options.name}-`));
  try {
    const csrPath = join(work, 'request.csr');
    const extPath = join(work, 'extensions.cnf');
    await openssl(options.opensslBin, ['req', '-new', '-key', files.keyPath, '-out', csrPath, '-subj', `/CN=${subjectText(options.name)}`]);
    await writeFile(
      extPath,
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        // Both: a frontend serves gRPC and is a client of NATS and etcd with the same certificate.
        'extendedKeyUsage = serverAuth, clientAuth',
        `subjectAltName = ${sans.join(', ')}`,
        'authorityKeyIdentifier = keyid',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
    );
    await openssl(options.opensslBin, [
      'x509',
      '-req',
      '-in',
      csrPath,
      '-CA',
      ca.certPath,
      '-CAkey',
      ca.keyPath,
      '-set_serial',
      `0x${randomSerial()}`,
      '-days',
      String(options.validDays ?? 825),
      '-extfile',
      extPath,
      '-out',
      files.certPath,
    ]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return files;
}

function filesOf(dir: string, name: string): CertificateFiles {
  return { certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`) };
}

async function writePrivateKey(path: string): Promise<void> {
  const { privateKey } = await generateKeys('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  await rm(path, { force: true });
  await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  // An umask can only take bits away; this makes the mode exact whatever created the folder.
  await chmod(path, 0o600);
}

async function refuseExisting(path: string): Promise<void> {
  try {
    await access(path);
  } catch {
    return;
  }
  throw new StratusError('INVALID_ARGUMENT', `${path} exists already; pass --force to replace it`);
}

async function mustExist(path: string, message: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new StratusError('INVALID_ARGUMENT', message);
  }
}

async function openssl(bin: string | undefined, args: readonly string[]): Promise<void> {
  try {
    await run(bin ?? 'openssl', args, { timeout: 30_000 });
  } catch (err) {
    const { code, stderr } = err as NodeJS.ErrnoException & { stderr?: string };
    if (code === 'ENOENT') throw new StratusError('UNAVAILABLE', 'openssl is not installed: apt-get install openssl', { cause: err });
    throw new StratusError('INTERNAL', `openssl ${args[0] ?? ''} failed: ${stderr?.trim() ?? (err as Error).message}`, { cause: err });
  }
}

/** openssl's -subj treats `/` and `=` specially. */
function subjectText(text: string): string {
  return text.replace(/[/=\\]/g, (c) => `\\${c}`);
}

function randomSerial(): string {
  // 16 random bytes with the top bit clear: a positive serial, unique in practice.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
