import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { resolveScalingPolicy, type AutoscaleOptions, type AutoscalerState } from '@stratus/autoscaler';
import { ETCD_AUTH_SETTINGS, ETCD_ENDPOINTS_SETTING, ETCD_TLS_SETTINGS, SHARED_SETTINGS, createNamespace, natsInboxPrefix, type NatsRole, type ServiceName } from '@stratus/contracts';
import type { EtcdCredentials } from '@stratus/registry/etcd';
import { billingConfig } from '@stratus/billing/config';
import { frontendConfig } from '@stratus/frontend/config';
import { nodeConfig } from '@stratus/worker-node/config';
import { combinedConfig } from '@stratus/combined/config';
import { StratusError, hasCode } from '@stratus/errors';
import { startClusterAutoscaling, type ClusterAutoscaling } from './autoscaling.js';
import { locateServerBinaries } from './binaries.js';
import { createChildLogSink, type ChildLogSink } from './child-logs.js';
import { startEtcd, type EtcdHandle } from './etcd.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { NatsUsers } from './nats-users.js';
import { ensureClusterTls, readPemTls, type ClusterTls } from './cluster-tls.js';
import { connect as connectNats } from 'nats';
import { ServiceProcess } from './service-process.js';
import { ensureAdminKey, ensureApiKeySealingKeyFile } from './admin-key.js';
import { ETCD_AUTH_DIR_NAME, LocalEtcdUsers, type EtcdUserCredentials } from './etcd-users.js';
import { Supervisor, resolveRestartPolicy, type RestartEvent, type RestartPolicy, type ResolvedRestartPolicy, type SupervisedRun } from './supervisor.js';

export interface LocalClusterOptions {
  /** Parent logger. The services' JSON log lines are re-emitted through it (or pretty-printed, see `pretty`). */
  readonly log: Logger;
  /**
   * Where the cluster keeps its state: `nats/`, `etcd/`, `billing/` and
   * `code-cache/<nodeId>/`. Kept between runs. Default: `.stratus` under the
   * current working directory. Not with `temporaryDataDir`.
   */
  readonly dataDir?: string;
  /**
   * Keep the state in a fresh directory under the OS temp dir
   * (`stratus-cluster-XXXXXX`) instead, removed when the cluster stops: for
   * tests and benchmarks. Default false.
   */
  readonly temporaryDataDir?: boolean;
  /** Worker nodes to start, combined processes included. Default 2, or `autoscale.minNodes` when autoscaling. */
  readonly nodes?: number;
  /**
   * How the frontends and nodes are laid out in processes. `split`: each
   * frontend and each node a process of its own (the roles of a larger
   * cluster). `combined`: each frontend is also a worker node, in one process
   * (`@stratus/combined/main`), running the calls it can start at once on a
   * warm environment of its own without the NATS hop; the rest of `nodes`
   * (`nodes` - `frontends`, at least 0) are plain nodes. A combined process is
   * listed among `frontends` (named by its node id) and among `nodes`, and
   * `killNode` on it stops its frontend too. Default 'split' (`stratus up`
   * runs 'combined').
   */
  readonly layout?: ClusterLayout;
  /**
   * Frontends to start, all serving the one cluster (they share the account's
   * limits through etcd). The first listens on `grpcAddress`, the others on a
   * free port of the same host. Default 1.
   */
  readonly frontends?: number;
  /**
   * Scale the worker nodes with load between `minNodes` and `maxNodes` (see
   * AutoscaleOptions for the windows and their defaults), starting and
   * stopping node processes on this machine; a removed node drains first.
   * Default: off, the nodes stay as started.
   */
  readonly autoscale?: AutoscaleOptions;
  /** Namespace prefix of every subject, stream and key (see createNamespace). Default 'stratus'. */
  readonly namespace?: string;
  /** host:port the (first) frontend listens on; port 0 picks a free one. Default '127.0.0.1:50051'. */
  readonly grpcAddress?: string;
  /**
   * host:port where the (first) frontend serves Lambda's REST API (SigV4
   * with the cluster's API keys; the others on a free port of the same
   * host); port 0 picks a free one. Default: not served.
   */
  readonly httpAddress?: string;
  /** Each node's memory budget for isolates (the sum of their functions' memory sizes). Default: the worker node's own default, the machine's memory. */
  readonly nodeMemoryMb?: number;
  /**
   * Isolates each node runs JavaScript in at once (STRATUS_NODE_MAX_RUNNING_ISOLATES).
   * Every node of this cluster shares this machine's cores, and a node on its
   * own sizes its slots to all of them, so N nodes would run N times as many
   * busy isolates as there are cores, and every other thread on the machine
   * (a light function's call, the frontend, the nodes' heartbeats) would wait
   * behind them. Default: the machine's cores divided among the most nodes
   * the cluster runs (`nodes`, or `autoscale.maxNodes`), rounded down, at least 1.
   */
  readonly nodeMaxRunningIsolates?: number;
  /** TTL of each node's registry lease. Default 5. */
  readonly nodeLeaseTtlSec?: number;
  /** The services' log level. Default: the level of `log`. */
  readonly logLevel?: string;
  /** Write the services' log lines formatted by pino-pretty to `prettyDestination` instead of through `log`. Default false. */
  readonly pretty?: boolean;
  /** Where pretty lines go. Default process.stdout. */
  readonly prettyDestination?: NodeJS.WritableStream;
  /** Install nats-server and etcd with apt-get when missing and running as root. Default true. */
  readonly installMissingBinaries?: boolean;
  /**
   * Extra Node.js flags per service, after `--no-node-snapshot` and before the
   * entry point, for every process of that service (each node, each frontend,
   * restarts too): for example `['--cpu-prof', '--cpu-prof-dir', dir]` to
   * profile them. Default none.
   */
  readonly nodeArgs?: Readonly<Partial<Record<ServiceName, readonly string[]>>>;
  /** Extra environment variables per service, applied last (for example STRATUS_NODE_KEEP_WARM_MS). Default none. */
  readonly env?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>;
  /** Use this NATS server instead of starting one. Default: start nats-server under `dataDir/nats`. */
  readonly natsUrl?: string;
  /** Use these etcd endpoints instead of starting etcd. Default: start etcd under `dataDir/etcd`. */
  readonly etcdEndpoints?: readonly string[];
  /**
   * Turn etcd's authentication on and give each service its own etcd user
   * (see `etcdAuthPlan` in @stratus/registry): root, the roles and the users
   * are made on the first start, with passwords kept in
   * `<dataDir>/etcd-auth/<user>.password` (mode 0600), and each node's user
   * before the node starts. etcd keeps them in its data dir, so a restarted
   * etcd still has them. Default: true when the cluster starts etcd, false
   * with `etcdEndpoints` (whose users are not the cluster's to make).
   */
  readonly etcdAuth?: boolean;
  /** How long each service may take to report ready. Default 30 000. */
  readonly readyTimeoutMs?: number;
  /**
   * Grace period the services get to finish in-flight work when stopped
   * (passed as STRATUS_DRAIN_GRACE_MS); the launcher SIGKILLs a service
   * 5 s after that. Default 10 000.
   */
  readonly drainGraceMs?: number;
  /**
   * Scripts to run instead of the services' own entry points (absolute paths),
   * for testing the launcher itself. Default: `@stratus/frontend/main`,
   * `@stratus/worker-node/main` and `@stratus/billing/main`, resolved from this package.
   */
  readonly serviceMains?: Readonly<Partial<Record<ServiceName, string>>>;
  /**
   * Restart a nats-server, etcd, frontend, node or billing aggregator that
   * dies without being asked to, on the same ports and data dirs, after a
   * backoff (see RestartPolicy: 100 ms doubling to 5 s, reset after 10 s up).
   * `false` leaves dead children dead. Default: on, with the default policy.
   */
  readonly restart?: RestartPolicy | false;
  /** Called each time a child has been restarted and is ready again. Default none. */
  readonly onRestart?: (event: RestartEvent) => void;
  /** Aborting it stops the cluster as stop() does; during startup, startLocalCluster then rejects. */
  readonly signal?: AbortSignal;
  /**
   * TLS everywhere, with client certificates: nats-server and etcd (when the
   * cluster starts them) serve TLS only and require a certificate, the
   * frontends serve gRPC over TLS and require one too, and every service
   * connects with its own. The CA and certificates are made under
   * `<dataDir>/tls/` on the first start and reused; `tls` says where the
   * clients' are. Default false: plaintext on loopback.
   */
  readonly tls?: boolean;
}

/** A local cluster's client certificate (for the CLI, tests and tools): paths, and the PEM text read at start. */
export interface ClusterClientTls {
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export type ClusterLayout = 'split' | 'combined';

export interface ClusterNode {
  readonly nodeId: string;
  readonly pid: number;
  /** Where it serves Prometheus metrics (host:port), when it does; a combined process's are its frontend's. */
  readonly metricsAddress: string | undefined;
}

export interface ClusterFrontend {
  /** 'frontend' for the first, then 'frontend-2', 'frontend-3', …; a combined process's node id. */
  readonly name: string;
  readonly pid: number;
  /** Where it listens (the port it bound when asked for port 0). */
  readonly grpcAddress: string;
  /** Where it serves Lambda's REST API (host:port), when it does. */
  readonly httpAddress: string | undefined;
  /** Where it serves Prometheus metrics (host:port), when it does. */
  readonly metricsAddress: string | undefined;
}

export interface ClusterProcesses {
  /** Running frontends, the first one first. */
  readonly frontends: ReadonlyArray<ClusterFrontend>;
  readonly billing: { readonly pid: number };
  /** Running worker nodes. */
  readonly nodes: ReadonlyArray<ClusterNode>;
  /** The nats-server the cluster started; undefined when it was given `natsUrl`. */
  readonly natsServer: { readonly pid: number } | undefined;
  /** The etcd the cluster started; undefined when it was given `etcdEndpoints`. */
  readonly etcd: { readonly pid: number } | undefined;
}

/** What a NATS client needs to connect to the cluster as one of its roles (nats.js `connect()` options). */
export interface ClusterNatsConnectOptions {
  readonly servers: string;
  readonly user?: string;
  readonly pass?: string;
  /** The role's own inbox prefix: the only inboxes its user may subscribe to. */
  readonly inboxPrefix: string;
  /** The CA and the client certificate, when the cluster runs with TLS. */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
}

/** A running local cluster; `await using` stops it as stop() does. */
export interface LocalCluster extends AsyncDisposable {
  /** Where the first frontend listens (the port it actually bound when asked for port 0). */
  readonly grpcAddress: string;
  /** Where the first frontend serves Lambda's REST API (`aws --endpoint-url http://<httpAddress>`); undefined when it does not. */
  readonly httpAddress: string | undefined;
  readonly natsUrl: string;
  readonly etcdEndpoints: readonly string[];
  /**
   * Credentials of the cluster's etcd admin user (every key of the
   * namespace, no user management), for tools and tests that read or write
   * etcd directly; undefined when etcd's authentication is off (`etcdAuth`).
   */
  readonly etcdCredentials: EtcdCredentials | undefined;
  readonly namespace: string;
  readonly dataDir: string;
  /**
   * The cluster's admin API key, `<keyId>.<secret>`, also in
   * `<dataDir>/admin.key` (mode 0600): made on the first start, reused after.
   */
  readonly apiKey: string;
  /** Running worker nodes. */
  readonly nodes: ReadonlyArray<ClusterNode>;
  /** Running frontends, the first one (at `grpcAddress`) first. */
  readonly frontends: ReadonlyArray<ClusterFrontend>;
  readonly processes: ClusterProcesses;
  /** What the autoscaler sees and wants, when `autoscale` is on. */
  readonly autoscaler?: AutoscalerState | undefined;
  /**
   * How to connect to NATS as `role` (a node's role needs its id), for tools
   * and tests: with the role's user when the cluster runs its own nats-server.
   */
  natsConnectOptions(role: NatsRole, nodeId?: string): ClusterNatsConnectOptions;
  /** The client certificate, when the cluster runs with `tls`: what clients of its frontends, NATS and etcd present. */
  readonly tls: ClusterClientTls | undefined;
  /** Starts one more worker node (the next free id) and resolves when it is ready. */
  addNode(): Promise<ClusterNode>;
  /** Starts one more frontend (on a free port of `grpcAddress`'s host) and resolves when it is ready. */
  addFrontend(): Promise<ClusterFrontend>;
  /** Children restarted since the cluster started, by name ('nats-server', 'etcd', 'billing', 'frontend', 'frontend-2', node ids), for those restarted at least once. */
  readonly restarts: Readonly<Record<string, number>>;
  /**
   * Resolves once the child `name` has been restarted `count` times in all
   * (see `restarts`) and the last restart is ready; at once if it already has.
   */
  waitForRestarts(name: string, count: number): Promise<void>;
  /**
   * Sends `signal` (default SIGKILL) to a node and resolves once it has exited. It is not restarted: this is how a node is
   * removed. Its etcd user is deleted and its NATS user dropped from the server's next config.
   */
  killNode(nodeId: string, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the billing aggregator (SIGTERM, waits for it to exit), starts a new one and waits until it is ready. */
  restartBilling(): Promise<void>;
  /**
   * Stops everything, in order: the autoscaler, the frontends (they drain), the nodes (they
   * finish in-flight work and leave the registry), billing, then nats-server
   * and etcd, and removes a temporary data dir. Each gets a grace period,
   * then SIGKILL. Continues past failures. Safe to call twice.
   */
  stop(): Promise<void>;
}

interface ResolvedOptions {
  /** Undefined for a temporary data dir, made when the cluster starts. */
  readonly dataDir: string | undefined;
  readonly nodeCount: number;
  readonly frontendCount: number;
  readonly layout: ClusterLayout;
  readonly namespace: string;
  readonly grpcAddress: string;
  readonly httpAddress: string | undefined;
  readonly nodeMemoryMb: number | undefined;
  readonly nodeMaxRunningIsolates: number;
  readonly nodeLeaseTtlSec: number;
  readonly logLevel: string;
  readonly installMissingBinaries: boolean;
  readonly etcdAuth: boolean;
  readonly readyTimeoutMs: number;
  readonly drainGraceMs: number;
  /** After SIGTERM, how long before SIGKILL. */
  readonly stopGraceMs: number;
  /** Undefined when dead children stay dead. */
  readonly restartPolicy: ResolvedRestartPolicy | undefined;
}

const KILL_MARGIN_MS = 5_000;
/** NATS users made ahead for worker nodes not started yet (see #startServers). */
const NODE_USERS_AHEAD = 64;
const SERVER_STOP_GRACE_MS = 5_000;

/** The specifiers of the services' entry points; the launcher never imports their internals. */
const SERVICE_MAINS: Readonly<Record<ServiceName, string>> = {
  frontend: '@stratus/frontend/main',
  node: '@stratus/worker-node/main',
  billing: '@stratus/billing/main',
  combined: '@stratus/combined/main',
};

/** Each service's settings (its `config` subpath: names, no internals), for the variables the launcher sets. */
const SERVICE_CONFIGS = { frontend: frontendConfig, node: nodeConfig, billing: billingConfig, combined: combinedConfig } as const;

/**
 * Starts a whole Stratus cluster on this machine: etcd and nats-server
 * (unless given), the billing aggregator, the worker nodes and the frontend,
 * each service as a child process. Resolves when every service has reported
 * ready; on failure, stops whatever did start and rejects with the failing
 * process's last output lines. Used by `stratus up` and by the tests.
 *
 * The children are told to exit when their IPC channel to this process
 * disconnects (each service's main.ts does so), so they do not outlive a
 * launcher that dies.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const config = resolveOptions(options);
  if (options.signal?.aborted) throw new StratusError('SHUTTING_DOWN', 'the local cluster was stopped before it started');
  const cluster = new RunningCluster(config, options);
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

function resolveOptions(options: LocalClusterOptions): ResolvedOptions {
  const nodeCount = options.nodes ?? (options.autoscale ? (options.autoscale.minNodes ?? 1) : 2);
  const frontendCount = options.frontends ?? 1;
  const layout = options.layout ?? 'split';
  if (layout !== 'split' && layout !== 'combined') throw new StratusError('INVALID_ARGUMENT', `layout: must be 'split' or 'combined', got ${JSON.stringify(layout)}`);
  if (options.autoscale) validateAutoscale(options.autoscale);
  const namespace = options.namespace ?? 'stratus';
  const grpcAddress = options.grpcAddress ?? '127.0.0.1:50051';
  const nodeMemoryMb = options.nodeMemoryMb;
  const mostNodes = Math.max(1, nodeCount, options.autoscale ? resolveScalingPolicy(options.autoscale).maxNodes : 0);
  const nodeMaxRunningIsolates = options.nodeMaxRunningIsolates ?? Math.max(1, Math.floor(availableParallelism() / mostNodes));
  const nodeLeaseTtlSec = options.nodeLeaseTtlSec ?? 5;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const drainGraceMs = options.drainGraceMs ?? 10_000;
  requireInteger('nodes', nodeCount, 0);
  requireInteger('frontends', frontendCount, 1);
  if (options.temporaryDataDir === true && options.dataDir !== undefined) {
    throw new StratusError('INVALID_ARGUMENT', 'dataDir: not with temporaryDataDir');
  }
  if (nodeMemoryMb !== undefined) requireInteger('nodeMemoryMb', nodeMemoryMb, 1);
  requireInteger('nodeMaxRunningIsolates', nodeMaxRunningIsolates, 1);
  requireInteger('nodeLeaseTtlSec', nodeLeaseTtlSec, 1);
  requireInteger('readyTimeoutMs', readyTimeoutMs, 1);
  requireInteger('drainGraceMs', drainGraceMs, 0);
  try {
    createNamespace(namespace);
  } catch (err) {
    throw new StratusError('INVALID_ARGUMENT', `namespace: ${(err as Error).message}`);
  }
  if (!/^.+:\d+$/.test(grpcAddress)) {
    throw new StratusError('INVALID_ARGUMENT', `grpcAddress: ${JSON.stringify(grpcAddress)} is not host:port`);
  }
  if (options.httpAddress !== undefined && !/^.+:\d+$/.test(options.httpAddress)) {
    throw new StratusError('INVALID_ARGUMENT', `httpAddress: ${JSON.stringify(options.httpAddress)} is not host:port`);
  }
  if (options.etcdEndpoints !== undefined && options.etcdEndpoints.length === 0) {
    throw new StratusError('INVALID_ARGUMENT', 'etcdEndpoints: must not be empty when given');
  }
  return {
    dataDir: options.temporaryDataDir === true ? undefined : resolve(options.dataDir ?? '.stratus'),
    // Every combined process is a node too.
    nodeCount: layout === 'combined' ? Math.max(nodeCount, frontendCount) : nodeCount,
    frontendCount,
    layout,
    namespace,
    grpcAddress,
    httpAddress: options.httpAddress,
    nodeMemoryMb,
    nodeMaxRunningIsolates,
    nodeLeaseTtlSec,
    logLevel: options.logLevel ?? options.log.level,
    installMissingBinaries: options.installMissingBinaries ?? true,
    etcdAuth: options.etcdAuth ?? options.etcdEndpoints === undefined,
    readyTimeoutMs,
    drainGraceMs,
    stopGraceMs: drainGraceMs + KILL_MARGIN_MS,
    restartPolicy: options.restart === false ? undefined : resolveRestartPolicy(options.restart),
  };
}

function validateAutoscale(autoscale: AutoscaleOptions): void {
  try {
    resolveScalingPolicy(autoscale);
  } catch (err) {
    if (hasCode(err, 'INVALID_ARGUMENT')) throw new StratusError('INVALID_ARGUMENT', `autoscale.${err.message}`);
    throw err;
  }
  if (autoscale.tickMs !== undefined) requireInteger('autoscale.tickMs', autoscale.tickMs, 1);
}

function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new StratusError('INVALID_ARGUMENT', `${field}: must be an integer >= ${min}, got ${value}`);
  }
}

class RunningCluster implements LocalCluster {
  readonly namespace: string;
  readonly #config: ResolvedOptions;
  readonly #options: LocalClusterOptions;
  readonly #log: Logger;
  readonly #sink: ChildLogSink;
  /** Every service process that has not exited yet, whatever its role. */
  readonly #live = new Set<ServiceProcess>();
  readonly #nodes = new Map<string, ServiceProcess>();
  /** By name, in start order. */
  readonly #frontends = new Map<string, { readonly process: ServiceProcess; readonly requestedAddress: string }>();
  #dataDir: string | undefined;
  #mains: Readonly<Record<ServiceName, string>> | undefined;
  #billing: ServiceProcess | undefined;
  #nats: NatsServerHandle | undefined;
  #etcd: EtcdHandle | undefined;
  #tls: ClusterTls | undefined;
  #clientTls: ClusterClientTls | undefined;
  /** The NATS users of the nats-server this cluster started; undefined when given `natsUrl`. */
  #natsUsers: NatsUsers | undefined;
  #natsUrl: string | undefined;
  #etcdEndpoints: readonly string[] | undefined;
  #grpcAddress: string | undefined;
  #httpAddress: string | undefined;
  #apiKey: string | undefined;
  #etcdUsers: LocalEtcdUsers | undefined;
  #apiKeySealingKeyFile: string | undefined;
  #autoscaling: ClusterAutoscaling | undefined;
  readonly #supervisor: Supervisor;
  #lastNodeNumber = 0;
  #frontendsStarted = 0;
  #billingRestarts: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;
  readonly #onAbort = (): void => void this.stop();

  constructor(config: ResolvedOptions, options: LocalClusterOptions) {
    this.#config = config;
    this.#options = options;
    this.namespace = config.namespace;
    this.#dataDir = config.dataDir;
    this.#log = options.log.child({ component: 'local-cluster' });
    this.#sink = createChildLogSink({
      log: options.log,
      pretty: options.pretty ?? false,
      destination: options.prettyDestination ?? process.stdout,
    });
    this.#supervisor = new Supervisor({ policy: config.restartPolicy ?? resolveRestartPolicy(), log: this.#log, onRestart: options.onRestart });
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get restarts(): Readonly<Record<string, number>> {
    return this.#supervisor.restarts;
  }

  waitForRestarts(name: string, count: number): Promise<void> {
    return this.#supervisor.waitForRestarts(name, count);
  }

  get grpcAddress(): string {
    return required(this.#grpcAddress, 'grpcAddress');
  }

  get httpAddress(): string | undefined {
    return this.#httpAddress;
  }

  get dataDir(): string {
    return required(this.#dataDir, 'dataDir');
  }

  get natsUrl(): string {
    return required(this.#natsUrl, 'natsUrl');
  }

  get etcdEndpoints(): readonly string[] {
    return required(this.#etcdEndpoints, 'etcdEndpoints');
  }

  get etcdCredentials(): EtcdCredentials | undefined {
    const admin = this.#etcdUsers?.admin;
    return admin === undefined ? undefined : { username: admin.username, password: admin.password };
  }

  get apiKey(): string {
    return required(this.#apiKey, 'apiKey');
  }

  get nodes(): ReadonlyArray<ClusterNode> {
    // In id order (node-2 before node-10), whatever order the processes started in.
    return [...this.#nodes.values()]
      .map((node) => ({ nodeId: required(node.nodeId, 'nodeId'), pid: node.pid, metricsAddress: node.readyMessage?.metricsAddress }))
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId, 'en', { numeric: true }));
  }

  get autoscaler(): AutoscalerState | undefined {
    return this.#autoscaling?.state;
  }

  get frontends(): ReadonlyArray<ClusterFrontend> {
    return [...this.#frontends.values()].map(({ process, requestedAddress }) => describeFrontend(process, requestedAddress));
  }

  get processes(): ClusterProcesses {
    return {
      frontends: this.frontends,
      billing: { pid: required(this.#billing, 'billing').pid },
      nodes: this.nodes,
      natsServer: this.#nats === undefined ? undefined : { pid: this.#nats.pid },
      etcd: this.#etcd === undefined ? undefined : { pid: this.#etcd.pid },
    };
  }

  async start(): Promise<void> {
    const config = this.#config;
    if (config.dataDir === undefined) {
      const dataDir = await mkdtemp(join(tmpdir(), 'stratus-cluster-'));
      if (this.#stopping !== undefined) {
        // stop() ran while the directory was being made and did not see it.
        await rm(dataDir, { recursive: true, force: true });
        throw new StratusError('SHUTTING_DOWN', 'the local cluster was stopped while starting');
      }
      this.#dataDir = dataDir;
    } else await mkdir(config.dataDir, { recursive: true });
    this.#mains = await resolveServiceMains(this.#options.serviceMains ?? {});
    const nodeIds = Array.from({ length: config.nodeCount }, () => this.#nextNodeId());
    await this.#startServers(nodeIds);
    if (config.etcdAuth) {
      this.#etcdUsers = await LocalEtcdUsers.ensure({
        endpoints: this.etcdEndpoints,
        ns: createNamespace(config.namespace),
        nodeIds,
        dir: join(this.dataDir, ETCD_AUTH_DIR_NAME),
        log: this.#log,
        tls: this.#clientTls,
      });
    }
    const sealingKeyFile = await ensureApiKeySealingKeyFile(this.dataDir);
    this.#apiKeySealingKeyFile = sealingKeyFile.path;
    this.#apiKey = await ensureAdminKey({
      sealingKey: sealingKeyFile.key,
      dataDir: this.dataDir,
      etcdEndpoints: this.etcdEndpoints,
      etcdCredentials: this.etcdCredentials,
      etcdTls: this.#clientTls,
      ns: createNamespace(config.namespace),
      log: this.#log,
    });

    // In the combined layout the first nodes are the frontends' own.
    const combinedIds = config.layout === 'combined' ? nodeIds.slice(0, config.frontendCount) : [];
    await Promise.all([this.#startBilling(), ...nodeIds.slice(combinedIds.length).map((nodeId) => this.#startNode(nodeId))]);

    const [first] = await Promise.all(
      Array.from({ length: config.frontendCount }, (_, i) =>
        this.#startFrontend(
          i === 0 ? config.grpcAddress : this.#extraFrontendAddress(),
          i === 0 ? config.httpAddress : this.#extraFrontendHttpAddress(),
          combinedIds[i],
        ),
      ),
    );
    if (first === undefined) throw new StratusError('INTERNAL', 'no frontend started');
    this.#grpcAddress = first.grpcAddress;
    this.#httpAddress = first.httpAddress;
    if (this.#options.autoscale) await this.#startAutoscaling(this.#options.autoscale);
    this.#log.info(
      { grpcAddress: this.#grpcAddress, frontends: config.frontendCount, nodes: nodeIds, namespace: config.namespace, dataDir: this.dataDir },
      'local cluster ready',
    );
  }

  async addNode(): Promise<ClusterNode> {
    this.#assertRunning();
    const nodeId = this.#nextNodeId();
    const node = await this.#startNode(nodeId);
    return { nodeId, pid: node.pid, metricsAddress: node.readyMessage?.metricsAddress };
  }

  addFrontend(): Promise<ClusterFrontend> {
    this.#assertRunning();
    return this.#startFrontend(this.#extraFrontendAddress(), this.#extraFrontendHttpAddress(), this.#config.layout === 'combined' ? this.#nextNodeId() : undefined);
  }

  async killNode(nodeId: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) throw new StratusError('INVALID_ARGUMENT', `no running node ${JSON.stringify(nodeId)}`);
    this.#nodes.delete(nodeId);
    // stop() marks the exit as asked for, so the supervisor lets it be.
    await node.stop({ signal, graceMs: this.#config.stopGraceMs });
    await this.#retireNodeCredentials(nodeId);
  }

  /** A removed node's id is never reused, so nothing it was given should still open etcd or NATS. */
  async #retireNodeCredentials(nodeId: string): Promise<void> {
    const nats = this.#natsUsers;
    if (nats !== undefined) {
      nats.forgetNode(nodeId);
      await nats.save();
    }
    try {
      await this.#etcdUsers?.removeNode(nodeId);
    } catch (err) {
      // The node is gone either way; what is left is a user an operator can delete later.
      this.#log.warn({ err, nodeId }, 'the removed node keeps its etcd user: deleting it failed (stratus etcd-auth --remove-node deletes it)');
    }
  }

  restartBilling(): Promise<void> {
    this.#assertRunning();
    // Restarts run one after another, so two callers never leave two aggregators behind.
    const restart = this.#billingRestarts.then(async () => {
      this.#assertRunning();
      await this.#billing?.stop({ graceMs: this.#config.stopGraceMs });
      await this.#startBilling();
    });
    this.#billingRestarts = restart.catch(() => undefined);
    return restart;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #stopAll(): Promise<void> {
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const graceMs = this.#config.stopGraceMs;
    // Stops restarting at once; restarts under way end before anything is stopped, so none is left behind.
    const supervising = this.#supervisor.close();
    // First, so it neither replaces the nodes being stopped nor adds one.
    try {
      await this.#autoscaling?.close();
    } catch (err) {
      this.#log.warn({ err }, 'stopping the autoscaler failed');
    }
    await supervising;
    const stopEach = async (children: Iterable<ServiceProcess | undefined>): Promise<void> => {
      await Promise.all(
        [...children].map(async (child) => {
          if (child === undefined) return;
          try {
            await child.stop({ graceMs });
          } catch (err) {
            this.#log.warn({ err, service: child.service, nodeId: child.nodeId }, `stopping ${child.name} failed`);
          }
        }),
      );
    };
    await stopEach([...this.#frontends.values()].map(({ process }) => process));
    await stopEach(this.#nodes.values());
    await stopEach([this.#billing]);
    // Anything left: a node being killed, a billing aggregator being replaced.
    await stopEach(this.#live);
    await Promise.all(
      [this.#nats, this.#etcd].map(async (server) => {
        try {
          await server?.stop();
        } catch (err) {
          this.#log.warn({ err }, 'stopping a server failed');
        }
      }),
    );
    if (this.#config.dataDir === undefined && this.#dataDir !== undefined) {
      try {
        await rm(this.#dataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch (err) {
        this.#log.warn({ err, dataDir: this.#dataDir }, 'removing the temporary data dir failed');
      }
    }
    this.#log.info('local cluster stopped');
  }

  async #startAutoscaling(autoscale: AutoscaleOptions): Promise<void> {
    this.#assertRunning();
    const autoscaling = await startClusterAutoscaling(this, autoscale, this.#options.log);
    if (this.#stopping !== undefined) {
      // stop() ran while the scaler was starting and did not see it.
      await autoscaling.close();
      throw new StratusError('SHUTTING_DOWN', 'the local cluster was stopped while starting');
    }
    this.#autoscaling = autoscaling;
  }

  async #startServers(nodeIds: readonly string[]): Promise<void> {
    const config = this.#config;
    const needNats = this.#options.natsUrl === undefined;
    const needEtcd = this.#options.etcdEndpoints === undefined;
    if (this.#options.tls === true) {
      const tls = await ensureClusterTls(this.dataDir);
      this.#tls = tls;
      const client = tls.files.client;
      this.#clientTls = { caPath: tls.caPath, ...client, ...(await readPemTls(tls, 'client')) };
    }
    if (needNats) {
      const users = await NatsUsers.load(join(this.dataDir, 'nats-users.json'), createNamespace(config.namespace));
      for (const nodeId of nodeIds) users.node(nodeId);
      // Users for the nodes added later too: a reload of the server's users
      // drops the reply permissions of requests in flight (calls on running
      // nodes would be lost), so reloads are kept to one per block of nodes.
      for (const nodeId of this.#nodeIdsAfter(this.#lastNodeNumber, NODE_USERS_AHEAD)) users.node(nodeId);
      await users.save();
      this.#natsUsers = users;
    }
    if (needNats || needEtcd) {
      const binaries = await locateServerBinaries({
        install: config.installMissingBinaries,
        log: (line) => this.#log.info(line),
      });
      const serverLog = this.#options.log;
      const [nats, etcd] = await Promise.allSettled([
        needNats
          ? startNatsServer({
              binary: binaries.natsServer,
              dir: join(this.dataDir, 'nats'),
              log: serverLog,
              stopGraceMs: SERVER_STOP_GRACE_MS,
              authorization: required(this.#natsUsers, 'NATS users').authorizationConfig(),
              tls: this.#serverTls(),
            })
          : undefined,
        needEtcd
          ? startEtcd({ binary: binaries.etcd, dir: join(this.dataDir, 'etcd'), log: serverLog, stopGraceMs: SERVER_STOP_GRACE_MS, tls: this.#etcdServerTls() })
          : undefined,
      ]);
      // Keep whichever started, so stop() takes it down if the other failed.
      if (nats.status === 'fulfilled') this.#nats = nats.value;
      if (etcd.status === 'fulfilled') this.#etcd = etcd.value;
      if (nats.status === 'rejected') throw nats.reason;
      if (etcd.status === 'rejected') throw etcd.reason;
      if (this.#stopping !== undefined) {
        // stop() ran while the servers were starting and did not see them.
        await Promise.all([this.#nats?.stop(), this.#etcd?.stop()]);
        throw new StratusError('SHUTTING_DOWN', 'the local cluster was stopped while starting');
      }
      const natsDir = join(this.dataDir, 'nats');
      const etcdDir = join(this.dataDir, 'etcd');
      const first = { nats: this.#nats, etcd: this.#etcd };
      if (first.nats !== undefined) {
        const { port } = first.nats;
        this.#supervise('nats-server', 'nats-server', serverRun(first.nats, this), async () => {
          // The users as they are now: nodes added since the first start keep theirs.
          const nats = await startNatsServer({
            binary: binaries.natsServer,
            dir: natsDir,
            port,
            log: serverLog,
            stopGraceMs: SERVER_STOP_GRACE_MS,
            authorization: this.#natsUsers?.authorizationConfig(),
            tls: this.#serverTls(),
          });
          await this.#adoptServer(nats);
          this.#nats = nats;
          return serverRun(nats, this);
        });
      }
      if (first.etcd !== undefined) {
        const reuse = { clientPort: first.etcd.port, peerPort: first.etcd.peerPort, name: first.etcd.name };
        this.#supervise('etcd', 'etcd', serverRun(first.etcd, this), async () => {
          const etcd = await startEtcd({ binary: binaries.etcd, dir: etcdDir, reuse, log: serverLog, stopGraceMs: SERVER_STOP_GRACE_MS, tls: this.#etcdServerTls() });
          await this.#adoptServer(etcd);
          this.#etcd = etcd;
          return serverRun(etcd, this);
        });
      }
    }
    this.#natsUrl = this.#options.natsUrl ?? required(this.#nats, 'nats-server').url;
    this.#etcdEndpoints = this.#options.etcdEndpoints ?? [required(this.#etcd, 'etcd').endpoint];
  }

  #serverTls(): { certPath: string; keyPath: string; caPath: string } | undefined {
    const tls = this.#tls;
    return tls === undefined ? undefined : { ...tls.files.server, caPath: tls.caPath };
  }

  #etcdServerTls(): Parameters<typeof startEtcd>[0]['tls'] {
    const tls = this.#tls;
    if (tls === undefined) return undefined;
    return { ...tls.files.server, caPath: tls.caPath, clientCertPath: tls.files.client.certPath, clientKeyPath: tls.files.client.keyPath };
  }

  get tls(): ClusterClientTls | undefined {
    return this.#clientTls;
  }

  /** A server restarted while the cluster was being stopped is stopped at once, as stop() may have passed it by. */
  async #adoptServer(server: { stop(): Promise<void> }): Promise<void> {
    if (this.#stopping === undefined) return;
    await server.stop();
    throw new StratusError('SHUTTING_DOWN', 'the local cluster is stopping');
  }

  /** Restarts `running` (and each incarnation after it) when it dies unasked, unless restarts are off. */
  #supervise(name: string, kind: ServiceName | 'nats-server' | 'etcd', running: SupervisedRun, restart: () => Promise<SupervisedRun>): void {
    if (this.#config.restartPolicy === undefined) return;
    this.#supervisor.supervise({ name, kind, running, restart });
  }

  /** Supervises a service that just got ready; `respawn` starts it again the same way (same identity, ports, data dir). */
  #superviseService(child: ServiceProcess, respawn: () => Promise<ServiceProcess>): void {
    this.#supervise(child.name, child.service, serviceRun(child), async () => serviceRun(await respawn()));
  }

  async #startBilling(): Promise<void> {
    const billing = await this.#spawnBilling();
    this.#superviseService(billing, () => this.#spawnBilling());
  }

  async #spawnBilling(): Promise<ServiceProcess> {
    const billing = this.#spawn('billing');
    this.#billing = billing;
    await billing.waitReady(this.#config.readyTimeoutMs);
    return billing;
  }

  /** A frontend, or with `nodeId` a combined process: that node and a frontend in one. */
  async #startFrontend(grpcAddress: string, httpAddress: string | undefined, nodeId?: string): Promise<ClusterFrontend> {
    this.#frontendsStarted += 1;
    const instance = this.#frontendsStarted === 1 || nodeId !== undefined ? undefined : `frontend-${this.#frontendsStarted}`;
    const frontend = await this.#spawnFrontend(instance, { grpcAddress, httpAddress, metricsAddress: undefined }, nodeId);
    const ready = describeFrontend(frontend, grpcAddress);
    // A restarted frontend listens where the first one did, port 0 or not, so clients reconnect.
    this.#superviseService(frontend, () =>
      this.#spawnFrontend(instance, { grpcAddress: ready.grpcAddress, httpAddress: ready.httpAddress, metricsAddress: ready.metricsAddress }, nodeId),
    );
    return ready;
  }

  async #spawnFrontend(
    instance: string | undefined,
    { grpcAddress, httpAddress, metricsAddress }: { grpcAddress: string; httpAddress: string | undefined; metricsAddress: string | undefined },
    nodeId: string | undefined,
  ): Promise<ServiceProcess> {
    let frontend: ServiceProcess;
    if (nodeId === undefined) frontend = this.#spawn('frontend', { instance, grpcAddress, httpAddress, metricsAddress });
    else {
      await mkdir(this.#codeCacheDir(nodeId), { recursive: true });
      const etcdUser = await this.#etcdUsers?.node(nodeId);
      await this.#addNodeUser(nodeId);
      frontend = this.#spawn('combined', { nodeId, grpcAddress, httpAddress, metricsAddress, etcdUser });
      this.#nodes.set(nodeId, frontend);
      const node = frontend;
      void node.exited.then(() => {
        if (this.#nodes.get(nodeId) === node) this.#nodes.delete(nodeId);
      });
    }
    const entry = { process: frontend, requestedAddress: grpcAddress };
    this.#frontends.set(frontend.name, entry);
    void frontend.exited.then(() => {
      if (this.#frontends.get(frontend.name) === entry) this.#frontends.delete(frontend.name);
    });
    await frontend.waitReady(this.#config.readyTimeoutMs);
    return frontend;
  }

  /** Frontends after the first listen on a free port of the first one's host. */
  #extraFrontendAddress(): string {
    const address = this.#config.grpcAddress;
    return `${address.slice(0, address.lastIndexOf(':'))}:0`;
  }

  #extraFrontendHttpAddress(): string | undefined {
    const address = this.#config.httpAddress;
    return address === undefined ? undefined : `${address.slice(0, address.lastIndexOf(':'))}:0`;
  }

  async #startNode(nodeId: string): Promise<ServiceProcess> {
    const node = await this.#spawnNode(nodeId, undefined);
    const metricsAddress = node.readyMessage?.metricsAddress;
    this.#superviseService(node, () => this.#spawnNode(nodeId, metricsAddress));
    return node;
  }

  async #spawnNode(nodeId: string, metricsAddress: string | undefined): Promise<ServiceProcess> {
    await mkdir(this.#codeCacheDir(nodeId), { recursive: true });
    const etcdUser = await this.#etcdUsers?.node(nodeId);
    await this.#addNodeUser(nodeId);
    const node = this.#spawn('node', { nodeId, metricsAddress, etcdUser });
    this.#nodes.set(nodeId, node);
    void node.exited.then(() => {
      if (this.#nodes.get(nodeId) === node) this.#nodes.delete(nodeId);
    });
    await node.waitReady(this.#config.readyTimeoutMs);
    return node;
  }

  /** A node started after the cluster gets a NATS user of its own: the server reloads its config, and the user is tried before the node starts. */
  async #addNodeUser(nodeId: string): Promise<void> {
    const users = this.#natsUsers;
    if (users === undefined) return;
    const credentials = users.node(nodeId);
    if (!credentials.added) return;
    for (const ahead of this.#nodeIdsAfter(this.#lastNodeNumber, NODE_USERS_AHEAD)) users.node(ahead);
    await users.save();
    await required(this.#nats, 'nats-server').reconfigure(users.authorizationConfig());
    const deadline = Date.now() + this.#config.readyTimeoutMs;
    for (;;) {
      try {
        const nc = await connectNats({ ...this.natsConnectOptions('node', nodeId), maxReconnectAttempts: 0 });
        await nc.close();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new StratusError('UNAVAILABLE', `nats-server did not accept the new user of ${nodeId}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  natsConnectOptions(role: NatsRole, nodeId?: string): ClusterNatsConnectOptions {
    const inboxPrefix = natsInboxPrefix(createNamespace(this.#config.namespace), role, nodeId);
    const users = this.#natsUsers;
    const credentials = users === undefined ? undefined : role === 'node' ? users.node(nodeId ?? '') : users.role(role);
    return {
      servers: this.natsUrl,
      ...(credentials === undefined ? {} : { user: credentials.user, pass: credentials.password }),
      inboxPrefix,
      ...(this.#clientTls === undefined ? {} : { tls: { ca: this.#clientTls.ca, cert: this.#clientTls.cert, key: this.#clientTls.key } }),
    };
  }

  #spawn(service: ServiceName, identity: ServiceIdentity = {}): ServiceProcess {
    this.#assertRunning();
    const { nodeId, instance } = identity;
    const child = new ServiceProcess({
      service,
      ...(nodeId === undefined ? {} : { nodeId }),
      ...(instance === undefined ? {} : { instance }),
      mainPath: required(this.#mains, 'service mains')[service],
      nodeArgs: this.#options.nodeArgs?.[service] ?? [],
      env: this.#serviceEnv(service, identity),
      sink: this.#sink,
      log: this.#log,
    });
    this.#live.add(child);
    void child.exited.then(() => this.#live.delete(child));
    return child;
  }

  #serviceEnv(service: ServiceName, { nodeId, grpcAddress, httpAddress, metricsAddress, etcdUser }: ServiceIdentity): NodeJS.ProcessEnv {
    const config = this.#config;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [SHARED_SETTINGS.natsServers.env]: this.natsUrl,
      // The billing aggregator does not use etcd; one list of common variables is simpler than three.
      [ETCD_ENDPOINTS_SETTING.env]: this.etcdEndpoints.join(','),
      [SHARED_SETTINGS.namespace.env]: config.namespace,
      [SHARED_SETTINGS.logLevel.env]: config.logLevel,
      [SERVICE_CONFIGS[service].env.drainGraceMs]: String(config.drainGraceMs),
    };
    // A combined process logs in as the frontend, and its node as that node, each with its own role's permissions.
    const role = service === 'combined' ? 'frontend' : service;
    const etcdLogin = role === 'node' ? etcdUser : role === 'frontend' ? this.#etcdUsers?.frontend : this.#etcdUsers?.billing;
    if (etcdLogin !== undefined) {
      // A file, not the password itself: a process's environment is easier to leak (ps e, crash reports).
      env[ETCD_AUTH_SETTINGS.etcdUser.env] = etcdLogin.username;
      env[ETCD_AUTH_SETTINGS.etcdPasswordFile.env] = etcdLogin.passwordFile;
    }
    if (service === 'combined' && etcdUser !== undefined) {
      env[combinedConfig.env.nodeEtcdUser] = etcdUser.username;
      env[combinedConfig.env.nodeEtcdPasswordFile] = etcdUser.passwordFile;
    }
    const users = this.#natsUsers;
    if (users !== undefined) {
      const credentials = role === 'node' ? (nodeId === undefined ? undefined : users.node(nodeId)) : users.role(role);
      if (credentials !== undefined) {
        env[SHARED_SETTINGS.natsUser.env] = credentials.user;
        env[SHARED_SETTINGS.natsPassword.env] = credentials.password;
      }
      if (service === 'combined' && nodeId !== undefined) {
        const node = users.node(nodeId);
        env[combinedConfig.env.nodeNatsUser] = node.user;
        env[combinedConfig.env.nodeNatsPassword] = node.password;
      }
    }
    const tls = this.#tls;
    if (tls !== undefined) {
      // Each service presents its role's certificate to NATS, etcd and (the frontend) gRPC clients.
      const own = tls.files[role];
      Object.assign(env, {
        [SHARED_SETTINGS.natsTlsCa.env]: tls.caPath,
        [SHARED_SETTINGS.natsTlsCert.env]: own.certPath,
        [SHARED_SETTINGS.natsTlsKey.env]: own.keyPath,
        [ETCD_TLS_SETTINGS.etcdTlsCa.env]: tls.caPath,
        [ETCD_TLS_SETTINGS.etcdTlsCert.env]: own.certPath,
        [ETCD_TLS_SETTINGS.etcdTlsKey.env]: own.keyPath,
      });
      if (role === 'frontend') {
        Object.assign(env, {
          [frontendConfig.env.grpcTlsCert]: own.certPath,
          [frontendConfig.env.grpcTlsKey]: own.keyPath,
          [frontendConfig.env.grpcTlsClientCa]: tls.caPath,
        });
      }
    }
    if (role === 'frontend') {
      env[frontendConfig.env.grpcAddress] = grpcAddress ?? config.grpcAddress;
      if (httpAddress !== undefined) env[frontendConfig.env.httpAddress] = httpAddress;
      if (this.#apiKeySealingKeyFile !== undefined) env[frontendConfig.env.apiKeySealingKeyFile] = this.#apiKeySealingKeyFile;
      if (metricsAddress !== undefined) env[frontendConfig.env.metricsAddress] = metricsAddress;
    }
    if (service === 'billing') env[billingConfig.env.dataDir] = join(this.dataDir, 'billing');
    if (service === 'node' && metricsAddress !== undefined) env[nodeConfig.env.metricsAddress] = metricsAddress;
    if ((service === 'node' || service === 'combined') && nodeId !== undefined) {
      env[nodeConfig.env.nodeId] = nodeId;
      if (config.nodeMemoryMb !== undefined) env[nodeConfig.env.memoryBudgetMb] = String(config.nodeMemoryMb);
      env[nodeConfig.env.maxRunningIsolates] = String(config.nodeMaxRunningIsolates);
      env[nodeConfig.env.leaseTtlSec] = String(config.nodeLeaseTtlSec);
      env[nodeConfig.env.codeCacheDir] = this.#codeCacheDir(nodeId);
      // Stable per node id, so a node the supervisor restarts finds its usage spool and sends what it had not stored.
      env[nodeConfig.env.dataDir] = join(this.dataDir, 'nodes', nodeId);
      // Functions must not reach the frontends: the first one's address is known before it starts (nodes start
      // first), the others' once they run.
      const services = new Set(
        this.frontends.flatMap((f) => [f.grpcAddress, ...[f.httpAddress, f.metricsAddress].filter((a): a is string => a !== undefined)]),
      );
      if (!/:0$/.test(config.grpcAddress)) services.add(config.grpcAddress);
      if (config.httpAddress !== undefined && !/:0$/.test(config.httpAddress)) services.add(config.httpAddress);
      if (services.size > 0) env[nodeConfig.env.egressDeny] = [...services].join(',');
    }
    const overrides = this.#options.env;
    // A combined process takes the frontends' and the nodes' overrides, then its own.
    if (service === 'combined') return { ...env, ...overrides?.frontend, ...overrides?.node, ...overrides?.combined };
    return { ...env, ...overrides?.[service] };
  }

  #codeCacheDir(nodeId: string): string {
    return join(this.dataDir, 'code-cache', nodeId);
  }

  #nodeIdsAfter(nodeNumber: number, count: number): string[] {
    return Array.from({ length: count }, (_, i) => `node-${nodeNumber + 1 + i}`);
  }

  #nextNodeId(): string {
    this.#lastNodeNumber += 1;
    return `node-${this.#lastNodeNumber}`;
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  #assertRunning(): void {
    if (this.#stopping !== undefined) throw new StratusError('SHUTTING_DOWN', 'the local cluster is stopping');
  }
}

/** Which one of its service a process is, and what it alone is told. */
interface ServiceIdentity {
  readonly nodeId?: string | undefined;
  readonly instance?: string | undefined;
  /** Frontends: where to listen. */
  readonly grpcAddress?: string | undefined;
  /** Frontends: where to serve Lambda's REST API; none when undefined. */
  readonly httpAddress?: string | undefined;
  /** Where a restarted service serves metrics: where its first incarnation did. */
  readonly metricsAddress?: string | undefined;
  /** A node's own etcd user. */
  readonly etcdUser?: EtcdUserCredentials | undefined;
}

function serviceRun(child: ServiceProcess): SupervisedRun {
  return { pid: child.pid, exited: child.exited, stopRequested: () => child.stopRequested };
}

/** Servers are stopped only when the whole cluster stops. */
function serverRun(server: NatsServerHandle | EtcdHandle, cluster: { readonly stopping: boolean }): SupervisedRun {
  return { pid: server.pid, exited: server.exited, stopRequested: () => cluster.stopping };
}

function describeFrontend(frontend: ServiceProcess, requestedAddress: string): ClusterFrontend {
  const ready = frontend.readyMessage;
  return {
    name: frontend.name,
    pid: frontend.pid,
    grpcAddress: ready?.address ?? requestedAddress,
    httpAddress: ready?.httpAddress,
    metricsAddress: ready?.metricsAddress,
  };
}

/** Resolves each service's `main` entry point and checks that it has been built. */
async function resolveServiceMains(
  overrides: Readonly<Partial<Record<ServiceName, string>>>,
): Promise<Readonly<Record<ServiceName, string>>> {
  const entries = await Promise.all(
    (Object.entries(SERVICE_MAINS) as Array<[ServiceName, string]>).map(async ([service, specifier]) => {
      let path: string;
      try {
        path = overrides[service] ?? fileURLToPath(import.meta.resolve(specifier));
      } catch (err) {
        throw new StratusError('UNAVAILABLE', `cannot resolve ${specifier}: ${(err as Error).message}`, { cause: err });
      }
      try {
        await access(path, constants.R_OK);
      } catch {
        const hint = overrides[service] === undefined ? `${specifier} is not built; run \`npm run build\`` : `${service} main`;
        throw new StratusError('UNAVAILABLE', `${hint} (${path} is missing)`);
      }
      return [service, path] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ServiceName, string>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new StratusError('UNAVAILABLE', `the local cluster has no ${what} (not started)`);
  return value;
}
