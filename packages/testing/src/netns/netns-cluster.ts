import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { connect as natsConnect } from 'nats';
import { isReadyMessage, type ReadyMessage } from '@stratus/contracts';
import { createEtcdClient, type EtcdCredentials } from '@stratus/registry/etcd';
import { serverBinaries } from '../binaries.js';
import { once } from '../once.js';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import {
  REPO_ROOT,
  hostNumberOf,
  hostsOf,
  localise,
  prefixOf,
  readEtcdEnvironment,
  readNatsClusterConfig,
  readServiceUnit,
  type Localisation,
  type ServiceRole,
  type ServiceUnit,
} from './deploy-files.js';
import { HostNetwork, type NetnsHost } from './host-network.js';
import { NetnsProcess } from './netns-process.js';

const run = promisify(execFile);

export type NetnsMemberKind = 'etcd' | 'nats' | ServiceRole;

/** One process of the cluster on its own host (network namespace). */
export interface NetnsMember {
  /** `etcd-1`, `nats-2`, `frontend-1`, `node-3`, `billing`. */
  readonly name: string;
  readonly kind: NetnsMemberKind;
  readonly host: NetnsHost;
  /** The running process's pid; undefined while it is down. */
  readonly pid: number | undefined;
}

export interface NetnsClusterOptions {
  /** Default 2. */
  readonly frontends?: number;
  /** Default 3. */
  readonly nodes?: number;
  /** How long a service may take to send its ready message. Default 60 000. */
  readonly readyTimeoutMs?: number;
}

/**
 * A Stratus cluster spread over network namespaces on this machine, as
 * `deploy/` describes one on several machines: every etcd member, NATS
 * server, frontend, worker node and the billing aggregator on a host of its
 * own in a private /24, each started by `ip netns exec` from its documented
 * command, environment and config files. Fault tests kill, pause and cut
 * off its members and start them again, as systemd would.
 */
export interface NetnsCluster extends AsyncDisposable {
  readonly network: HostNetwork;
  readonly members: ReadonlyMap<string, NetnsMember>;
  /** A gRPC target naming every frontend (`ipv4:a:port,b:port`): a client fails over between them. */
  readonly endpoint: string;
  /** Each frontend's `address:port`. */
  readonly frontendAddresses: readonly string[];
  readonly etcdEndpoints: readonly string[];
  readonly natsUrls: readonly string[];
  /** The admin key made with `stratus keys bootstrap`, as the docs make the first one. */
  readonly apiKey: string;
  /**
   * The cluster's CA and the operator's certificate (`stratus certs issue admin`), as PEM: what a client of the
   * frontends, NATS or etcd presents. Every server of the cluster serves TLS only and trusts only that CA.
   */
  readonly clientTls: PemTls;
  /** Sends `signal` to a member; SIGKILL and SIGTERM wait for it to exit. */
  signal(name: string, signal: NodeJS.Signals): Promise<void>;
  /** Starts a member that is down again, as systemd does: same host, files and data; resolves once it is ready. */
  restart(name: string): Promise<void>;
  /** Cuts a member's host off the network (its veth down) / restores it. */
  cut(name: string): Promise<void>;
  restore(name: string): Promise<void>;
  /** The etcd member that leads the raft group now. */
  etcdLeader(): Promise<string>;
  /** Every JetStream stream (buckets are streams too): its replicas and the NATS server (`nats-N`) leading it. */
  jetStreams(): Promise<ReadonlyArray<{ readonly name: string; readonly replicas: number; readonly leader: string | undefined }>>;
  /** A member's last lines of output, for failure messages. */
  output(name: string, lines?: number): string;
  /** Kills every process and removes the network and files. Safe to call twice. */
  stop(): Promise<void>;
}

const FIRST_HOST = { frontend: 31, node: 41, billing: 51 } as const;
/**
 * Who every process runs as: `nobody`, standing in for the units' `User=stratus` and the Debian packages'
 * `etcd` and `nats` users, so a file the docs install where that user cannot read it fails here too.
 */
const SERVICE_UID = 65534;
const SERVICE_GID = 65534;
/** What deploy/README.md has the operator name the certificate of their own tools (stratus etcd-auth, keys bootstrap, the nats CLI). */
const OPERATOR_CERTIFICATE = 'admin';

interface MemberState {
  readonly name: string;
  readonly kind: NetnsMemberKind;
  readonly host: NetnsHost;
  readonly root: string;
  readonly start: () => Promise<NetnsProcess>;
  process: NetnsProcess | undefined;
}

/** Starts the whole cluster; rejects (having removed everything) with what failed, and what the machine lacks. */
export async function startNetnsCluster(options: NetnsClusterOptions = {}): Promise<NetnsCluster> {
  const network = await HostNetwork.create();
  const members = new Map<string, MemberState>();
  const killAll = (): void => {
    for (const member of members.values()) if (member.process?.running) process.kill(member.process.pid, 'SIGKILL');
  };
  // Before the network's own hook, registered earlier, runs on exit: processes first, then their namespaces.
  process.prependListener('exit', killAll);
  let dir: string | undefined;
  let restoreCheckout: () => Promise<void> = () => Promise.resolve();
  const stop = once(async () => {
    process.off('exit', killAll);
    await Promise.all([...members.values()].map((member) => member.process?.stop('SIGKILL') ?? Promise.resolve()));
    await network.destroy();
    if (dir !== undefined) await removeTempDir(dir);
    await restoreCheckout();
  });
  try {
    restoreCheckout = await passableCheckout();
    dir = await makeTempDir();
    // The unprivileged services must get through to their own files; the operator's folder stays 0700.
    await chmod(dir, 0o755);
    const cluster = await build(network, dir, members, options, stop);
    return cluster;
  } catch (err) {
    const outputs = [...members.values()]
      .filter((member) => member.process !== undefined)
      .map((member) => `--- ${member.name}:\n${member.process?.output(15) ?? ''}`)
      .join('\n');
    await stop();
    throw new Error(`${(err as Error).message}${outputs ? `\n${outputs}` : ''}`, { cause: err });
  }
}

async function build(
  network: HostNetwork,
  dir: string,
  members: Map<string, MemberState>,
  options: NetnsClusterOptions,
  stop: () => Promise<void>,
): Promise<NetnsCluster> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const { natsServer: natsBinary, etcd: etcdBinary } = await serverBinaries();
  await setprivPresent();
  const units: Record<ServiceRole, ServiceUnit> = {
    frontend: await readServiceUnit('frontend'),
    node: await readServiceUnit('node'),
    billing: await readServiceUnit('billing'),
  };
  const documented = units.frontend.env;
  const etcdDocumented = hostsOf(required(documented, 'STRATUS_ETCD_ENDPOINTS', 'frontend'));
  const natsDocumented = hostsOf(required(documented, 'STRATUS_NATS_URL', 'frontend'));
  const documentedPrefix = prefixOf(etcdDocumented[0]?.address ?? '');
  const grpcPort = Number(required(documented, 'STRATUS_GRPC_ADDRESS', 'frontend').split(':').at(-1));
  const httpPort = documented['STRATUS_HTTP_ADDRESS'] === undefined ? undefined : Number(documented['STRATUS_HTTP_ADDRESS'].split(':').at(-1));
  const documentedNodeId = required(units.node.env, 'STRATUS_NODE_ID', 'node');
  // The operator's machine: the CA and every certificate (`stratus certs`), and every etcd user's password
  // (`stratus etcd-auth --apply`); the services get copies of their own files only.
  const operatorDir = join(dir, 'operator');
  await mkdir(operatorDir, { mode: 0o700 });
  const certsDir = join(operatorDir, 'certs');
  const etcdPasswordDir = join(operatorDir, 'stratus-etcd');
  // deploy/README.md: the API key sealing key, made once by the operator and copied to every frontend.
  const sealingKeyFile = join(operatorDir, 'api-key-sealing.key');
  await writeFile(sealingKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const where = (root: string): Localisation => ({ documentedPrefix, prefix: network.prefix, root });

  const addMember = async (name: string, kind: NetnsMemberKind, hostNumber: number, start: (state: { host: NetnsHost; root: string }) => Promise<NetnsProcess>): Promise<MemberState> => {
    const host = await network.addHost(name, hostNumber);
    const root = join(dir, name);
    await mkdirReadable(root);
    const state: MemberState = { name, kind, host, root, start: () => start({ host, root }), process: undefined };
    members.set(name, state);
    return state;
  };
  /**
   * What deploy/README.md has the operator install on a machine: the CA, the machine's own certificate
   * and key (`root:<service group>`, mode 0640) at the paths its config names.
   */
  const installTls = async (member: string, files: { readonly ca?: readonly string[]; readonly cert?: readonly string[]; readonly key?: readonly string[] }): Promise<void> => {
    const sources = { ca: join(certsDir, 'ca.crt'), cert: join(certsDir, `${member}.crt`), key: join(certsDir, `${member}.key`) };
    for (const kind of ['ca', 'cert', 'key'] as const) for (const target of files[kind] ?? []) await installFile(sources[kind], target);
  };

  // etcd: the members the docs' STRATUS_ETCD_ENDPOINTS list, at those host numbers and ports, each started with
  // deploy/etcd/etcd.env as its environment (Debian's /etc/default/etcd), its name and addresses changed as the file says.
  const etcdTemplate = await readEtcdEnvironment();
  const firstEtcd = etcdDocumented[0]?.address ?? '';
  const etcdMembers = etcdDocumented.map((documentedHost, i) => ({ name: `etcd-${i + 1}`, number: hostNumberOf(documentedHost.address), port: documentedHost.port }));
  const etcdEndpoints = etcdMembers.map((m) => `https://${network.prefix}.${m.number}:${m.port}`);
  for (const m of etcdMembers) {
    await addMember(m.name, 'etcd', m.number, async ({ host, root }) => {
      const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
      for (const [key, value] of Object.entries(etcdTemplate)) {
        const own = /^ETCD_(LISTEN|ADVERTISE|INITIAL_ADVERTISE)_/.test(key) ? value.replaceAll(`${firstEtcd}:`, `${host.address}:`) : value;
        env[key] = localise(own, where(root));
      }
      env['ETCD_NAME'] = m.name;
      env['ETCD_INITIAL_CLUSTER_TOKEN'] = `stratus-${network.id}`;
      if (!(env['ETCD_INITIAL_CLUSTER'] ?? '').includes(`${m.name}=`)) throw new Error(`deploy/etcd/etcd.env's ETCD_INITIAL_CLUSTER does not name ${m.name}`);
      await installTls(m.name, {
        ca: [env['ETCD_TRUSTED_CA_FILE'], env['ETCD_PEER_TRUSTED_CA_FILE']].filter(isDefined),
        cert: [env['ETCD_CERT_FILE'], env['ETCD_PEER_CERT_FILE']].filter(isDefined),
        key: [env['ETCD_KEY_FILE'], env['ETCD_PEER_KEY_FILE']].filter(isDefined),
      });
      // The data dir the Debian package makes, owned by its user; etcd wants it 0700.
      await ownDirectory(required(env, 'ETCD_DATA_DIR', 'etcd member'), 0o700);
      // --unsafe-no-fsync: the one flag the docs do not give, for speed; a SIGKILL loses nothing the kernel was given.
      return new NetnsProcess({ netns: host.netns, argv: unprivileged([etcdBinary, '--unsafe-no-fsync']), env, cwd: root, ipc: false });
    });
  }

  const frontendCount = options.frontends ?? 2;
  const nodeCount = options.nodes ?? 3;
  const nodeIds = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
  const secrets = natsSecrets(nodeIds);

  // NATS: the docs' config on each server, with its own server_name, as the file's first line says to change,
  // the route password in the route URLs and a user entry per node, as deploy/README.md's credentials table says.
  const natsTemplate = withNodeUsers(await readNatsClusterConfig(), nodeIds).replaceAll('REPLACE_WITH_ROUTE_PASSWORD', secrets.route);
  if (!/^server_name:.*$/m.test(natsTemplate)) throw new Error('deploy/nats/nats-cluster.conf has no server_name line');
  const natsUrls = natsDocumented.map((h) => `nats://${network.prefix}.${hostNumberOf(h.address)}:${h.port}`);
  for (const [i, documentedHost] of natsDocumented.entries()) {
    const name = `nats-${i + 1}`;
    await addMember(name, 'nats', hostNumberOf(documentedHost.address), async ({ host, root }) => {
      // Its own name and listen addresses (client and cluster ports), as the file's first lines say to change on each server.
      const config = localise(natsTemplate, where(root))
        .replace(/^server_name:.*$/m, `server_name: ${name}`)
        .replace(/^(\s*listen:\s*)[\d.]+:(\d+)\s*$/gm, (_line, before: string, port: string) => `${before}${host.address}:${port}`);
      const configured = (setting: string): string[] => [...config.matchAll(new RegExp(`^\\s*${setting}:\\s*"?([^\\s"]+)"?\\s*$`, 'gm'))].map((match) => match[1] ?? '');
      await installTls(name, { ca: configured('ca_file'), cert: configured('cert_file'), key: configured('key_file') });
      for (const storeDir of configured('store_dir')) await ownDirectory(storeDir, 0o700);
      const configPath = join(root, 'etc/nats-server.conf');
      await mkdirReadable(dirname(configPath));
      await writeFile(configPath, config, { mode: 0o644 });
      return new NetnsProcess({ netns: host.netns, argv: unprivileged([natsBinary, '-c', configPath]), env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...secrets.serverEnv }, cwd: root, ipc: false });
    });
  }

  const serviceStarter = (role: ServiceRole, name: string, perMachine: Readonly<Record<string, string>>) => async ({ host, root }: { host: NetnsHost; root: string }) => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    for (const [key, value] of Object.entries(units[role].env)) {
      // The node id the docs say to set per node (and the users named after it).
      const own = role === 'node' && perMachine['STRATUS_NODE_ID'] !== undefined ? value.replaceAll(documentedNodeId, perMachine['STRATUS_NODE_ID']) : value;
      env[key] = localise(own, where(root));
    }
    // "this machine's addresses": the documented gRPC address is the first frontend's.
    if (role === 'frontend') env['STRATUS_GRPC_ADDRESS'] = `${host.address}:${grpcPort}`;
    if (role === 'frontend' && httpPort !== undefined) env['STRATUS_HTTP_ADDRESS'] = `${host.address}:${httpPort}`;
    Object.assign(env, perMachine);
    // deploy/README.md: the CA, this machine's certificate and key, and its own etcd password file, where its env files say.
    const named = (suffix: RegExp): string[] => Object.entries(env).filter(([key]) => suffix.test(key)).map(([, path]) => path);
    await installTls(name, { ca: named(/_TLS_(CLIENT_)?CA$/), cert: named(/_TLS_CERT$/), key: named(/_TLS_KEY$/) });
    const etcdUser = required(env, 'STRATUS_ETCD_USER', role);
    await installFile(join(etcdPasswordDir, `${etcdUser}.password`), required(env, 'STRATUS_ETCD_PASSWORD_FILE', role));
    const sealingKeyTarget = env['STRATUS_API_KEY_SEALING_KEY_FILE'];
    if (role === 'frontend' && sealingKeyTarget !== undefined) await installFile(sealingKeyFile, sealingKeyTarget);
    // What systemd makes for the unit (StateDirectory=, CacheDirectory=), owned by its User=.
    for (const own of units[role].ownDirectories) await ownDirectory(localise(own, where(root)), 0o755);
    const proc = new NetnsProcess({ netns: host.netns, argv: unprivileged(units[role].argv), env, cwd: '/', ipc: true });
    await serviceReady(proc, role, readyTimeoutMs);
    return proc;
  };
  const services: MemberState[] = [];
  services.push(await addMember('billing', 'billing', FIRST_HOST.billing, serviceStarter('billing', 'billing', { STRATUS_NATS_PASSWORD: secrets.billing })));
  for (const [i, nodeId] of nodeIds.entries()) {
    // The docs: "use the host name" as the node id, and one NATS user per node.
    services.push(await addMember(nodeId, 'node', FIRST_HOST.node + i, serviceStarter('node', nodeId, { STRATUS_NODE_ID: nodeId, STRATUS_NATS_PASSWORD: secrets.nodes.get(nodeId) ?? '' })));
  }
  for (let i = 1; i <= frontendCount; i++) {
    const name = `frontend-${i}`;
    services.push(await addMember(name, 'frontend', FIRST_HOST.frontend + i - 1, serviceStarter('frontend', name, { STRATUS_NATS_PASSWORD: secrets.frontend })));
  }
  const frontendAddresses = services.filter((m) => m.kind === 'frontend').map((m) => `${m.host.address}:${grpcPort}`);

  // The certificates, made as deploy/README.md has the operator make them: `stratus certs ca`, then
  // `stratus certs issue <name> --host <its address>` for every machine, and one for the operator's tools.
  // Clients verify a frontend against the name they dialled: with the test's target (`ipv4:a,b`) that is the
  // first frontend's address, standing in for the load balancer's name every frontend's certificate carries.
  const clientFacingName = services.find((m) => m.kind === 'frontend')?.host.address;
  await stratusCli('operator', ['certs', 'ca', '--dir', certsDir, '--name', `Stratus netns test CA ${network.id}`]);
  await Promise.all([
    ...[...members.values()].map((m) => {
      const hosts = new Set([m.host.address, ...(m.kind === 'frontend' && clientFacingName !== undefined ? [clientFacingName] : [])]);
      return stratusCli('operator', ['certs', 'issue', m.name, '--host', [...hosts].join(','), '--dir', certsDir]);
    }),
    stratusCli('operator', ['certs', 'issue', OPERATOR_CERTIFICATE, '--host', 'localhost', '--dir', certsDir]),
  ]);
  const operatorFiles = { ca: join(certsDir, 'ca.crt'), cert: join(certsDir, `${OPERATOR_CERTIFICATE}.crt`), key: join(certsDir, `${OPERATOR_CERTIFICATE}.key`) };
  const operatorTls = await readPem(operatorFiles);
  const operatorTlsFlags = ['--etcd-ca', operatorFiles.ca, '--etcd-cert', operatorFiles.cert, '--etcd-key', operatorFiles.key];

  const startMember = async (member: MemberState): Promise<void> => {
    member.process = await member.start();
  };
  await Promise.all([...members.values()].filter((m) => m.kind === 'etcd').map(startMember));
  await Promise.all(etcdEndpoints.map((endpoint) => waitFor(() => etcdHealthy(endpoint, operatorTls), `etcd at ${endpoint} to be healthy`, readyTimeoutMs)));
  const namespace = units.frontend.env['STRATUS_NAMESPACE'];
  await stratusCli(members.get('etcd-1')?.host, [
    'etcd-auth',
    '--apply',
    '--etcd',
    etcdEndpoints.join(','),
    ...operatorTlsFlags,
    '--password-dir',
    etcdPasswordDir,
    '--node-id',
    nodeIds.join(','),
    ...(namespace === undefined ? [] : ['--namespace', namespace]),
  ]);
  await Promise.all([...members.values()].filter((m) => m.kind === 'nats').map(startMember));
  await waitForJetStream(natsUrls, { user: 'billing', pass: secrets.billing, inboxPrefix: '_INBOX.stratus.billing', tls: operatorTls }, readyTimeoutMs);

  const apiKey = await bootstrapAdminKey(members.get('etcd-1')?.host, etcdEndpoints, namespace, etcdPasswordDir, operatorTlsFlags);
  // Billing and the nodes create the streams; frontends need the code bucket a node may be creating: start in that order.
  await startMember(services[0] as MemberState);
  await Promise.all(services.filter((m) => m.kind === 'node').map(startMember));
  await Promise.all(services.filter((m) => m.kind === 'frontend').map(startMember));

  const member = (name: string): MemberState => {
    const found = members.get(name);
    if (found === undefined) throw new Error(`no cluster member ${name}`);
    return found;
  };
  const view = new Map<string, NetnsMember>(
    [...members.values()].map((m) => [
      m.name,
      {
        name: m.name,
        kind: m.kind,
        host: m.host,
        get pid() {
          return m.process?.running === true ? m.process.pid : undefined;
        },
      },
    ]),
  );
  return {
    network,
    members: view,
    endpoint: `ipv4:${frontendAddresses.join(',')}`,
    frontendAddresses,
    etcdEndpoints,
    natsUrls,
    apiKey,
    clientTls: operatorTls,
    async signal(name, signal) {
      const proc = member(name).process;
      if (proc === undefined || !proc.running) throw new Error(`${name} is not running`);
      proc.signal(signal);
      if (signal === 'SIGKILL' || signal === 'SIGTERM') await proc.exited;
    },
    async restart(name) {
      const m = member(name);
      if (m.process?.running === true) throw new Error(`${name} is still running`);
      await startMember(m);
      if (m.kind === 'etcd') await waitFor(() => etcdHealthy(etcdEndpoints[Number(name.split('-')[1]) - 1] ?? '', operatorTls), `${name} to be healthy`, readyTimeoutMs);
      if (m.kind === 'nats') await waitFor(() => canConnect(m.host.address, hostsOf(natsUrls[0] ?? '')[0]?.port ?? 4222), `${name} to accept connections`, readyTimeoutMs);
    },
    cut: (name) => network.cut(name),
    restore: (name) => network.restore(name),
    etcdLeader: async () =>
      etcdLeader(
        etcdMembers.map((m, i) => ({ name: m.name, endpoint: etcdEndpoints[i] ?? '' })),
        operatorTls,
        { username: 'stratus-admin', password: (await readFile(join(etcdPasswordDir, 'stratus-admin.password'), 'utf8')).trim() },
      ),
    jetStreams: () => jetStreams(natsUrls, { user: 'admin', pass: secrets.admin, tls: operatorTls }),
    output: (name, lines) => member(name).process?.output(lines) ?? '',
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** `argv` run as the services' unprivileged user, with no way to gain privileges (the units' NoNewPrivileges=yes). */
function unprivileged(argv: readonly string[]): string[] {
  return ['setpriv', `--reuid=${SERVICE_UID}`, `--regid=${SERVICE_GID}`, '--clear-groups', '--no-new-privs', '--', ...argv];
}

async function setprivPresent(): Promise<void> {
  try {
    await run('setpriv', ['--version']);
  } catch (err) {
    throw new Error(`this test needs setpriv (Debian package util-linux) to run the services unprivileged: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The unprivileged services run the code of this checkout (as /opt/stratus in deploy/), so every folder above it must
 * let them through: a checkout inside a 0700 folder (`mktemp -d`) gets search permission, never read, on those folders
 * until the returned function puts their modes back.
 */
async function passableCheckout(): Promise<() => Promise<void>> {
  const changed: { readonly path: string; readonly mode: number }[] = [];
  for (let path = REPO_ROOT.replace(/\/+$/, ''); path !== dirname(path); path = dirname(path)) {
    const mode = (await stat(path)).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      await chmod(path, mode | 0o001);
      changed.push({ path, mode });
    }
  }
  return async () => {
    for (const { path, mode } of changed) await chmod(path, mode).catch(() => undefined);
  };
}

/** A directory (and its parents) every user can pass through, as /etc and /var are. */
async function mkdirReadable(path: string): Promise<void> {
  const first = await mkdir(path, { recursive: true, mode: 0o755 });
  if (first === undefined) return;
  // mkdir's mode goes through the umask; set it exactly on every folder made.
  for (let made = path; made.length >= first.length; made = dirname(made)) await chmod(made, 0o755);
}

/** Installs `source` at `target` as an operator installs a secret for a service: `root:<its group>`, mode 0640. */
async function installFile(source: string, target: string): Promise<void> {
  await mkdirReadable(dirname(target));
  await copyFile(source, target);
  await chown(target, 0, SERVICE_GID);
  await chmod(target, 0o640);
}

/** A directory the service owns, as systemd's StateDirectory= or a package's postinst makes it. */
async function ownDirectory(path: string, mode: number): Promise<void> {
  await mkdirReadable(dirname(path));
  await mkdir(path, { recursive: true });
  await chown(path, SERVICE_UID, SERVICE_GID);
  await chmod(path, mode);
}

async function readPem(files: { readonly ca: string; readonly cert: string; readonly key: string }): Promise<PemTls> {
  const [ca, cert, key] = await Promise.all([readFile(files.ca, 'utf8'), readFile(files.cert, 'utf8'), readFile(files.key, 'utf8')]);
  return { ca, cert, key };
}

/** A CA and a client certificate, as PEM text. */
export interface PemTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

function required(env: Readonly<Record<string, string>>, key: string, role: string): string {
  const value = env[key];
  if (value === undefined || value === '') throw new Error(`the ${role}'s environment files in deploy/ do not set ${key}`);
  return value;
}

async function serviceReady(proc: NetnsProcess, role: ServiceRole, timeoutMs: number): Promise<ReadyMessage> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const outcome = await Promise.race([proc.message(isReadyMessage), proc.exited.then((status) => ({ exit: status })), late]);
    if (outcome === 'late') {
      await proc.stop('SIGKILL');
      throw new Error(`the ${role} was not ready within ${timeoutMs} ms:\n${proc.output()}`);
    }
    if ('exit' in outcome) throw new Error(`the ${role} exited (${outcome.exit.signal ?? outcome.exit.code}) before it was ready:\n${proc.output()}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function etcdHealthy(endpoint: string, tls: PemTls): Promise<boolean> {
  try {
    return ((await etcdRequest(endpoint, '/health', undefined, tls)) as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

/**
 * Over gRPC, logged in: with authentication on, etcd refuses a request through its HTTP gateway from a
 * client certificate with a common name ("CommonName of client sending a request against gateway will be ignored").
 */
async function etcdLeader(members: ReadonlyArray<{ readonly name: string; readonly endpoint: string }>, tls: PemTls, auth: EtcdCredentials): Promise<string> {
  const ids = new Map<string, string>();
  let leader: string | undefined;
  for (const m of members) {
    const etcd = createEtcdClient({ endpoints: [m.endpoint], callTimeoutMs: 2_000, tls, auth });
    try {
      const status = await etcd.maintenance.status();
      ids.set(String(status.header.member_id), m.name);
      leader ??= String(status.leader);
    } catch {
      // A member down or paused: the others say who leads.
    } finally {
      etcd.close();
    }
  }
  const name = leader === undefined ? undefined : ids.get(leader);
  if (name === undefined) throw new Error('no etcd member names a leader');
  return name;
}

/** One JSON request to an etcd member over TLS with a client certificate (fetch cannot present one). */
function etcdRequest(endpoint: string, path: string, body: string | undefined, tls: PemTls): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(`${endpoint}${path}`, { method: body === undefined ? 'GET' : 'POST', agent: false, timeout: 1_000, ...tls }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(err);
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('etcd did not answer within 1 s')));
    request.on('error', reject);
    request.end(body);
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Every server accepts connections and the JetStream cluster has a meta leader (account info answers). */
async function waitForJetStream(
  natsUrls: readonly string[],
  credentials: { readonly user: string; readonly pass: string; readonly inboxPrefix: string; readonly tls: PemTls },
  timeoutMs: number,
): Promise<void> {
  for (const url of natsUrls) {
    const { address, port } = hostsOf(url)[0] ?? { address: '', port: 0 };
    await waitFor(() => canConnect(address, port), `nats-server at ${url} to accept connections`, timeoutMs);
  }
  const nc = await natsConnect({ servers: [...natsUrls], ...credentials, noAsyncTraces: true, reconnect: true });
  try {
    const jsm = await nc.jetstreamManager({ timeout: 2_000 }).catch(() => undefined);
    await waitFor(
      async () => {
        try {
          await (jsm ?? (await nc.jetstreamManager({ timeout: 2_000 }))).getAccountInfo();
          return true;
        } catch {
          return false;
        }
      },
      'the JetStream cluster to elect a meta leader',
      timeoutMs,
    );
  } finally {
    await nc.close();
  }
}

async function jetStreams(
  natsUrls: readonly string[],
  credentials: { readonly user: string; readonly pass: string; readonly tls: PemTls },
): Promise<Array<{ name: string; replicas: number; leader: string | undefined }>> {
  const nc = await natsConnect({ servers: [...natsUrls], ...credentials, noAsyncTraces: true });
  try {
    const jsm = await nc.jetstreamManager();
    const found: Array<{ name: string; replicas: number; leader: string | undefined }> = [];
    for await (const info of jsm.streams.list()) found.push({ name: info.config.name, replicas: info.config.num_replicas, leader: info.cluster?.leader });
    return found;
  } finally {
    await nc.close();
  }
}

interface NatsSecrets {
  readonly route: string;
  /** The operators' user (the nats CLI), allowed everything. */
  readonly admin: string;
  readonly frontend: string;
  readonly billing: string;
  readonly nodes: ReadonlyMap<string, string>;
  /** What the nats-servers' environment holds, as the config's `$STRATUS_NATS_*_PASSWORD` variables name them. */
  readonly serverEnv: Readonly<Record<string, string>>;
}

/** The passwords deploy/README.md has an operator make, letters and digits as it says. */
function natsSecrets(nodeIds: readonly string[]): NatsSecrets {
  // nats-server parses a variable's value as config: a password starting with a digit would be read as a number.
  const secret = (): string => `p${randomBytes(24).toString('hex')}`;
  const route = secret();
  const admin = secret();
  const frontend = secret();
  const billing = secret();
  const nodes = new Map(nodeIds.map((id) => [id, secret()]));
  const serverEnv: Record<string, string> = {
    STRATUS_NATS_ROUTE_PASSWORD: route,
    STRATUS_NATS_ADMIN_PASSWORD: admin,
    STRATUS_NATS_FRONTEND_PASSWORD: frontend,
    STRATUS_NATS_BILLING_PASSWORD: billing,
    // The user programs that publish users' events connect as; the harness runs none, but the config names it.
    STRATUS_NATS_EVENTS_PASSWORD: secret(),
  };
  for (const [id, password] of nodes) serverEnv[nodePasswordVariable(id)] = password;
  return { route, admin, frontend, billing, nodes, serverEnv };
}

function nodePasswordVariable(nodeId: string): string {
  return `STRATUS_NATS_NODE_${nodeId.toUpperCase().replaceAll('-', '_')}_PASSWORD`;
}

/** The docs' one node user entry (`worker-1`), copied for each node as the docs say, and the example removed. */
function withNodeUsers(config: string, nodeIds: readonly string[]): string {
  const example = /^ *\{ user: "node-user-worker-1"[\s\S]*?^ *\} \}\n/m.exec(config);
  if (example === null) throw new Error('deploy/nats/nats-cluster.conf has no user entry for node worker-1 to copy');
  const entries = nodeIds
    .map((id) => example[0].replaceAll('$STRATUS_NATS_NODE_WORKER_1_PASSWORD', `$${nodePasswordVariable(id)}`).replaceAll('worker-1', id))
    .join('');
  return config.replace(example[0], entries);
}

/**
 * Runs the `stratus` CLI as deploy/README.md has an operator do, on an etcd member's host or (`'operator'`)
 * on the operator's own machine, the test's; resolves with its stdout.
 */
async function stratusCli(on: NetnsHost | 'operator' | undefined, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  if (on === undefined) throw new Error('deploy/ lists no etcd member');
  const cli = [process.execPath, join(REPO_ROOT, 'packages/cli/bin/stratus.js'), ...args];
  const [file, ...argv] = on === 'operator' ? cli : ['ip', 'netns', 'exec', on.netns, ...cli];
  try {
    const { stdout } = await run(file ?? 'ip', argv, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`stratus ${args.slice(0, 2).join(' ')} failed: ${stderr || (err as Error).message}`, { cause: err });
  }
}

/** The first admin key, the way deploy/README.md makes it: `stratus keys bootstrap` on an etcd member, logged in as stratus-admin. */
async function bootstrapAdminKey(
  host: NetnsHost | undefined,
  etcdEndpoints: readonly string[],
  namespace: string | undefined,
  etcdPasswordDir: string,
  tlsFlags: readonly string[],
): Promise<string> {
  const args = ['keys', 'bootstrap', '--etcd', etcdEndpoints.join(','), ...tlsFlags, ...(namespace === undefined ? [] : ['--namespace', namespace]), '--json'];
  const stdout = await stratusCli(host, args, {
    STRATUS_ETCD_USER: 'stratus-admin',
    STRATUS_ETCD_PASSWORD_FILE: join(etcdPasswordDir, 'stratus-admin.password'),
  });
  const key = (JSON.parse(stdout) as { apiKey?: unknown }).apiKey;
  if (typeof key !== 'string') throw new Error(`stratus keys bootstrap printed no apiKey: ${stdout}`);
  return key;
}
