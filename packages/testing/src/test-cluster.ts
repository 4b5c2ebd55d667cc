import { pino, type Logger } from 'pino';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions } from '@stratus/local-cluster';
import { randomNamespacePrefix } from './namespace.js';
import { once } from './once.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface TestCluster extends LocalCluster, AsyncDisposable {
  /** A client of the cluster's frontend, connected. */
  readonly client: StratusClient;
  /** Closes the client, stops the cluster and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const CLIENT_READY_TIMEOUT_MS = 10_000;

/**
 * Starts a whole local cluster for a test file: a temp data dir, the
 * frontend on a free port, a random namespace, and quiet logs (level 'warn';
 * set STRATUS_TEST_LOG to a pino level, e.g. 'debug', to see more). Any
 * LocalClusterOptions given win over these.
 */
export async function startTestCluster(options: Partial<LocalClusterOptions> = {}): Promise<TestCluster> {
  const dataDir = await makeTempDir();
  let cluster: LocalCluster | undefined;
  let client: StratusClient | undefined;
  try {
    cluster = await startLocalCluster({
      dataDir,
      grpcAddress: '127.0.0.1:0',
      namespace: randomNamespacePrefix(),
      ...options,
      log: options.log ?? testLogger(),
    });
    client = createStratusClient({ endpoint: cluster.grpcAddress });
    await client.waitForReady(CLIENT_READY_TIMEOUT_MS);
  } catch (err) {
    await client?.close();
    await cluster?.stop();
    await removeTempDir(dataDir);
    throw err;
  }
  return wrap(cluster, client, dataDir);
}

function wrap(cluster: LocalCluster, client: StratusClient, dataDir: string): TestCluster {
  const stop = once(async () => {
    try {
      await client.close();
    } finally {
      try {
        await cluster.stop();
      } finally {
        await removeTempDir(dataDir);
      }
    }
  });
  return {
    client,
    grpcAddress: cluster.grpcAddress,
    natsUrl: cluster.natsUrl,
    etcdEndpoints: cluster.etcdEndpoints,
    namespace: cluster.namespace,
    dataDir: cluster.dataDir,
    get nodes() {
      return cluster.nodes;
    },
    get processes() {
      return cluster.processes;
    },
    addNode: () => cluster.addNode(),
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
