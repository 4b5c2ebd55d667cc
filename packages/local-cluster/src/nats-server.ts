import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { delay, describeExit, exitOf, failureWithOutput, guardAgainstOrphaning, stopProcess, type ExitStatus } from './child-process.js';
import { OutputTail } from './output-tail.js';

export interface NatsServerOptions {
  /** Path of the nats-server binary (see locateServerBinaries). */
  readonly binary: string;
  /** Holds the config file, the ports file and the JetStream store; created if missing. */
  readonly dir: string;
  /**
   * Port to listen on. Default: a free one (port -1, read back from the ports
   * file). A restarted server is given its first port, so clients reconnect.
   */
  readonly port?: number;
  /** Enable JetStream. Default true. */
  readonly jetStream?: boolean;
  /** Largest message the server accepts. Default 8 MiB: Lambda's sync payloads are up to 6 MB. */
  readonly maxPayloadBytes?: number;
  /** How long to wait for the server to accept connections. Default 15 000. */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 5 000. */
  readonly stopGraceMs?: number;
  readonly log?: Logger;
  /** An `authorization { ... }` block for the config (see NatsUsers). Default none: anyone may connect. */
  readonly authorization?: string | undefined;
  /** Serve TLS only, with this certificate, and require client certificates signed by `caPath`. Default: plaintext. */
  readonly tls?: { readonly certPath: string; readonly keyPath: string; readonly caPath: string } | undefined;
  /**
   * Join a cluster of servers on this machine: this server's name, the port
   * its routes listen on, and the route URLs of the members (`nats-route://127.0.0.1:PORT`,
   * its own included is fine). Default: a server of its own.
   */
  readonly cluster?: { readonly name: string; readonly serverName: string; readonly routePort: number; readonly routes: readonly string[] } | undefined;
  /** Serve nats-server's monitoring endpoints (`/connz`, …) on this loopback port. Default: not served. */
  readonly monitoringPort?: number | undefined;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after the grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the server process has exited, for whatever reason. */
  readonly exited: Promise<ExitStatus>;
  /** Rewrites the config with a new authorization block and has the server reload it (SIGHUP); the reload itself is asynchronous. */
  reconfigure(authorization: string): Promise<void>;
  /** The server's recent output, for failure messages. A plain function: safe to pass on detached. */
  readonly stderr: () => string;
}

const POLL_MS = 25;

/**
 * Starts nats-server on a loopback port, free unless `port` is given (port
 * -1, read back from the ports file). Resolves once a TCP connection succeeds; rejects with the
 * server's output if it exits first or does not come up in time.
 */
export async function startNatsServer(options: NatsServerOptions): Promise<NatsServerHandle> {
  const dir = resolve(options.dir);
  const jetStream = options.jetStream ?? true;
  const maxPayloadBytes = options.maxPayloadBytes ?? 8 * 1024 * 1024;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  await mkdir(dir, { recursive: true });

  const configPath = join(dir, 'nats-server.conf');
  const renderConfig = (authorization: string | undefined): string =>
    [
      'host: "127.0.0.1"',
      `port: ${options.port ?? -1}`,
      `ports_file_dir: ${JSON.stringify(dir)}`,
      `max_payload: ${maxPayloadBytes}`,
      ...(options.monitoringPort === undefined ? [] : [`http: "127.0.0.1:${options.monitoringPort}"`]),
      ...(options.cluster === undefined
        ? []
        : [
            `server_name: ${JSON.stringify(options.cluster.serverName)}`,
            'cluster {',
            `  name: ${JSON.stringify(options.cluster.name)}`,
            `  listen: "127.0.0.1:${options.cluster.routePort}"`,
            `  routes: [${options.cluster.routes.map((route) => JSON.stringify(route)).join(', ')}]`,
            '}',
          ]),
      ...(jetStream ? [`jetstream {`, `  store_dir: ${JSON.stringify(join(dir, 'jetstream'))}`, `}`] : []),
      ...(authorization === undefined ? [] : [authorization]),
      ...(options.tls === undefined
        ? []
        : [
            'tls {',
            `  cert_file: ${JSON.stringify(options.tls.certPath)}`,
            `  key_file: ${JSON.stringify(options.tls.keyPath)}`,
            `  ca_file: ${JSON.stringify(options.tls.caPath)}`,
            '  verify: true',
            '  timeout: 5',
            '}',
          ]),
      '',
    ].join('\n');
  // The config holds passwords.
  await writeFile(configPath, renderConfig(options.authorization), { mode: 0o600 });
  await chmod(configPath, 0o600);
  // A server killed outright leaves its ports file behind, and pids get reused.
  for (const entry of await readdir(dir)) if (entry.endsWith('.ports')) await rm(join(dir, entry), { force: true });

  const output = new OutputTail();
  const child = spawn(options.binary, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  const exited = exitOf(child);
  const guard = child.pid === undefined ? undefined : guardAgainstOrphaning(child.pid);
  void exited.then(() => guard?.release());

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopProcess(child, exited, { graceMs: stopGraceMs }).then(() => undefined);
    return stopping;
  };

  let port: number | undefined;
  let exitStatus: ExitStatus | undefined;
  void exited.then((status) => {
    exitStatus = status;
    if (stopping === undefined && port !== undefined) {
      options.log?.error({ component: 'nats-server', pid: child.pid, output: output.lastLines(20) }, `nats-server ${describeExit(status)}`);
    }
  });

  try {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exitStatus) throw failureWithOutput(`nats-server ${describeExit(exitStatus)}`, output);
      if (Date.now() > deadline) throw failureWithOutput(`nats-server did not start within ${startTimeoutMs} ms`, output);
      const candidate = child.pid === undefined ? undefined : await readPortsFile(dir, child.pid);
      if (candidate !== undefined && (await canConnect(candidate))) {
        port = candidate;
        break;
      }
      await delay(POLL_MS);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const url = `nats://127.0.0.1:${port}`;
  options.log?.debug({ component: 'nats-server', pid: child.pid, url }, 'nats-server started');
  return {
    url,
    port,
    pid: child.pid ?? -1,
    stop,
    exited,
    reconfigure: async (authorization) => {
      await writeFile(configPath, renderConfig(authorization), { mode: 0o600 });
      if (exitStatus === undefined) child.kill('SIGHUP');
    },
    stderr: () => output.text(),
  };
}

/** nats-server names the file `<executable>_<pid>.ports`; match on the pid only. */
async function readPortsFile(dir: string, pid: number): Promise<number | undefined> {
  const suffix = `_${pid}.ports`;
  const name = (await readdir(dir)).find((entry) => entry.endsWith(suffix));
  if (name === undefined) return undefined;
  try {
    const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as { nats?: unknown };
    const first: unknown = Array.isArray(parsed.nats) ? parsed.nats[0] : undefined;
    if (typeof first !== 'string') return undefined;
    const port = Number(new URL(first).port);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    // The file can be caught half-written; the next poll reads it whole.
    return undefined;
  }
}

function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
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
