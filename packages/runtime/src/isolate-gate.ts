import { availableParallelism } from 'node:os';
import { StratusError } from '@stratus/errors';

/** How many isolates of one process may execute JavaScript at once. */
export interface IsolateGateOptions {
  /**
   * Entries into isolates (an invocation, a timer tick, init) executing at
   * once; the rest wait their turn (continuations of started work first,
   * then in arrival order). Default: the machine's cores
   * (`os.availableParallelism()`).
   */
  readonly maxRunningIsolates?: number;
}

/** A place in the gate's queue. */
export interface GateTicket {
  /** Drops the entry if it has not started yet (its `onCancel` runs); no effect once started. */
  cancel(): void;
}

interface Waiter extends GateTicket {
  state: 'waiting' | 'started' | 'cancelled';
  readonly run: (ticket: GateTicket) => Promise<unknown>;
}

/** Above this, a bound no longer protects anything: each running isolate holds an OS thread. */
const MAX_RUNNING_ISOLATES_LIMIT = 4096;

/**
 * Which queue an entry waits in when no slot is free. 'background' work
 * (making spare isolates) starts only when no other entry runs or waits, so
 * it never delays an invocation's own work.
 */
export type GatePriority = 'new' | 'continuation' | 'background';

/** A FIFO with a moving head; cancelled waiters stay in place and are skipped. */
class WaiterQueue {
  #items: Array<Waiter | undefined> = [];
  #head = 0;

  push(waiter: Waiter): void {
    this.#items.push(waiter);
  }

  shift(): Waiter | undefined {
    const items = this.#items;
    while (this.#head < items.length) {
      const waiter = items[this.#head];
      items[this.#head] = undefined;
      this.#head += 1;
      if (waiter?.state === 'waiting') {
        // Drop consumed slots once they are most of the array.
        if (this.#head > 1024 && this.#head * 2 > items.length) {
          this.#items = items.slice(this.#head);
          this.#head = 0;
        }
        return waiter;
      }
    }
    this.#items = [];
    this.#head = 0;
    return undefined;
  }
}

/**
 * Bounds how many isolates execute at once in this process. isolated-vm runs
 * each busy isolate on a thread of its own (its pool has cores + 1 threads,
 * and it starts a detached thread per task beyond that), so without a bound
 * N busy isolates are N runnable threads and the process's main thread waits
 * behind all of them for a CPU: its timers, lease keep-alives and heartbeats
 * stop. One gate per process, shared by every execution environment.
 *
 * Continuations of work already started (timer ticks of a running
 * invocation) go before new work, so a loaded process finishes what it
 * started instead of spreading the CPU over ever more invocations.
 */
export class IsolateGate {
  readonly maxRunningIsolates: number;
  #running = 0;
  #peakRunning = 0;
  #waiting = 0;
  readonly #continuations = new WaiterQueue();
  readonly #newWork = new WaiterQueue();
  readonly #background = new WaiterQueue();

  constructor(options: IsolateGateOptions = {}) {
    const max = options.maxRunningIsolates ?? availableParallelism();
    if (!Number.isInteger(max) || max < 1 || max > MAX_RUNNING_ISOLATES_LIMIT) {
      throw new StratusError('INVALID_ARGUMENT', `maxRunningIsolates: must be an integer in [1, ${MAX_RUNNING_ISOLATES_LIMIT}], got ${max}`);
    }
    this.maxRunningIsolates = max;
  }

  /** Entries executing now. */
  get running(): number {
    return this.#running;
  }

  /** The most entries that ever executed at once. */
  get peakRunning(): number {
    return this.#peakRunning;
  }

  /** Entries waiting for a slot (cancelled ones not counted). */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Calls `run` (with this entry's ticket) now if a slot is free, else once
   * one frees up; the slot is held until the promise `run` returns settles.
   * `run` must not throw.
   * `onCancel` runs instead of `run` when the ticket is cancelled first.
   */
  enter(run: (ticket: GateTicket) => Promise<unknown>, onCancel: () => void, priority: GatePriority = 'new'): GateTicket {
    const waiter: Waiter = {
      state: 'waiting',
      run,
      cancel: () => {
        if (waiter.state !== 'waiting') return;
        waiter.state = 'cancelled';
        this.#waiting -= 1;
        onCancel();
      },
    };
    const free = priority === 'background' ? this.#running === 0 && this.#waiting === 0 : this.#running < this.maxRunningIsolates;
    if (free) this.#start(waiter);
    else {
      this.#waiting += 1;
      (priority === 'continuation' ? this.#continuations : priority === 'background' ? this.#background : this.#newWork).push(waiter);
    }
    return waiter;
  }

  /** Runs `task` in a slot, waiting for one first. */
  run<T>(task: () => Promise<T>, priority: GatePriority = 'new'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enter(
        () => {
          const settled = task();
          settled.then(resolve, reject);
          return settled;
        },
        () => reject(new StratusError('INTERNAL', 'isolate gate entry cancelled')),
        priority,
      );
    });
  }

  #start(waiter: Waiter): void {
    waiter.state = 'started';
    this.#running += 1;
    if (this.#running > this.#peakRunning) this.#peakRunning = this.#running;
    const leave = (): void => this.#leave();
    let task: Promise<unknown>;
    try {
      task = waiter.run(waiter);
    } catch (err) {
      leave();
      throw err;
    }
    task.then(leave, leave);
  }

  #leave(): void {
    this.#running -= 1;
    while (this.#running < this.maxRunningIsolates) {
      const next = this.#continuations.shift() ?? this.#newWork.shift();
      if (next === undefined) break;
      this.#waiting -= 1;
      this.#start(next);
    }
    if (this.#running > 0) return;
    // Only waiting background entries are left (counted in #waiting); one at a time.
    const background = this.#background.shift();
    if (background === undefined) return;
    this.#waiting -= 1;
    this.#start(background);
  }
}

/** Creates the gate a process's execution environments share (see IsolateGateOptions). */
export function createIsolateGate(options?: IsolateGateOptions): IsolateGate {
  return new IsolateGate(options);
}
