import { cpus } from 'node:os';

/** Default for `DispatcherOptions.spreadMinIdleMillicores`: half a core of this machine idle. */
export const DEFAULT_SPREAD_MIN_IDLE_MILLICORES = 500;

/** How often the machine's idle time is read: often enough to follow a load that starts or stops, rare enough to cost nothing per call. */
const SAMPLE_INTERVAL_MS = 500;

/**
 * Weight of the newest interval in the running figure (about 1.5 s of memory
 * at 0.5 s intervals): a busy machine shows a moment of idle now and then (a
 * pause in a client, a process asleep on I/O), and each would otherwise send
 * calls to other nodes on the machine, cold-starting environments there.
 */
const NEWEST_WEIGHT = 0.3;

export interface HostIdleOptions {
  /** The machine's idle CPU time so far, summed over its cores, in ms. Default: `os.cpus()`'s idle times. */
  readonly readIdleMs?: () => number;
  /** Default `performance.now`. */
  readonly now?: () => number;
  /** Default 500 ms; 0 takes no samples (for tests that call `sample`). */
  readonly intervalMs?: number;
}

/**
 * How much of this machine's CPU is idle, in millicores (1000 = one whole
 * core), over the last few sampling intervals. A combined process reads it to
 * decide whether a call it could queue here is worth sending to another node
 * on the same machine: that node's CPU is this machine's, so the call only
 * gains where cores sit idle (see `DispatcherOptions.spreadMinIdleMillicores`).
 * Until two samples are taken it reports `Infinity` (unknown counts as idle,
 * which is how calls were spread before it was measured).
 */
export class HostIdle {
  readonly #readIdleMs: () => number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  #lastIdleMs: number;
  #lastAtMs: number;
  #idleMillicores = Number.POSITIVE_INFINITY;

  constructor(options: HostIdleOptions = {}) {
    this.#readIdleMs = options.readIdleMs ?? osIdleMs;
    this.#now = options.now ?? (() => performance.now());
    this.#lastIdleMs = this.#readIdleMs();
    this.#lastAtMs = this.#now();
    const intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
    if (intervalMs > 0) {
      this.#timer = setInterval(() => this.sample(), intervalMs);
      // Never keeps a process alive on its own.
      this.#timer.unref();
    }
  }

  /** Idle CPU over the last intervals (a running mean), in millicores; `Infinity` before the first interval ended. */
  get idleMillicores(): number {
    return this.#idleMillicores;
  }

  /** Reads the machine's idle time now and measures the interval since the last reading (the timer calls it). */
  sample(): void {
    const idleMs = this.#readIdleMs();
    const atMs = this.#now();
    const wallMs = atMs - this.#lastAtMs;
    // A clock that did not move gives no figure; a counter that went back (a core taken offline) starts afresh.
    if (wallMs > 0 && idleMs >= this.#lastIdleMs) {
      const latest = ((idleMs - this.#lastIdleMs) / wallMs) * 1000;
      const before = this.#idleMillicores;
      this.#idleMillicores = before === Number.POSITIVE_INFINITY ? latest : before + NEWEST_WEIGHT * (latest - before);
    }
    this.#lastIdleMs = idleMs;
    this.#lastAtMs = atMs;
  }

  /** Stops sampling. Idempotent. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }
}

function osIdleMs(): number {
  let idleMs = 0;
  for (const cpu of cpus()) idleMs += cpu.times.idle;
  return idleMs;
}
