import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reading `deploy/` the way an operator follows it, so the multi-namespace
 * cluster runs exactly what the docs describe: the systemd unit of each role
 * says what runs and which environment files it reads, the environment
 * files say every setting, and the NATS config is the one in the docs. Only
 * what the docs tell an operator to change per machine is changed: the
 * network (the docs' example addresses become the test network's, host
 * numbers kept), the paths (under a per-process root in a temp dir), and
 * the names the docs say to set per server.
 */

/** The repository checkout: what the docs install to `/opt/stratus`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
/** Where the docs install the checkout and which node runs it. */
const DOCUMENTED_CHECKOUT = '/opt/stratus';

export type ServiceRole = 'frontend' | 'node' | 'billing';

/** A Stratus service as its systemd unit starts it. */
export interface ServiceUnit {
  readonly role: ServiceRole;
  /** The unit's ExecStart, with the checkout and node of this machine. */
  readonly argv: readonly string[];
  /** Its environment, merged from its EnvironmentFile lines in order, as documented (not yet localised). */
  readonly env: Readonly<Record<string, string>>;
  /** The unit's `User=`: who the service runs as. */
  readonly user: string | undefined;
  /** What systemd makes for it, owned by that user (StateDirectory=, CacheDirectory=…), as documented absolute paths. */
  readonly ownDirectories: readonly string[];
}

/** systemd's per-unit directory settings and the base each is made under. */
const UNIT_DIRECTORIES = { RuntimeDirectory: '/run', StateDirectory: '/var/lib', CacheDirectory: '/var/cache', LogsDirectory: '/var/log' } as const;

/** Reads `deploy/systemd/stratus-<role>.service` and the environment files it names. */
export async function readServiceUnit(role: ServiceRole): Promise<ServiceUnit> {
  const path = join(DEPLOY_DIR, 'systemd', `stratus-${role}.service`);
  const unit = parseUnit(await readFile(path, 'utf8'));
  const execStart = unit.get('ExecStart')?.at(-1);
  if (execStart === undefined) throw new Error(`${path} has no ExecStart`);
  const argv = execStart.split(/\s+/).map((word, i) => {
    if (i === 0 && basename(word) === 'node') return process.execPath;
    return word.startsWith(`${DOCUMENTED_CHECKOUT}/`) ? join(REPO_ROOT, word.slice(DOCUMENTED_CHECKOUT.length + 1)) : word;
  });
  const env: Record<string, string> = {};
  for (const file of unit.get('EnvironmentFile') ?? []) {
    // systemd's '-' prefix: a missing file is not an error.
    const optional = file.startsWith('-');
    const source = documentedSourceOf(optional ? file.slice(1) : file);
    if (source === undefined) {
      if (optional) continue;
      throw new Error(`${path} reads ${file}, and deploy/ has nothing an operator would copy there (deploy/env/${basename(file)} or deploy/${basename(file)}.example)`);
    }
    Object.assign(env, parseEnvironmentFile(await readFile(source, 'utf8')));
  }
  const ownDirectories = Object.entries(UNIT_DIRECTORIES).flatMap(([key, base]) =>
    (unit.get(key) ?? []).flatMap((value) => value.split(/\s+/).filter((name) => name !== '').map((name) => `${base}/${name}`)),
  );
  return { role, argv, env, user: unit.get('User')?.at(-1), ownDirectories };
}

/** The etcd members' environment of the docs, `deploy/etcd/etcd.env` (Debian's `/etc/default/etcd`). */
export async function readEtcdEnvironment(): Promise<Record<string, string>> {
  return parseEnvironmentFile(await readFile(join(DEPLOY_DIR, 'etcd', 'etcd.env'), 'utf8'));
}

/** The NATS server config of the docs, `deploy/nats/nats-cluster.conf`, as text. */
export function readNatsClusterConfig(): Promise<string> {
  return readFile(join(DEPLOY_DIR, 'nats', 'nats-cluster.conf'), 'utf8');
}

/**
 * The file in deploy/ that the docs have an operator install at `installedPath`
 * (`/etc/stratus/<name>`): `deploy/env/<name>` when deploy/ has one per role,
 * else `deploy/<name>.example`.
 */
function documentedSourceOf(installedPath: string): string | undefined {
  const name = basename(installedPath);
  return [join(DEPLOY_DIR, 'env', name), join(DEPLOY_DIR, `${name}.example`)].find((candidate) => existsSync(candidate));
}

/** A unit file's `[Service]`/`[Unit]` settings: every value of each key, in order. */
function parseUnit(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) continue;
    const key = line.slice(0, eq).trim();
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return settings;
}

/** systemd's EnvironmentFile format: `KEY=value` lines, `#` comments, optional quotes around a value. */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) throw new Error(`not an environment file line: ${line}`);
    const [, key, value] = match as unknown as [string, string, string];
    env[key] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}

/** How the docs' example values become one machine's in the test network. */
export interface Localisation {
  /** The docs' example network, e.g. `10.0.0`. */
  readonly documentedPrefix: string;
  /** The test network, e.g. `10.77.42`. */
  readonly prefix: string;
  /** This machine's root for absolute paths the docs use (`/etc/...`, `/var/...`). */
  readonly root: string;
}

/** The docs' addresses moved to the test network and their absolute paths under `root`. */
export function localise(text: string, where: Localisation): string {
  const documented = where.documentedPrefix.replaceAll('.', '\\.');
  return text
    .replace(new RegExp(`(?<![\\d.])${documented}\\.(?=\\d)`, 'g'), `${where.prefix}.`)
    .replace(/(^|[\s=:"',])(\/(?:etc|var|run|srv)\/[^\s"',]*)/gm, (_all, before: string, path: string) => `${before}${join(where.root, path)}`);
}

/** The hosts (address and port) of a comma-separated list of URLs, as the docs give etcd endpoints and NATS URLs. */
export function hostsOf(urls: string): Array<{ readonly address: string; readonly port: number }> {
  return urls.split(',').map((text) => {
    const url = new URL(text.includes('://') ? text.trim() : `nats://${text.trim()}`);
    return { address: url.hostname, port: Number(url.port) };
  });
}

/** The first three octets of an IPv4 address. */
export function prefixOf(address: string): string {
  const octets = address.split('.');
  if (octets.length !== 4) throw new Error(`${address} is not an IPv4 address`);
  return octets.slice(0, 3).join('.');
}

/** The last octet of an IPv4 address. */
export function hostNumberOf(address: string): number {
  return Number(address.split('.')[3]);
}
