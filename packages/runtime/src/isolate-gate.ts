import { availableParallelism } from 'node:os';
import { StratusError } from '@stratus/errors';

/** How many isolates of one process may execute JavaScript at once. */
export interface IsolateGateOptions {
  /**
   * Entries into isolates (an invocation, a timer tick, init) executing at
   * once; the rest wait their turn, shared fairly between owners (functions).
   * Default: the machine's cores (`os.availableParallelism()`).
   */
  readonly maxRunningIsolates?: number;
  /**
   * Extra slots, beyond `maxRunningIsolates`, that only an owner with nothing
   * running may take. isolated-vm cannot pause a running isolate, so without
   * them a light function's call would wait for one of a busy function's long
   * calls to end. Default 1; 0 disables.
   */
  readonly burstSlots?: number;
  /**
   * Extra slots, beyond the others, that only light entries may take: calls
   * into an environment whose last invocation used under a millisecond of
   * isolate CPU. Such an entry holds its slot mostly for two thread hops (in,
   * and the answer back to the process's main thread, which may be busy),
   * not for the CPU, so with one slot a node runs trivial handlers at the
   * pace of its main thread's turns. One that turns out heavy holds its slot
   * until it yields and is not light next time, so busy isolate threads stay
   * bounded by all the slots together. Default: the machine's cores + 1
   * (the size of isolated-vm's thread pool), or `maxRunningIsolates` when
   * more; 0 disables. Not tied to `maxRunningIsolates` alone: a local
   * cluster divides the cores among its nodes, and with 1 slot + 1 light
   * slot a node ran a function's trivial calls 2 at a time, its main thread
   * idle while each waited for a thread hop.
   */
  readonly lightSlots?: number;
  /**
   * Told when no entry of an owner waits for a slot any more (its last
   * waiting entry started or was cancelled): a worker node's pool that held
   * back a cold start while the function's calls queued here re-checks.
   * Default none.
   */
  readonly onOwnerCaughtUp?: (owner: string) => void;
}

/** A place in the gate's queue. */
export interface GateTicket {
  /** Drops the entry if it has not started yet (its `onCancel` runs); no effect once started. */
  cancel(): void;
}

/** One owner's (one function's) entries: its own queues, and its share of the slots. */
interface Owner {
  readonly key: string;
  running: number;
  waiting: number;
  /** When it last started an entry (a counter): the least recently served goes first among equals. */
  lastServed: number;
  readonly continuations: WaiterQueue;
  readonly newWork: WaiterQueue;
}

interface Waiter extends GateTicket {
  state: 'waiting' | 'started' | 'cancelled';
  readonly run: (ticket: GateTicket) => Promise<unknown>;
  /** undefined for background entries. */
  readonly owner: Owner | undefined;
  /** Whether it may take a light slot (see `lightSlots`). */
  readonly light: boolean;
}

/** Which slot an entry took: one of `maxRunningIsolates` or a burst slot, or a light slot. */
type Slot = 'regular' | 'light';

/** Above this, a bound no longer protects anything: each running isolate holds an OS thread. */
const MAX_RUNNING_ISOLATES_LIMIT = 4096;
const DEFAULT_BURST_SLOTS = 1;

/**
 * Which queue an entry waits in when no slot is free. 'continuation' (a
 * timer tick of started work) goes before its owner's 'new' entries.
 * 'background' work (making spare isolates) starts only when no other entry
 * runs or waits, so it never delays an invocation's own work.
 */
export type GatePriority = 'new' | 'continuation' | 'background';

/** A FIFO with a moving head; cancelled waiters stay in place and are skipped. */
class WaiterQueue {
  #items: Array<Waiter | undefined> = [];
  #head = 0;

  push(waiter: Waiter): void {
    this.#items.push(waiter);
  }

  /** The first waiter still waiting, left in place. */
  peek(): Waiter | undefined {
    return this.hasWaiting() ? this.#items[this.#head] : undefined;
  }

  /** Whether a waiter still waits (drops cancelled ones at the head). */
  hasWaiting(): boolean {
    const items = this.#items;
    while (this.#head < items.length && items[this.#head]?.state !== 'waiting') this.#head += 1;
    return this.#head < items.length;
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
 * Slots are shared between owners (functions), not handed out in one FIFO:
 * a free slot goes to the waiting owner with the fewest entries running
 * (then the one served least recently), so fifty calls of one function
 * cannot push another function's call behind all of them. An owner with
 * nothing running may also take a burst slot (see `burstSlots`). Within an
 * owner, continuations of started work (timer ticks) go before new work, so
 * a loaded process finishes what it started instead of spreading the CPU
 * over ever more invocations.
 */
export class IsolateGate {
  readonly maxRunningIsolates: number;
  readonly burstSlots: number;
  readonly lightSlots: number;
  /** Entries in regular and burst slots. */
  #running = 0;
  readonly #onOwnerCaughtUp: ((owner: string) => void) | undefined;
  /** Entries in light slots. */
  #lightRunning = 0;
  #peakRunning = 0;
  #waiting = 0;
  #served = 0;
  /** Owners with entries running or waiting. */
  readonly #owners = new Map<string, Owner>();
  /** Owners with entries waiting. */
  readonly #waitingOwners = new Set<Owner>();
  readonly #background = new WaiterQueue();

  constructor(options: IsolateGateOptions = {}) {
    const max = options.maxRunningIsolates ?? availableParallelism();
    if (!Number.isInteger(max) || max < 1 || max > MAX_RUNNING_ISOLATES_LIMIT) {
      throw new StratusError('INVALID_ARGUMENT', `maxRunningIsolates: must be an integer in [1, ${MAX_RUNNING_ISOLATES_LIMIT}], got ${max}`);
    }
    const burst = options.burstSlots ?? DEFAULT_BURST_SLOTS;
    if (!Number.isInteger(burst) || burst < 0 || burst > MAX_RUNNING_ISOLATES_LIMIT) {
      throw new StratusError('INVALID_ARGUMENT', `burstSlots: must be an integer in [0, ${MAX_RUNNING_ISOLATES_LIMIT}], got ${burst}`);
    }
    const light = options.lightSlots ?? defaultLightSlots(max);
    if (!Number.isInteger(light) || light < 0 || light > MAX_RUNNING_ISOLATES_LIMIT) {
      throw new StratusError('INVALID_ARGUMENT', `lightSlots: must be an integer in [0, ${MAX_RUNNING_ISOLATES_LIMIT}], got ${light}`);
    }
    this.maxRunningIsolates = max;
    this.burstSlots = burst;
    this.lightSlots = light;
    this.#onOwnerCaughtUp = options.onOwnerCaughtUp;
  }

  /** Entries executing now, in every kind of slot. */
  get running(): number {
    return this.#running + this.#lightRunning;
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
   * one frees up and it is `owner`'s turn; the slot is held until the
   * promise `run` returns settles. `run` must not throw.
   * `onCancel` runs instead of `run` when the ticket is cancelled first.
   * `owner` (default '') says whose work it is: slots are shared fairly
   * between owners.
   */
  enter(run: (ticket: GateTicket) => Promise<unknown>, onCancel: () => void, priority: GatePriority = 'new', owner = '', light = false): GateTicket {
    const entryOwner = priority === 'background' ? undefined : this.#owner(owner);
    const waiter: Waiter = {
      state: 'waiting',
      run,
      owner: entryOwner,
      light: light && entryOwner !== undefined,
      cancel: () => {
        if (waiter.state !== 'waiting') return;
        waiter.state = 'cancelled';
        this.#waiting -= 1;
        if (entryOwner !== undefined) {
          entryOwner.waiting -= 1;
          if (entryOwner.waiting === 0) this.#caughtUp(entryOwner);
          this.#dropIfIdle(entryOwner);
        }
        onCancel();
      },
    };
    if (entryOwner === undefined) {
      if (this.running === 0 && this.#waiting === 0) this.#start(waiter, 'regular');
      else {
        this.#waiting += 1;
        this.#background.push(waiter);
      }
      return waiter;
    }
    // Nothing else of any owner waits while a slot this entry may take is free.
    const slot = this.#slotFor(entryOwner, waiter.light);
    if (slot !== undefined) this.#start(waiter, slot);
    else {
      this.#waiting += 1;
      entryOwner.waiting += 1;
      this.#waitingOwners.add(entryOwner);
      (priority === 'continuation' ? entryOwner.continuations : entryOwner.newWork).push(waiter);
    }
    return waiter;
  }

  /** Runs `task` in a slot, waiting for one first (never a light one). */
  run<T>(task: () => Promise<T>, priority: GatePriority = 'new', owner = ''): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enter(
        () => {
          const settled = task();
          settled.then(resolve, reject);
          return settled;
        },
        () => reject(new StratusError('INTERNAL', 'isolate gate entry cancelled')),
        priority,
        owner,
      );
    });
  }

  #owner(key: string): Owner {
    let owner = this.#owners.get(key);
    if (owner === undefined) {
      owner = { key, running: 0, waiting: 0, lastServed: 0, continuations: new WaiterQueue(), newWork: new WaiterQueue() };
      this.#owners.set(key, owner);
    }
    return owner;
  }

  /** Entries of `owner` waiting for a slot now (0 for an owner unknown here). */
  waitingOf(owner: string): number {
    return this.#owners.get(owner)?.waiting ?? 0;
  }

  #caughtUp(owner: Owner): void {
    this.#waitingOwners.delete(owner);
    this.#onOwnerCaughtUp?.(owner.key);
  }

  #dropIfIdle(owner: Owner): void {
    if (owner.running === 0 && owner.waiting === 0 && this.#owners.get(owner.key) === owner) this.#owners.delete(owner.key);
  }

  /** The slot an entry of `owner` may take now, if any. */
  #slotFor(owner: Owner, light: boolean): Slot | undefined {
    if (this.#running < this.maxRunningIsolates || (owner.running === 0 && this.#running < this.maxRunningIsolates + this.burstSlots)) return 'regular';
    if (light && this.#lightRunning < this.lightSlots) return 'light';
    return undefined;
  }

  /** The waiting owner whose turn it is: fewest running, then a continuation waiting, then least recently served. */
  #nextOwner(): Owner | undefined {
    let best: Owner | undefined;
    let bestHasContinuation = false;
    for (const owner of this.#waitingOwners) {
      const hasContinuation = owner.continuations.hasWaiting();
      if (
        best === undefined ||
        owner.running < best.running ||
        (owner.running === best.running &&
          (hasContinuation !== bestHasContinuation ? hasContinuation : owner.lastServed < best.lastServed))
      ) {
        best = owner;
        bestHasContinuation = hasContinuation;
      }
    }
    return best;
  }

  #start(waiter: Waiter, slot: Slot): void {
    waiter.state = 'started';
    if (slot === 'light') this.#lightRunning += 1;
    else this.#running += 1;
    if (this.running > this.#peakRunning) this.#peakRunning = this.running;
    const owner = waiter.owner;
    if (owner !== undefined) {
      owner.running += 1;
      owner.lastServed = ++this.#served;
    }
    const leave = (): void => this.#leave(owner, slot);
    let task: Promise<unknown>;
    try {
      task = waiter.run(waiter);
    } catch (err) {
      leave();
      throw err;
    }
    task.then(leave, leave);
  }

  #leave(owner: Owner | undefined, slot: Slot): void {
    if (slot === 'light') this.#lightRunning -= 1;
    else this.#running -= 1;
    if (owner !== undefined) {
      owner.running -= 1;
      this.#dropIfIdle(owner);
    }
    for (;;) {
      const next = this.#nextOwner();
      if (next === undefined) break;
      const queue = next.continuations.hasWaiting() ? next.continuations : next.newWork;
      const head = queue.peek();
      if (head === undefined) {
        // Only cancelled entries were left (their owner's count says so already).
        this.#waitingOwners.delete(next);
        continue;
      }
      // The owner whose turn it is goes first: nobody passes it while its next entry waits for a slot.
      const nextSlot = this.#slotFor(next, head.light);
      if (nextSlot === undefined) break;
      queue.shift();
      this.#waiting -= 1;
      next.waiting -= 1;
      if (next.waiting === 0) this.#caughtUp(next);
      this.#start(head, nextSlot);
    }
    if (this.running > 0 || this.#waitingOwners.size > 0) return;
    // Only waiting background entries are left (counted in #waiting); one at a time.
    const background = this.#background.shift();
    if (background === undefined) return;
    this.#waiting -= 1;
    this.#start(background, 'regular');
  }
}

/** `IsolateGateOptions.lightSlots` when not given: enough light entries for isolated-vm's whole thread pool (cores + 1 threads). */
export function defaultLightSlots(maxRunningIsolates: number): number {
  return Math.max(maxRunningIsolates, availableParallelism() + 1);
}

/** Creates the gate a process's execution environments share (see IsolateGateOptions). */
export function createIsolateGate(options?: IsolateGateOptions): IsolateGate {
  return new IsolateGate(options);
}
