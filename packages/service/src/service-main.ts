import { connect, type NatsConnection } from 'nats';
import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { SERVICE_ENV, type ReadyMessage, type ServiceName } from '@stratus/contracts';

/** What a service's main needs from its environment, read in one place. */
export interface ServiceEnv {
  readonly natsUrl: string;
  readonly namespace: string;
  readonly logLevel: string;
  get(name: keyof typeof SERVICE_ENV): string | undefined;
  /** A positive integer setting, or the default; a malformed value stops the service with a message naming it. */
  int(name: keyof typeof SERVICE_ENV, defaultValue: number): number;
  float(name: keyof typeof SERVICE_ENV, defaultValue: number): number;
}

export function readServiceEnv(env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  const get = (name: keyof typeof SERVICE_ENV): string | undefined => {
    const value = env[SERVICE_ENV[name]];
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: keyof typeof SERVICE_ENV, defaultValue: number, integer: boolean): number => {
    const raw = get(name);
    if (raw === undefined) return defaultValue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new Error(`${SERVICE_ENV[name]}=${raw} is not a valid ${integer ? 'whole ' : ''}number`);
    }
    return value;
  };
  return {
    natsUrl: get('natsUrl') ?? 'nats://127.0.0.1:4222',
    namespace: get('namespace') ?? 'stratus',
    logLevel: get('logLevel') ?? 'info',
    get,
    int: (name, defaultValue) => number(name, defaultValue, true),
    float: (name, defaultValue) => number(name, defaultValue, false),
  };
}

export interface RunServiceOptions {
  readonly service: ServiceName;
  /**
   * Serve Prometheus metrics at /metrics on STRATUS_METRICS_ADDRESS (default
   * 127.0.0.1:0, a free port, reported in the ready message). Default false.
   */
  readonly metrics?: boolean;
  /**
   * Starts the service. Resolves once it is ready, with what the ready
   * message reports and how to stop it.
   */
  readonly start: (context: ServiceContext) => Promise<{ readonly ready: Omit<ReadyMessage, 'type' | 'service'>; readonly stop: () => Promise<void> }>;
}

export interface ServiceContext {
  readonly env: ServiceEnv;
  readonly log: Logger;
  readonly nc: NatsConnection;
  /** The registry served at /metrics (with Node's process metrics), when `metrics` is on. */
  readonly metricsRegistry: Registry;
}

/**
 * The process plumbing every service's main shares: a JSON logger, the NATS
 * connection, the ready message to a parent launcher, and one shutdown path
 * taken on SIGTERM, SIGINT, or the launcher going away (IPC disconnect), so
 * a crashed launcher leaves no orphans. The process exits on its own once
 * everything is closed; nothing calls process.exit while work is in flight.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  let env: ServiceEnv;
  try {
    env = readServiceEnv();
  } catch (err) {
    process.stderr.write(`stratus ${options.service}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  const log = pino({ level: env.logLevel, base: { component: options.service, pid: process.pid } });
  let stopping: Promise<void> | undefined;
  let stop: (() => Promise<void>) | undefined;
  let nc: NatsConnection | undefined;
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
      try {
        await nc?.drain();
      } catch (err) {
        log.warn({ err }, 'error while draining the NATS connection');
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
    nc = await connect({
      servers: env.natsUrl,
      name: `stratus-${options.service}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // nats.js otherwise captures an Error (a stack trace) on every request and
      // JetStream publish, for nicer timeout traces: a measurable share of the
      // invocation path's CPU. Timeouts are still reported, with a shorter stack.
      noAsyncTraces: true,
    });
    const metricsRegistry = new Registry();
    if (options.metrics) {
      collectDefaultMetrics({ register: metricsRegistry });
      metricsServer = await startMetricsServer({ address: env.get('metricsAddress') ?? '127.0.0.1:0', registry: metricsRegistry, log });
    }
    const started = await options.start({ env, log, nc, metricsRegistry });
    stop = started.stop;
    if (stopping) {
      await started.stop();
      return;
    }
    const ready: ReadyMessage = {
      type: 'ready',
      service: options.service,
      ...started.ready,
      ...(metricsServer ? { metricsAddress: metricsServer.address } : {}),
    };
    log.info(ready, `${options.service} ready`);
    process.send?.(ready);
  } catch (err) {
    log.fatal({ err }, `${options.service} failed to start`);
    process.exitCode = 1;
    await shutdown('failed to start');
  }
}
