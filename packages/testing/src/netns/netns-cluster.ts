import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { connect as natsConnect } from 'nats';
import { isReadyMessage, type ReadyMessage } from '@stratus/contracts';
import { serverBinaries } from '../binaries.js';
import { once } from '../once.js';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import {
  REPO_ROOT,
  hostNumberOf,
  hostsOf,
  localise,
  prefixOf,
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
const ETCD_PEER_PORT = 2380;
/** Where deploy/README.md has each service's etcd password copied. */
const ETCD_PASSWORD_FILE = '/etc/stratus/etcd.password';

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
  const stop = once(async () => {
    process.off('exit', killAll);
    await Promise.all([...members.values()].map((member) => member.process?.stop('SIGKILL') ?? Promise.resolve()));
    await network.destroy();
    if (dir !== undefined) await removeTempDir(dir);
  });
  try {
    dir = await makeTempDir();
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
  // Where `stratus etcd-auth --apply` keeps every user's password: the operator's machine, not a service's.
  const etcdPasswordDir = join(dir, 'operator/stratus-etcd');
  const where = (root: string): Localisation => ({ documentedPrefix, prefix: network.prefix, root });

  const addMember = async (name: string, kind: NetnsMemberKind, hostNumber: number, start: (state: { host: NetnsHost; root: string }) => Promise<NetnsProcess>): Promise<MemberState> => {
    const host = await network.addHost(name, hostNumber);
    const root = join(dir, name);
    await mkdir(root, { recursive: true });
    const state: MemberState = { name, kind, host, root, start: () => start({ host, root }), process: undefined };
    members.set(name, state);
    return state;
  };

  // etcd: the members the docs' STRATUS_ETCD_ENDPOINTS list, at those host numbers and ports.
  const etcdMembers = etcdDocumented.map((documentedHost, i) => ({ name: `etcd-${i + 1}`, number: hostNumberOf(documentedHost.address), port: documentedHost.port }));
  const initialCluster = etcdMembers.map((m) => `${m.name}=http://${network.prefix}.${m.number}:${ETCD_PEER_PORT}`).join(',');
  const etcdEndpoints = etcdMembers.map((m) => `http://${network.prefix}.${m.number}:${m.port}`);
  for (const m of etcdMembers) {
    await addMember(m.name, 'etcd', m.number, ({ host, root }) => {
      const client = `http://${host.address}:${m.port}`;
      const peer = `http://${host.address}:${ETCD_PEER_PORT}`;
      const etcd = new NetnsProcess({
        netns: host.netns,
        argv: [
          etcdBinary,
          `--name=${m.name}`,
          `--data-dir=${join(root, 'var/lib/etcd')}`,
          `--listen-client-urls=${client},http://127.0.0.1:${m.port}`,
          `--advertise-client-urls=${client}`,
          `--listen-peer-urls=${peer}`,
          `--initial-advertise-peer-urls=${peer}`,
          `--initial-cluster=${initialCluster}`,
          `--initial-cluster-token=stratus-${network.id}`,
          '--initial-cluster-state=new',
          '--unsafe-no-fsync',
        ],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        cwd: root,
        ipc: false,
      });
      return Promise.resolve(etcd);
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
      const configPath = join(root, 'etc/nats-server.conf');
      await mkdir(join(root, 'etc'), { recursive: true });
      await writeFile(configPath, config);
      return new NetnsProcess({ netns: host.netns, argv: [natsBinary, '-c', configPath], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...secrets.serverEnv }, cwd: root, ipc: false });
    });
  }

  const serviceStarter = (role: ServiceRole, extraEnv: Readonly<Record<string, string>>) => async ({ host, root }: { host: NetnsHost; root: string }) => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    for (const [key, value] of Object.entries(units[role].env)) env[key] = localise(value, where(root));
    // "this machine's addresses": the documented gRPC address is the first frontend's.
    if (role === 'frontend') env['STRATUS_GRPC_ADDRESS'] = `${host.address}:${grpcPort}`;
    Object.assign(env, extraEnv);
    // deploy/README.md: each service's own etcd password file, copied to its machine as /etc/stratus/etcd.password.
    const etcdUser = role === 'node' ? `stratus-node-${extraEnv['STRATUS_NODE_ID'] ?? ''}` : `stratus-${role}`;
    const passwordFile = localise(ETCD_PASSWORD_FILE, where(root));
    await mkdir(dirname(passwordFile), { recursive: true });
    await copyFile(join(etcdPasswordDir, `${etcdUser}.password`), passwordFile);
    Object.assign(env, { STRATUS_ETCD_USER: etcdUser, STRATUS_ETCD_PASSWORD_FILE: passwordFile });
    // Directories the operator creates (systemd's StateDirectory/CacheDirectory): data and caches.
    for (const [key, value] of Object.entries(env)) if (key.endsWith('_DIR') && value.startsWith('/')) await mkdir(value, { recursive: true });
    const proc = new NetnsProcess({ netns: host.netns, argv: units[role].argv, env, cwd: '/', ipc: true });
    await serviceReady(proc, role, readyTimeoutMs);
    return proc;
  };
  const services: MemberState[] = [];
  services.push(await addMember('billing', 'billing', FIRST_HOST.billing, serviceStarter('billing', { STRATUS_NATS_PASSWORD: secrets.billing })));
  for (const [i, nodeId] of nodeIds.entries()) {
    // The docs: "set it to the host name for stable ids", and one NATS user per node.
    const credentials = { STRATUS_NODE_ID: nodeId, STRATUS_NATS_USER: `node-user-${nodeId}`, STRATUS_NATS_PASSWORD: secrets.nodes.get(nodeId) ?? '' };
    services.push(await addMember(nodeId, 'node', FIRST_HOST.node + i, serviceStarter('node', credentials)));
  }
  for (let i = 1; i <= frontendCount; i++) {
    services.push(await addMember(`frontend-${i}`, 'frontend', FIRST_HOST.frontend + i - 1, serviceStarter('frontend', { STRATUS_NATS_PASSWORD: secrets.frontend })));
  }

  const startMember = async (member: MemberState): Promise<void> => {
    member.process = await member.start();
  };
  await Promise.all([...members.values()].filter((m) => m.kind === 'etcd').map(startMember));
  await Promise.all(etcdEndpoints.map((endpoint) => waitFor(() => etcdHealthy(endpoint), `etcd at ${endpoint} to be healthy`, readyTimeoutMs)));
  const namespace = units.frontend.env['STRATUS_NAMESPACE'];
  await stratusCli(members.get('etcd-1')?.host, [
    'etcd-auth',
    '--apply',
    '--etcd',
    etcdEndpoints.join(','),
    '--password-dir',
    etcdPasswordDir,
    '--node-id',
    Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`).join(','),
    ...(namespace === undefined ? [] : ['--namespace', namespace]),
  ]);
  await Promise.all([...members.values()].filter((m) => m.kind === 'nats').map(startMember));
  await waitForJetStream(natsUrls, { user: 'billing', pass: secrets.billing, inboxPrefix: '_INBOX.stratus.billing' }, readyTimeoutMs);

  const apiKey = await bootstrapAdminKey(members.get('etcd-1')?.host, etcdEndpoints, namespace, etcdPasswordDir);
  // Billing and the nodes create the streams; frontends need the code bucket a node may be creating: start in that order.
  await startMember(services[0] as MemberState);
  await Promise.all(services.filter((m) => m.kind === 'node').map(startMember));
  await Promise.all(services.filter((m) => m.kind === 'frontend').map(startMember));

  const frontendAddresses = services.filter((m) => m.kind === 'frontend').map((m) => `${m.host.address}:${grpcPort}`);
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
      if (m.kind === 'etcd') await waitFor(() => etcdHealthy(etcdEndpoints[Number(name.split('-')[1]) - 1] ?? ''), `${name} to be healthy`, readyTimeoutMs);
      if (m.kind === 'nats') await waitFor(() => canConnect(m.host.address, hostsOf(natsUrls[0] ?? '')[0]?.port ?? 4222), `${name} to accept connections`, readyTimeoutMs);
    },
    cut: (name) => network.cut(name),
    restore: (name) => network.restore(name),
    etcdLeader: () => etcdLeader(etcdMembers.map((m, i) => ({ name: m.name, endpoint: etcdEndpoints[i] ?? '' }))),
    jetStreams: () => jetStreams(natsUrls, { user: 'admin', pass: secrets.admin }),
    output: (name, lines) => member(name).process?.output(lines) ?? '',
    stop,
    [Symbol.asyncDispose]: stop,
  };
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

async function etcdHealthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
    return ((await response.json()) as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

async function etcdLeader(members: ReadonlyArray<{ readonly name: string; readonly endpoint: string }>): Promise<string> {
  const ids = new Map<string, string>();
  let leader: string | undefined;
  for (const m of members) {
    try {
      const response = await fetch(`${m.endpoint}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
      const status = (await response.json()) as { header?: { member_id?: string }; leader?: string };
      if (status.header?.member_id !== undefined) ids.set(status.header.member_id, m.name);
      leader ??= status.leader;
    } catch {
      // A member down or paused: the others say who leads.
    }
  }
  const name = leader === undefined ? undefined : ids.get(leader);
  if (name === undefined) throw new Error('no etcd member names a leader');
  return name;
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
  credentials: { readonly user: string; readonly pass: string; readonly inboxPrefix: string },
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
  credentials: { readonly user: string; readonly pass: string },
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

/** Runs the `stratus` CLI on an etcd member's host, as deploy/README.md has an operator do; resolves with its stdout. */
async function stratusCli(host: NetnsHost | undefined, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  if (host === undefined) throw new Error('deploy/ lists no etcd member');
  const argv = ['netns', 'exec', host.netns, process.execPath, join(REPO_ROOT, 'packages/cli/bin/stratus.js'), ...args];
  try {
    const { stdout } = await run('ip', argv, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`stratus ${args.slice(0, 2).join(' ')} failed: ${stderr || (err as Error).message}`, { cause: err });
  }
}

/** The first admin key, the way deploy/README.md makes it: `stratus keys bootstrap` on an etcd member, logged in as stratus-admin. */
async function bootstrapAdminKey(host: NetnsHost | undefined, etcdEndpoints: readonly string[], namespace: string | undefined, etcdPasswordDir: string): Promise<string> {
  const stdout = await stratusCli(host, ['keys', 'bootstrap', '--etcd', etcdEndpoints.join(','), ...(namespace === undefined ? [] : ['--namespace', namespace]), '--json'], {
    STRATUS_ETCD_USER: 'stratus-admin',
    STRATUS_ETCD_PASSWORD_FILE: join(etcdPasswordDir, 'stratus-admin.password'),
  });
  const key = (JSON.parse(stdout) as { apiKey?: unknown }).apiKey;
  if (typeof key !== 'string') throw new Error(`stratus keys bootstrap printed no apiKey: ${stdout}`);
  return key;
}
