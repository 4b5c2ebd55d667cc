import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { describeExit, type ExitStatus } from './child-process.js';

/** How a dead child is brought back. */
export interface RestartPolicy {
  /** Wait before the first restart after a crash. Default 100. */
  readonly initialDelayMs?: number;
  /** The wait doubles with each crash in a row, up to this. Default 5 000. */
  readonly maxDelayMs?: number;
  /** A child that stayed up this long has its crash count reset: its next crash restarts after `initialDelayMs` again. Default 10 000. */
  readonly stableAfterMs?: number;
}

export interface ResolvedRestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly stableAfterMs: number;
}

export function resolveRestartPolicy(policy: RestartPolicy = {}): ResolvedRestartPolicy {
  return {
    initialDelayMs: policy.initialDelayMs ?? 100,
    maxDelayMs: policy.maxDelayMs ?? 5_000,
    stableAfterMs: policy.stableAfterMs ?? 10_000,
  };
}

/** The wait before restart number `crashesInARow` (1 for the first crash after a stable run). */
export function restartDelayMs(policy: ResolvedRestartPolicy, crashesInARow: number): number {
  const doublings = Math.max(0, crashesInARow - 1);
  // Capped before the power grows past what a double holds exactly.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(doublings, 30));
}

/** Crashes in a row after which the log calls it a crash loop (it keeps retrying). */
export const CRASH_LOOP_AFTER = 5;

/** What kind of child: the servers, or one of the services. */
export type ChildKind = 'nats-server' | 'etcd' | 'frontend' | 'node' | 'billing' | 'combined';

/** Reported each time a child has been restarted and is ready again. */
export interface RestartEvent {
  /** 'nats-server', 'etcd', 'billing', 'frontend', 'frontend-2', or a node id. */
  readonly name: string;
  readonly kind: ChildKind;
  /** How many times this child has been restarted in all, this one included. */
  readonly restarts: number;
  /** The new process. */
  readonly pid: number;
  /** How the previous process ended. */
  readonly exit: ExitStatus;
  /** From the previous process's exit until the new one was ready. */
  readonly downMs: number;
}

/** One running incarnation of a supervised child. */
export interface SupervisedRun {
  readonly pid: number;
  readonly exited: Promise<ExitStatus>;
  /** True when the exit was asked for (stop, killNode, restartBilling): such an exit is not a crash and is not restarted. */
  readonly stopRequested: () => boolean;
}

export interface SuperviseOptions {
  readonly name: string;
  readonly kind: ChildKind;
  /** The incarnation already running (and ready). */
  readonly running: SupervisedRun;
  /** Starts a new incarnation on the same ports and data dirs, resolving once it is ready. */
  readonly restart: () => Promise<SupervisedRun>;
}

/**
 * Restarts children that die without being asked to, with exponential
 * backoff, until it is closed. It never gives up: a crash loop is logged and
 * retried at the longest delay, since the cause (a port taken, a disk full)
 * can go away.
 */
export class Supervisor {
  readonly #policy: ResolvedRestartPolicy;
  readonly #log: Logger;
  readonly #onRestart: ((event: RestartEvent) => void) | undefined;
  readonly #restarts = new Map<string, number>();
  readonly #waiters = new Set<{ readonly name: string; readonly count: number; readonly resolve: () => void; readonly reject: (err: Error) => void }>();
  readonly #loops = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(options: { readonly policy: ResolvedRestartPolicy; readonly log: Logger; readonly onRestart?: ((event: RestartEvent) => void) | undefined }) {
    this.#policy = options.policy;
    this.#log = options.log;
    this.#onRestart = options.onRestart;
  }

  /** Restarts per child name, for children restarted at least once. */
  get restarts(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#restarts);
  }

  /**
   * Resolves once `name` has been restarted `count` times in all and is
   * ready; at once if it already has. Rejects with SHUTTING_DOWN on close().
   */
  waitForRestarts(name: string, count: number): Promise<void> {
    if ((this.#restarts.get(name) ?? 0) >= count) return Promise.resolve();
    if (this.#closing.signal.aborted) return Promise.reject(new StratusError('SHUTTING_DOWN', 'the supervisor is closed'));
    return new Promise((resolve, reject) => this.#waiters.add({ name, count, resolve, reject }));
  }

  /** Watches `running` and restarts it, and each incarnation after it, whenever it dies unasked. */
  supervise(options: SuperviseOptions): void {
    if (this.#closing.signal.aborted) return;
    const loop = this.#watch(options).catch((err: unknown) => this.#log.error({ err, child: options.name }, `supervising ${options.name} failed`));
    this.#loops.add(loop);
    void loop.finally(() => this.#loops.delete(loop));
  }

  /** Stops restarting anything and waits for restarts under way to finish or give up. Idempotent. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const waiter of this.#waiters) waiter.reject(new StratusError('SHUTTING_DOWN', `stopped before ${waiter.name} was restarted`));
    this.#waiters.clear();
    await Promise.all(this.#loops);
  }

  async #watch({ name, kind, running, restart }: SuperviseOptions): Promise<void> {
    const { signal } = this.#closing;
    let current: SupervisedRun | undefined = running;
    let readyAt = Date.now();
    let crashesInARow = 0;
    let lastExit: ExitStatus = { code: null, signal: null };
    let downSince = Date.now();
    for (;;) {
      if (current !== undefined) {
        const exit = await untilAborted(current.exited, signal);
        if (exit === undefined || signal.aborted || current.stopRequested()) return;
        lastExit = exit;
        downSince = Date.now();
        if (downSince - readyAt >= this.#policy.stableAfterMs) crashesInARow = 0;
      }
      crashesInARow += 1;
      const delayMs = restartDelayMs(this.#policy, crashesInARow);
      const what = current === undefined ? 'failed to restart' : describeExit(lastExit);
      if (crashesInARow >= CRASH_LOOP_AFTER) {
        this.#log.error({ child: name, crashesInARow, delayMs }, `${name} is crash-looping (${crashesInARow} failures in a row, last: ${what}); restarting in ${delayMs} ms`);
      } else {
        this.#log.warn({ child: name, crashesInARow, delayMs }, `${name} ${what}; restarting in ${delayMs} ms`);
      }
      if (!(await sleep(delayMs, signal))) return;
      try {
        current = await restart();
      } catch (err) {
        if (signal.aborted) return;
        this.#log.warn({ err, child: name }, `restarting ${name} failed`);
        current = undefined;
        continue;
      }
      readyAt = Date.now();
      const restarts = (this.#restarts.get(name) ?? 0) + 1;
      this.#restarts.set(name, restarts);
      const event: RestartEvent = { name, kind, restarts, pid: current.pid, exit: lastExit, downMs: readyAt - downSince };
      this.#log.info({ child: name, pid: event.pid, restarts, downMs: event.downMs }, `${name} restarted (pid ${event.pid}, down ${event.downMs} ms)`);
      for (const waiter of this.#waiters) {
        if (waiter.name === name && restarts >= waiter.count) {
          this.#waiters.delete(waiter);
          waiter.resolve();
        }
      }
      try {
        this.#onRestart?.(event);
      } catch (err) {
        this.#log.warn({ err }, 'the onRestart callback threw');
      }
    }
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What `promise` resolves to, or undefined as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
