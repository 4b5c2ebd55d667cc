import { Events, connect, type NatsConnection } from 'nats';
import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { SHARED_SETTINGS, createNamespace, natsInboxPrefix } from '@stratus/contracts';
import type { ConfigOf, NatsRole, ReadyMessage, ServiceConfig, SettingsMap, SharedConfig } from '@stratus/contracts';
import { readTlsFiles } from './tls-files.js';

/** What runService needs of every service's configuration; `metricsAddress`, when the service has it, turns on /metrics. */
type RunnableConfig = SharedConfig & { readonly metricsAddress?: string };

/** A service's settings: its own and the shared ones. */
type ServiceSettings = SettingsMap & typeof SHARED_SETTINGS;

export interface RunServiceOptions<S extends ServiceSettings> {
  /**
   * The service's configuration schema, read once from the environment before
   * anything starts. A service whose schema has `metricsAddress` serves
   * Prometheus metrics at /metrics there (the address taken is in the ready message).
   */
  readonly config: ServiceConfig<S>;
  /**
   * Starts the service. Resolves once it is ready, with what the ready
   * message reports and how to stop it.
   */
  readonly start: (
    context: ServiceContext<ConfigOf<S>>,
  ) => Promise<{ readonly ready: Omit<ReadyMessage, 'type' | 'service'>; readonly stop: () => Promise<void> }>;
}

export interface NatsLogin {
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly role: NatsRole;
  /** A node's id (its inbox prefix names it). */
  readonly nodeId?: string | undefined;
}

export interface ServiceContext<Config> {
  /** The resolved configuration: every setting parsed, validated and defaulted. */
  readonly config: Config;
  readonly log: Logger;
  readonly nc: NatsConnection;
  /**
   * Another NATS connection to the same servers, over the same TLS, as
   * another user with that role's inbox prefix: for a process that holds two
   * roles (the combined frontend and node), each keeping its own permissions.
   * Drained after `stop`, as `nc` is.
   */
  readonly connectNats: (login: NatsLogin) => Promise<NatsConnection>;
  /** The registry served at /metrics (with Node's process metrics), when the service serves metrics. */
  readonly metricsRegistry: Registry;
}

/**
 * The process plumbing every service's main shares: a JSON logger, the NATS
 * connection, the ready message to a parent launcher, and one shutdown path
 * taken on SIGTERM, SIGINT, or the launcher going away (IPC disconnect), so
 * a crashed launcher leaves no orphans. The process exits on its own once
 * everything is closed; nothing calls process.exit while work is in flight.
 */
export async function runService<S extends ServiceSettings>(options: RunServiceOptions<S>): Promise<void> {
  const service = options.config.service;
  let config: ConfigOf<S>;
  try {
    config = options.config.parse(process.env);
  } catch (err) {
    process.stderr.write(`stratus ${service}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  const shared = config as RunnableConfig;
  const log = pino({ level: shared.logLevel, base: { component: service, pid: process.pid } });
  let stopping: Promise<void> | undefined;
  let stop: (() => Promise<void>) | undefined;
  let nc: NatsConnection | undefined;
  const extraConnections: NatsConnection[] = [];
  let metricsServer: MetricsServer | undefined;

  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      try {
        await stop?.();
      } catch (err) {
        log.error({ err }, 'error while stopping');
        process.exitCode = 1;
      }
      for (const connection of [...extraConnections, nc]) {
        try {
          await connection?.drain();
        } catch (err) {
          log.warn({ err }, 'error while draining the NATS connection');
        }
      }
      await metricsServer?.close();
      log.info('stopped');
      process.removeListener('SIGTERM', onSigterm);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('disconnect', onDisconnect);
      if (process.connected) process.disconnect();
    })();
    return stopping;
  };
  const onSigterm = (): void => void shutdown('SIGTERM');
  const onSigint = (): void => void shutdown('SIGINT');
  const onDisconnect = (): void => void shutdown('launcher went away');
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
  process.on('disconnect', onDisconnect);

  try {
    // A combined process's main connection is its frontend's; its node connects with connectNats.
    const nodeId = service === 'node' ? (config as { readonly nodeId?: string }).nodeId : undefined;
    const natsTls = await readTlsFiles({
      ca: [shared.natsTlsCa, SHARED_SETTINGS.natsTlsCa.env],
      cert: [shared.natsTlsCert, SHARED_SETTINGS.natsTlsCert.env],
      key: [shared.natsTlsKey, SHARED_SETTINGS.natsTlsKey.env],
    });
    const ns = createNamespace(shared.namespace);
    const connectAs = (login: NatsLogin): Promise<NatsConnection> =>
      connect({
        servers: [...shared.natsServers],
        name: `stratus-${service}${login.role === service ? '' : `-${login.role}`}`,
        // Never give up on NATS: a server that is restarted (by the local cluster's supervisor or systemd) or
        // another member of the cluster takes the connection back, and subscriptions are replayed.
        reconnect: true,
        ...(login.user === undefined ? {} : { user: login.user, pass: login.password ?? '' }),
        // Given TLS files, the client accepts only a TLS connection to a server its CA vouches for.
        ...(natsTls === undefined ? {} : { tls: natsTls }),
        // Replies come back on the role's own inbox prefix, the only inboxes its NATS user may read.
        ...(login.role === 'node' && login.nodeId === undefined ? {} : { inboxPrefix: natsInboxPrefix(ns, login.role, login.nodeId) }),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        // A server on another machine that vanishes without closing the socket is noticed within about 20 s, not 4 min.
        pingInterval: 10_000,
        // nats.js otherwise captures an Error (a stack trace) on every request and
        // JetStream publish, for nicer timeout traces: a measurable share of the
        // invocation path's CPU. Timeouts are still reported, with a shorter stack.
        noAsyncTraces: true,
      });
    nc = await connectAs({ user: shared.natsUser, password: shared.natsPassword, role: service === 'combined' ? 'frontend' : service, nodeId });
    void logConnectionStatus(nc, log);
    const metricsRegistry = new Registry();
    if (shared.metricsAddress !== undefined) {
      collectDefaultMetrics({ register: metricsRegistry });
      metricsServer = await startMetricsServer({ address: shared.metricsAddress, registry: metricsRegistry, log });
    }
    const connectNats = async (login: NatsLogin): Promise<NatsConnection> => {
      const connection = await connectAs(login);
      extraConnections.push(connection);
      void logConnectionStatus(connection, log);
      return connection;
    };
    const started = await options.start({ config, log, nc, connectNats, metricsRegistry });
    stop = started.stop;
    if (stopping) {
      await started.stop();
      return;
    }
    const ready: ReadyMessage = {
      type: 'ready',
      service: options.config.service,
      ...started.ready,
      ...(metricsServer ? { metricsAddress: metricsServer.address } : {}),
    };
    log.info(ready, `${service} ready`);
    process.send?.(ready);
  } catch (err) {
    log.fatal({ err }, `${service} failed to start`);
    process.exitCode = 1;
    await shutdown('failed to start');
  }
}

/** Operators see NATS going away and coming back in the service's log. Ends when the connection closes. */
async function logConnectionStatus(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === Events.Disconnect) log.warn({ server: status.data }, 'disconnected from NATS; reconnecting');
    else if (status.type === Events.Reconnect) log.info({ server: status.data }, 'reconnected to NATS');
  }
}
