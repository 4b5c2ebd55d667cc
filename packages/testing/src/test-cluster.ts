import { pino, type Logger } from 'pino';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions } from '@stratus/local-cluster';
import { randomNamespacePrefix } from './namespace.js';
import { once } from './once.js';

/**
 * Any LocalClusterOptions. Defaults for tests, where they differ from the
 * local cluster's: `temporaryDataDir` true (a temp dir removed on stop;
 * false when `dataDir` is given), `grpcAddress` and `httpAddress` '127.0.0.1:0' (free ports),
 * `namespace` a random prefix (randomNamespacePrefix), `log` quiet (level
 * 'warn' to stderr; set STRATUS_TEST_LOG to a pino level, e.g. 'debug', to
 * see more).
 */
export type TestClusterOptions = Partial<LocalClusterOptions>;

export interface TestCluster extends LocalCluster {
  /** A client of the cluster's (first) frontend, connected, with the admin key (`apiKey`). */
  readonly client: StratusClient;
  /** Closes the client, then stops the cluster (which removes its temp dir). Safe to call twice. */
  stop(): Promise<void>;
}

const CLIENT_READY_TIMEOUT_MS = 10_000;

/** Starts a whole local cluster for a test file, with a connected client; see TestClusterOptions for the defaults. */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const cluster = await startLocalCluster({
    temporaryDataDir: options.dataDir === undefined,
    grpcAddress: '127.0.0.1:0',
    httpAddress: '127.0.0.1:0',
    namespace: randomNamespacePrefix(),
    ...options,
    log: options.log ?? testLogger(),
  });
  let client: StratusClient | undefined;
  try {
    client = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: cluster.tls ?? false });
    await client.waitForReady(CLIENT_READY_TIMEOUT_MS);
  } catch (err) {
    await client?.close();
    await cluster.stop();
    throw err;
  }
  return withClient(cluster, client);
}

function withClient(cluster: LocalCluster, client: StratusClient): TestCluster {
  const stop = once(async () => {
    try {
      await client.close();
    } finally {
      await cluster.stop();
    }
  });
  return {
    client,
    grpcAddress: cluster.grpcAddress,
    httpAddress: cluster.httpAddress,
    natsUrl: cluster.natsUrl,
    etcdEndpoints: cluster.etcdEndpoints,
    etcdCredentials: cluster.etcdCredentials,
    namespace: cluster.namespace,
    dataDir: cluster.dataDir,
    apiKey: cluster.apiKey,
    get nodes() {
      return cluster.nodes;
    },
    get frontends() {
      return cluster.frontends;
    },
    get processes() {
      return cluster.processes;
    },
    get autoscaler() {
      return cluster.autoscaler;
    },
    get restarts() {
      return cluster.restarts;
    },
    waitForRestarts: (name, count) => cluster.waitForRestarts(name, count),
    natsConnectOptions: (role, nodeId) => cluster.natsConnectOptions(role, nodeId),
    tls: cluster.tls,
    addNode: () => cluster.addNode(),
    addFrontend: () => cluster.addFrontend(),
    killNode: (nodeId, signal) => cluster.killNode(nodeId, signal),
    restartBilling: () => cluster.restartBilling(),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function testLogger(): Logger {
  return pino({ level: testLogLevel() }, pino.destination({ dest: 2, sync: true }));
}

function testLogLevel(): string {
  const requested = process.env['STRATUS_TEST_LOG'];
  if (requested === undefined || requested === '') return 'warn';
  return requested in pino.levels.values ? requested : 'debug';
}
