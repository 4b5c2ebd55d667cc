import { StratusError } from '@stratus/errors';
import { IsolateGate } from './isolate-gate.js';
import { IsolateShell } from './isolate-shell.js';
import type { HashPool } from './hash-pool.js';

/** How many spare isolate shells a process keeps ready, and how it makes them. */
export interface ShellPoolOptions {
  /**
   * The process's isolate gate (createIsolateGate): making a shell runs
   * isolate work and waits for a slot like any other. Default: a gate of the
   * pool's own with one slot.
   */
  readonly isolateGate?: IsolateGate;
  /** Spare shells kept per memory size asked for recently. Default 2; 0 keeps none. */
  readonly sparesPerMemorySize?: number;
  /** Memory sizes kept spares for at once; the least recently asked for loses its spares first. Default 4. */
  readonly maxMemorySizes?: number;
  /** A memory size not asked for within this long loses its spares. Default 300 000 (5 min). */
  readonly idleMs?: number;
  /**
   * Runs each background shell creation when the process has room for it
   * (a worker node passes its cold-start limiter, so spares never delay a
   * call). Default: run at once.
   */
  readonly schedule?: (task: () => Promise<void>) => Promise<void>;
  /** Given to every isolate the pool makes (see ExecutionEnvironmentOptions.onCatastrophicError). Default: none. */
  readonly onCatastrophicError?: (message: string) => void;
  /** Called when making a spare fails (the next request retries). Default: ignored. */
  readonly onError?: (err: unknown) => void;
  /** Given to every isolate the pool makes (see ExecutionEnvironmentOptions.hashPool). Default: none. */
  readonly hashPool?: HashPool;
}

interface SizeSlot {
  readonly spares: IsolateShell[];
  creating: boolean;
  lastAskedMs: number;
}

const MAX_SPARES_PER_SIZE = 64;
const MAX_MEMORY_SIZES = 64;

/**
 * Spare isolate shells (isolate + context + runtime bootstrap, no function)
 * per memory size, so a cold start only has to compile and evaluate the
 * function's own code. Sizes are kept for as long as they are asked for;
 * after each `take` the pool refills in the background.
 */
export class ShellPool {
  readonly sparesPerMemorySize: number;
  readonly #maxMemorySizes: number;
  readonly #idleMs: number;
  readonly #gate: IsolateGate;
  readonly #schedule: (task: () => Promise<void>) => Promise<void>;
  readonly #onCatastrophicError: ((message: string) => void) | undefined;
  readonly #onError: (err: unknown) => void;
  readonly #hashPool: HashPool | undefined;
  /** Insertion order is recency of asking: the first entry is the least recently asked for. */
  readonly #sizes = new Map<number, SizeSlot>();
  readonly #reaper: NodeJS.Timeout;
  #hits = 0;
  #misses = 0;
  #made = 0;
  #closed = false;

  constructor(options: ShellPoolOptions = {}) {
    this.sparesPerMemorySize = boundedInteger(options.sparesPerMemorySize ?? 2, 'sparesPerMemorySize', 0, MAX_SPARES_PER_SIZE);
    this.#maxMemorySizes = boundedInteger(options.maxMemorySizes ?? 4, 'maxMemorySizes', 1, MAX_MEMORY_SIZES);
    const idleMs = options.idleMs ?? 300_000;
    if (!(idleMs > 0)) throw new StratusError('INVALID_ARGUMENT', `idleMs: must be a positive number, got ${idleMs}`);
    this.#idleMs = idleMs;
    this.#gate = options.isolateGate ?? new IsolateGate({ maxRunningIsolates: 1 });
    this.#schedule = options.schedule ?? ((task) => task());
    this.#onCatastrophicError = options.onCatastrophicError;
    this.#onError = options.onError ?? (() => undefined);
    this.#hashPool = options.hashPool;
    this.#reaper = setInterval(() => this.#maintain(), Math.max(10, Math.min(this.#idleMs / 4, 5000)));
    this.#reaper.unref();
  }

  /** Spare shells ready now, all sizes. */
  get spares(): number {
    let n = 0;
    for (const slot of this.#sizes.values()) n += slot.spares.length;
    return n;
  }

  /** Takes that found a spare shell, takes that did not (each made a shell of its own), and spare shells made. */
  get stats(): { readonly hits: number; readonly misses: number; readonly made: number } {
    return { hits: this.#hits, misses: this.#misses, made: this.#made };
  }

  /**
   * A spare shell for `memoryMb`, or undefined when none is ready (the
   * caller makes its own). Either way the size counts as asked for; the
   * caller calls `prepare` once its cold start is over, to refill (else the
   * pool's periodic check does).
   */
  take(memoryMb: number): IsolateShell | undefined {
    if (this.#closed || this.sparesPerMemorySize === 0) return undefined;
    const slot = this.#touch(memoryMb);
    let shell: IsolateShell | undefined;
    while ((shell = slot.spares.pop()) !== undefined && !shell.available) shell.dispose();
    if (shell === undefined) this.#misses += 1;
    else this.#hits += 1;
    return shell;
  }

  /**
   * Tops up the spares of `memoryMb` in the background. An environment calls
   * it after its first invocation, not at take(): made during the cold
   * start, a spare would compete with it for the CPU it was meant to save.
   */
  prepare(memoryMb: number): void {
    if (this.#closed || this.sparesPerMemorySize === 0) return;
    this.#refill(memoryMb, this.#touch(memoryMb));
  }

  /** Disposes every spare and stops refilling. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const slot of this.#sizes.values()) this.#disposeAll(slot);
    this.#sizes.clear();
  }

  #touch(memoryMb: number): SizeSlot {
    const slot = this.#sizes.get(memoryMb) ?? { spares: [], creating: false, lastAskedMs: 0 };
    slot.lastAskedMs = Date.now();
    this.#sizes.delete(memoryMb);
    this.#sizes.set(memoryMb, slot);
    for (const [size, oldest] of this.#sizes) {
      if (this.#sizes.size <= this.#maxMemorySizes) break;
      this.#disposeAll(oldest);
      this.#sizes.delete(size);
    }
    return slot;
  }

  /** One shell at a time per size, so refilling never takes more than its share of the node. */
  #refill(memoryMb: number, slot: SizeSlot): void {
    if (slot.creating || slot.spares.length >= this.sparesPerMemorySize) return;
    slot.creating = true;
    const made = this.#schedule(async () => {
      // Lets the caller's next isolate work (a first invocation right after
      // init) enter the gate first: background work waits for a quiet gate.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#closed || this.#sizes.get(memoryMb) !== slot) return;
      const shell = await this.#gate.run(() => IsolateShell.create(memoryMb, this.#onCatastrophicError, this.#hashPool), 'background');
      this.#made += 1;
      if (this.#closed || this.#sizes.get(memoryMb) !== slot) shell.dispose();
      else slot.spares.unshift(shell);
    });
    made.then(
      () => {
        slot.creating = false;
        if (!this.#closed && this.#sizes.get(memoryMb) === slot) this.#refill(memoryMb, slot);
      },
      (err: unknown) => {
        // The next take() tries again; a failing isolate setup must not spin.
        slot.creating = false;
        this.#onError(err);
      },
    );
  }

  /** Lets go of sizes no longer asked for; refills the others (a taken shell whose environment never ran, a failed refill). */
  #maintain(): void {
    const cutoff = Date.now() - this.#idleMs;
    for (const [size, slot] of this.#sizes) {
      if (slot.lastAskedMs > cutoff) {
        this.#refill(size, slot);
        continue;
      }
      this.#disposeAll(slot);
      this.#sizes.delete(size);
    }
  }

  #disposeAll(slot: SizeSlot): void {
    for (const shell of slot.spares.splice(0)) shell.dispose();
  }
}

/** Creates a process's pool of spare isolate shells (see ShellPoolOptions); pass it to createExecutionEnvironment as `shells`. */
export function createShellPool(options?: ShellPoolOptions): ShellPool {
  return new ShellPool(options);
}

function boundedInteger(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StratusError('INVALID_ARGUMENT', `${field}: must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}
