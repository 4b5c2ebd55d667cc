import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StratusError } from '@stratus/errors';
import type { BundleOptions, BundleResult } from './bundle-function.js';
import type { DeployReply, DeployRequest } from './deploy-worker.js';

export interface DeployBundlerOptions {
  /** Deploys bundling at once, each in its own process. Default 2. */
  readonly maxRunning?: number;
  /** Deploys waiting for a free slot; past that a deploy is refused at once with THROTTLED. Default 4. */
  readonly maxWaiting?: number;
  /** How long one deploy may unzip and bundle before its process is killed. Default 30_000 ms. */
  readonly timeLimitMs?: number;
  /** V8 heap limit of each bundling process. Default 1024 MB. */
  readonly heapMb?: number;
}

/** Resolved from src/ (tests) and dist/ alike: the worker always runs built. */
const WORKER_PATH = fileURLToPath(new URL('../dist/deploy-worker.js', import.meta.url));
const STDERR_KEPT_BYTES = 4096;
const RETRY_AFTER_MS = 1000;

type State = 'running' | 'draining' | 'closed';

interface Waiter {
  readonly start: () => void;
  readonly refuse: (err: StratusError) => void;
}

/**
 * Unzips and bundles deploys off the caller's event loop: each in a child
 * process of its own, with a heap limit and a time limit, after which the
 * process (and esbuild's service under it) is killed. A child process rather
 * than a worker thread because it can be killed outright mid-inflate or
 * mid-build, its memory is capped and returned to the system when it exits,
 * and esbuild's service process dies with it. At most `maxRunning` run at
 * once and `maxWaiting` wait; the rest are refused with THROTTLED.
 */
export class DeployBundler {
  readonly #maxRunning: number;
  readonly #maxWaiting: number;
  readonly #timeLimitMs: number;
  readonly #heapMb: number;
  readonly #waiting: Waiter[] = [];
  readonly #children = new Set<ChildProcess>();
  #running = 0;
  #state: State = 'running';
  #idle: (() => void) | undefined;
  #drained: Promise<void> | undefined;

  private constructor(options: DeployBundlerOptions) {
    this.#maxRunning = positiveInteger('maxRunning', options.maxRunning ?? 2);
    this.#maxWaiting = nonNegativeInteger('maxWaiting', options.maxWaiting ?? 4);
    this.#timeLimitMs = positiveInteger('timeLimitMs', options.timeLimitMs ?? 30_000);
    this.#heapMb = positiveInteger('heapMb', options.heapMb ?? 1024);
  }

  static create(options: DeployBundlerOptions = {}): DeployBundler {
    return new DeployBundler(options);
  }

  /** Deploys bundling now and waiting for a slot. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /** Bundles in a child process, as bundleFunction would in this one. */
  async bundle(options: BundleOptions): Promise<BundleResult> {
    await this.#acquire();
    try {
      return await this.#runChild({ zip: options.zip, handler: options.handler });
    } finally {
      this.#release();
    }
  }

  /** Refuses new deploys and waits for those admitted. Idempotent. */
  drain(): Promise<void> {
    if (this.#state === 'running') this.#state = 'draining';
    this.#drained ??= new Promise<void>((resolve) => {
      if (this.#running === 0 && this.#waiting.length === 0) resolve();
      else this.#idle = resolve;
    });
    return this.#drained;
  }

  /** Refuses what waits and kills what runs (those deploys fail with SHUTTING_DOWN). Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(shuttingDown());
    for (const child of this.#children) killGroup(child);
    await this.drain();
  }

  #acquire(): Promise<void> {
    if (this.#state !== 'running') return Promise.reject(shuttingDown());
    if (this.#running < this.#maxRunning) {
      this.#running++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.#maxWaiting) {
      return Promise.reject(
        new StratusError(
          'THROTTLED',
          `too many deploys in progress on this frontend (${this.#running} bundling, ${this.#waiting.length} waiting); retry shortly`,
          { details: { reason: 'DeployConcurrencyLimitExceeded', retryAfterMs: String(RETRY_AFTER_MS) } },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({
        start: () => {
          this.#running++;
          resolve();
        },
        refuse: reject,
      });
    });
  }

  #release(): void {
    this.#running--;
    const next = this.#waiting.shift();
    if (next) next.start();
    else if (this.#running === 0 && this.#idle) this.#idle();
  }

  #runChild(request: DeployRequest): Promise<BundleResult> {
    if (this.#state === 'closed') return Promise.reject(shuttingDown());
    return new Promise<BundleResult>((resolve, reject) => {
      const child = fork(WORKER_PATH, [], {
        execArgv: [`--max-old-space-size=${this.#heapMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        // Its own process group, so a kill reaches esbuild's service too.
        detached: true,
      });
      this.#children.add(child);
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (text: string) => {
        stderr = (stderr + text).slice(-STDERR_KEPT_BYTES);
      });
      let reply: DeployReply | undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, this.#timeLimitMs);
      child.on('message', (message: DeployReply) => {
        reply = message;
      });
      child.once('error', (err) => {
        // Spawning failed; 'close' may not follow.
        clearTimeout(timer);
        this.#children.delete(child);
        reject(new StratusError('INTERNAL', `could not start a bundling process: ${err.message}`, { cause: err }));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.#children.delete(child);
        if (reply?.ok === true) resolve(reply.result);
        else if (reply?.ok === false) reject(StratusError.fromWire(reply.error));
        else if (timedOut) {
          reject(
            new StratusError('INVALID_CODE', `unzipping and bundling the code took longer than the deploy time limit (${this.#timeLimitMs / 1000} s) and was stopped`, {
              details: { reason: 'DeployTimeLimitExceeded' },
            }),
          );
        } else if (this.#state === 'closed') reject(shuttingDown());
        else if (/heap out of memory|Allocation failed/i.test(stderr)) {
          reject(new StratusError('INVALID_CODE', `bundling the code needed more than ${this.#heapMb} MB of memory and was stopped`));
        } else {
          reject(new StratusError('INTERNAL', `the bundling process ended without an answer (exit code ${code}, signal ${signal}): ${stderr.trim().slice(-500)}`));
        }
      });
      child.send(request, (err) => {
        if (err) killGroup(child);
      });
    });
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function shuttingDown(): StratusError {
  return new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry the deploy on another');
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new StratusError('INVALID_ARGUMENT', `${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new StratusError('INVALID_ARGUMENT', `${name} must be a whole number of at least 0, got ${value}`);
  return value;
}
