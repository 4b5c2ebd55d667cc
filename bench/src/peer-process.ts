import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';

export interface PeerProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr go here, so a failure can quote them without the bench reading every line. */
  readonly logFile: string;
  /** Ready once a POST of `payload` here answers 2xx. */
  readonly url: string;
  readonly payload: string;
  /** How long to wait for the first 2xx. */
  readonly readyTimeoutMs: number;
}

export interface PeerProcess {
  readonly pid: number;
  /** From spawn until the first 2xx answer. */
  readonly startupMs: number;
  /** Idempotent: SIGTERM to the process group, SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const PROBE_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_LINES = 20;

/**
 * Starts a peer server in a process group of its own (so a stop reaches every
 * process it starts) and waits until it answers. A guard shell kills the
 * group if the bench dies without stopping it (Ctrl-C, a crash), since the
 * group does not get the terminal's signals.
 */
export async function startPeerProcess(options: PeerProcessOptions): Promise<PeerProcess> {
  const startedAt = performance.now();
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log],
      detached: true,
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => {
      if (child.pid === undefined) resolve();
    });
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  const guard = pid === undefined ? undefined : guardGroup(pid);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
        signalGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<'grace over'>((resolve) => {
          timer = setTimeout(() => resolve('grace over'), STOP_GRACE_MS);
        });
        const first = await Promise.race([exited, graceOver]);
        clearTimeout(timer);
        if (first === 'grace over') {
          signalGroup(pid, 'SIGKILL');
          await exited;
        }
      }
      // Whatever the leader left in its group (a worker it spawned) goes too.
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      guard?.release();
    })();
    return stopping;
  };
  try {
    if (pid === undefined) throw await spawnError;
    await waitUntilAnswering(options, exited);
  } catch (err) {
    await stop();
    const tail = await logTail(options.logFile);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(tail ? `${message}; its output ended with:\n${tail}` : message);
  }
  return { pid, startupMs: performance.now() - startedAt, stop };
}

async function waitUntilAnswering(options: PeerProcessOptions, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = performance.now() + options.readyTimeoutMs;
  let last = 'no answer';
  for (;;) {
    if (gone) throw new Error(`${options.command} exited before answering`);
    const status = await probe(options.url, options.payload).catch((err: Error) => err.message);
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    last = typeof status === 'number' ? `HTTP ${status}` : status;
    if (performance.now() > deadline) throw new Error(`${options.url} did not answer 2xx within ${options.readyTimeoutMs} ms (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

function probe(url: string, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(payload, 'utf8');
    const req = request(url, { method: 'POST', timeout: 5_000, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * A shell blocked reading a pipe from us: when the bench dies the pipe
 * closes, the read returns and it kills the peer's process group.
 */
function guardGroup(pid: number): { release(): void } {
  const guard = spawn('/bin/sh', ['-c', 'read _; kill -9 -"$1" 2>/dev/null', 'stratus-peer-guard', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  guard.on('error', () => undefined);
  guard.stdin?.on('error', () => undefined);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Killed before its pipe closes, so it never sends its signal.
      guard.kill('SIGKILL');
      guard.stdin?.destroy();
    },
  };
}

async function logTail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '';
  }
}
