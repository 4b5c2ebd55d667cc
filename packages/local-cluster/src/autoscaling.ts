import { connect } from 'nats';
import type { Logger } from 'pino';
import { Autoscaler, type AutoscaleOptions, type AutoscalerState, type NodeProvider } from '@stratus/autoscaler';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import type { LocalCluster } from './cluster.js';

/**
 * The `process` provider: worker nodes are child processes of this launcher.
 * A removed node gets SIGTERM, so it leaves the registry, finishes its calls
 * in flight and exits (SIGKILL only after the cluster's stop grace period).
 */
export function createProcessProvider(cluster: LocalCluster): NodeProvider {
  return {
    nodes: () => Promise.resolve(cluster.nodes.map((node) => node.nodeId)),
    addNode: async () => (await cluster.addNode()).nodeId,
    removeNode: (nodeId) => cluster.killNode(nodeId, 'SIGTERM'),
  };
}

export interface ClusterAutoscaling {
  readonly state: AutoscalerState;
  /** Stops the scaler (waiting for an add or remove under way), then its connections. Idempotent. */
  close(): Promise<void>;
}

/** Runs an Autoscaler over the cluster's nodes, with its own NATS and etcd connections. */
export async function startClusterAutoscaling(
  cluster: LocalCluster,
  options: AutoscaleOptions,
  log: Logger,
): Promise<ClusterAutoscaling> {
  const nc = await connect({
    ...cluster.natsConnectOptions('autoscaler'),
    name: 'stratus-autoscaler',
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  const etcd = createEtcdClient({ endpoints: cluster.etcdEndpoints, auth: cluster.etcdCredentials, tls: cluster.tls });
  const closeConnections = async (): Promise<void> => {
    etcd.close();
    try {
      await nc.drain();
    } catch (err) {
      log.warn({ err }, 'error while draining the autoscaler’s NATS connection');
    }
  };
  let scaler: Autoscaler;
  try {
    scaler = await Autoscaler.create({
      ...options,
      provider: createProcessProvider(cluster),
      etcd,
      nc,
      ns: createNamespace(cluster.namespace),
      log,
    });
  } catch (err) {
    await closeConnections();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    get state() {
      return scaler.state;
    },
    close: () => {
      closed ??= (async () => {
        try {
          await scaler.close();
        } finally {
          await closeConnections();
        }
      })();
      return closed;
    },
  };
}
