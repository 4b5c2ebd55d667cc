import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AutoscaleOptions } from '@stratus/autoscaler';
import { startLocalCluster, type ClusterLayout, type LocalCluster } from './cluster.js';

export interface RunUpOptions {
  /** The project directory; the cluster keeps its state in `<cwd>/.stratus` unless `dataDir` says otherwise. */
  readonly cwd: string;
  /** Where etcd, NATS, billing and the code caches keep their state. Default `<cwd>/.stratus`. */
  readonly dataDir?: string;
  readonly log: Logger;
  /** Pretty-print the services' log lines (for a terminal) instead of passing them through `log` as JSON. */
  readonly pretty: boolean;
  /** Worker nodes to start, the combined process's included. Default 2, or `autoscale.minNodes` when autoscaling. */
  readonly nodes?: number;
  /**
   * 'combined' (the default here): the frontend is also a worker node, in one
   * process, and runs warm calls without the NATS hop; 'split': the frontend
   * and each node a process of its own, as on a larger cluster (see
   * LocalClusterOptions.layout).
   */
  readonly layout?: ClusterLayout;
  /** Scale the worker nodes with load (see LocalClusterOptions.autoscale). Default off. */
  readonly autoscale?: AutoscaleOptions;
  /** Where the frontend listens. Default '127.0.0.1:50051'. */
  readonly grpcAddress?: string;
  /** Where the frontend serves Lambda's REST API. Default: not served (the CLI's `stratus up` passes 127.0.0.1:9000). */
  readonly httpAddress?: string;
  /** TLS everywhere, with client certificates (see LocalClusterOptions.tls). Default false. */
  readonly tls?: boolean;
  /** Runs once the cluster is ready (the CLI deploys and invokes the example here). If it throws, the cluster is stopped and runUp rejects. */
  readonly onReady?: (cluster: LocalCluster) => Promise<void>;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `stratus up`: starts the local cluster, runs `onReady`, then runs until
 * SIGINT or SIGTERM, stops everything and resolves. A signal during startup
 * stops the cluster as soon as possible. Installs signal handlers for its
 * own duration only, so call it from a CLI's main and nowhere else.
 */
export async function runUp(options: RunUpOptions): Promise<void> {
  const { log } = options;
  const stopRequest = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequest.signal.aborted) {
      log.warn(`${signal} received; already stopping`);
      return;
    }
    log.info(`${signal} received; stopping the local cluster`);
    stopRequest.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    const cluster = await startLocalCluster({
      log,
      pretty: options.pretty,
      dataDir: options.dataDir ?? join(options.cwd, '.stratus'),
      ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
      layout: options.layout ?? 'combined',
      ...(options.autoscale === undefined ? {} : { autoscale: options.autoscale }),
      ...(options.grpcAddress === undefined ? {} : { grpcAddress: options.grpcAddress }),
      ...(options.httpAddress === undefined ? {} : { httpAddress: options.httpAddress }),
      ...(options.tls === true ? { tls: true } : {}),
      signal: stopRequest.signal,
    });
    try {
      await options.onReady?.(cluster);
      log.info({ grpcAddress: cluster.grpcAddress, httpAddress: cluster.httpAddress, nodes: cluster.nodes.length }, 'Stratus is running; press Ctrl-C to stop');
      await untilAborted(stopRequest.signal);
    } finally {
      await cluster.stop();
    }
  } catch (err) {
    // Failures caused by stopping on request (a deploy cut short, a service killed before it was ready) are not errors.
    if (!stopRequest.signal.aborted) throw err;
    log.debug({ err }, 'interrupted while starting');
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
