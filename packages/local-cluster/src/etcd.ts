import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { delay, describeExit, exitOf, failureWithOutput, guardAgainstOrphaning, stopProcess, type ExitStatus } from './child-process.js';
import { findFreePorts } from './free-port.js';
import { OutputTail } from './output-tail.js';

export interface EtcdOptions {
  /** Path of the etcd binary (see locateServerBinaries). */
  readonly binary: string;
  /** etcd keeps its data in `<dir>/data`; created if missing. Data already there is reused. */
  readonly dir: string;
  /**
   * Client and peer ports and member name to use, as a restarted etcd is
   * given its first ones so clients reconnect. Default: two free ports (picked
   * again if another process takes one first) and a new name.
   */
  readonly reuse?: { readonly clientPort: number; readonly peerPort: number; readonly name: string };
  /** Skip fsync: much faster, and losing data on a power cut is fine for development and tests. Default true. */
  readonly unsafeNoFsync?: boolean;
  /**
   * bcrypt cost of etcd's stored passwords (etcd's default is 10, about
   * 50-100 ms of CPU per login and per user made). Default 4: the local
   * cluster's passwords are 256 random bits, which no cheap hash makes
   * guessable, and every service login and node user would pay for a slow one.
   */
  readonly bcryptCost?: number;
  /** How long to wait for /health to answer true, per attempt. Default 20 000. */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 5 000. */
  readonly stopGraceMs?: number;
  readonly log?: Logger;
  /** Serve clients over TLS only (`https://`), requiring client certificates signed by `caPath`. Default: plaintext. */
  readonly tls?: { readonly certPath: string; readonly keyPath: string; readonly caPath: string; readonly clientCertPath: string; readonly clientKeyPath: string } | undefined;
}

export interface EtcdHandle {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
  readonly peerPort: number;
  /** The member name: a restart on the same data dir passes it back (see `reuse`). */
  readonly name: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after the grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the server process has exited, for whatever reason. */
  readonly exited: Promise<ExitStatus>;
  /** The server's recent output, for failure messages. A plain function: safe to pass on detached. */
  readonly stderr: () => string;
}

const POLL_MS = 50;
const MAX_ATTEMPTS = 3;

/**
 * Starts a single-member etcd on loopback. etcd 3.4 given port 0 advertises
 * URLs nobody can use, so two free ports are picked first and passed
 * explicitly; if another process takes one in between, it retries with new ports.
 */
export async function startEtcd(options: EtcdOptions): Promise<EtcdHandle> {
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  let lastOutput = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const outcome = await startOnce(options, dir);
    if (outcome.handle) return outcome.handle;
    lastOutput = outcome.portTakenOutput;
    // Ports asked for are not swapped for others: the caller's clients know them.
    if (options.reuse !== undefined) break;
    options.log?.debug({ component: 'etcd', attempt }, 'etcd port taken; retrying with new ports');
  }
  const what = options.reuse === undefined ? `free ports after ${MAX_ATTEMPTS} attempts` : `ports ${options.reuse.clientPort} and ${options.reuse.peerPort}`;
  throw new StratusError('UNAVAILABLE', `etcd could not bind ${what}:\n${lastOutput}`);
}

/** A picked port can be taken by another process before etcd binds it: that attempt is retried. */
type StartOutcome = { readonly handle: EtcdHandle } | { readonly handle?: undefined; readonly portTakenOutput: string };

async function startOnce(options: EtcdOptions, dir: string): Promise<StartOutcome> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  const [clientPort, peerPort] = options.reuse === undefined ? await findFreePorts(2) : [options.reuse.clientPort, options.reuse.peerPort];
  if (clientPort === undefined || peerPort === undefined) throw new StratusError('INTERNAL', 'no free ports picked');
  const tls = options.tls;
  const endpoint = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const name = options.reuse?.name ?? `stratus-${process.pid}-${randomBytes(4).toString('hex')}`;
  const args = [
    `--name=${name}`,
    `--data-dir=${join(dir, 'data')}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${name}=${peerUrl}`,
    '--initial-cluster-state=new',
    ...((options.unsafeNoFsync ?? true) ? ['--unsafe-no-fsync'] : []),
    `--bcrypt-cost=${options.bcryptCost ?? 4}`,
    ...(tls === undefined ? [] : [`--cert-file=${tls.certPath}`, `--key-file=${tls.keyPath}`, `--trusted-ca-file=${tls.caPath}`, '--client-cert-auth']),
  ];
  const healthTls = tls === undefined ? undefined : { ca: await readFile(tls.caPath), cert: await readFile(tls.clientCertPath), key: await readFile(tls.clientKeyPath) };

  const output = new OutputTail();
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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

  let ready = false;
  let exitStatus: ExitStatus | undefined;
  void exited.then((status) => {
    exitStatus = status;
    if (stopping === undefined && ready) {
      options.log?.error({ component: 'etcd', pid: child.pid, output: output.lastLines(20) }, `etcd ${describeExit(status)}`);
    }
  });

  try {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exitStatus) {
        if (/address already in use/i.test(output.text())) return { portTakenOutput: output.lastLines(5) };
        throw failureWithOutput(`etcd ${describeExit(exitStatus)}`, output);
      }
      if (Date.now() > deadline) throw failureWithOutput(`etcd did not become healthy within ${startTimeoutMs} ms`, output);
      if (await isHealthy(endpoint, healthTls)) break;
      await delay(POLL_MS);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  ready = true;
  options.log?.debug({ component: 'etcd', pid: child.pid, endpoint }, 'etcd started');
  return { handle: { endpoint, port: clientPort, peerPort, name, pid: child.pid ?? -1, stop, exited, stderr: () => output.text() } };
}

function isHealthy(endpoint: string, tls: { readonly ca: Buffer; readonly cert: Buffer; readonly key: Buffer } | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const url = `${endpoint}/health`;
    const onResponse = (response: IncomingMessage): void => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve((JSON.parse(body) as { health?: unknown }).health === 'true');
        } catch {
          resolve(false);
        }
      });
      response.on('error', () => resolve(false));
    };
    // No keep-alive agent: a pooled socket would outlive the server and keep tests' event loop busy.
    const request = tls === undefined ? get(url, { agent: false, timeout: 1_000 }, onResponse) : httpsGet(url, { agent: false, timeout: 1_000, ...tls }, onResponse);
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
