// The host keeps a single alarm per isolate ("wake me at T"); the timer table lives here, inside the isolate's
// memory limit, so user code cannot make the host hold one native timer per setTimeout. Each alarm runs one due
// timer as its own task, so microtasks drain between timer callbacks as in Node.
import { errorJson } from './lambda-error.js';
import { sendSignal } from './log.js';
import { addRefs, current, noteLoopMaybeEmpty, requestWake, setCurrent } from './loop.js';
import { inspect } from './format.js';
import { DateNow, NumberCtor, ReflectApply, TypeErrorCtor, resolved, promiseThen } from './primordials.js';

const TIMEOUT_MAX = 2147483647;

interface Timer {
  readonly id: number;
  readonly handle: TimerHandle;
  readonly callback: (...args: unknown[]) => unknown;
  readonly args: unknown[];
  readonly delay: number;
  readonly repeat: boolean;
  due: number;
  order: number;
  refed: boolean;
}

const timerTable = new Map<number, Timer>();
let nextTimerId = 1;
let nextOrder = 1;

class TimerHandle {
  #id: number;
  constructor(id: number) {
    this.#id = id;
  }
  static idOf(value: unknown): number | undefined {
    return value !== null && typeof value === 'object' && #id in value ? value.#id : undefined;
  }
  ref(): this {
    setRefed(this.#id, true);
    return this;
  }
  unref(): this {
    setRefed(this.#id, false);
    return this;
  }
  hasRef(): boolean {
    const timer = timerTable.get(this.#id);
    return timer !== undefined && timer.refed;
  }
  [Symbol.toPrimitive](): number {
    return this.#id;
  }
}

class Timeout extends TimerHandle {
  refresh(): this {
    const timer = timerTable.get(TimerHandle.idOf(this) as number);
    if (timer !== undefined) {
      timer.due = DateNow() + timer.delay;
      timer.order = nextOrder++;
      requestWake(timer.due);
    }
    return this;
  }
  close(): this {
    clearTimer(this);
    return this;
  }
}

class Immediate extends TimerHandle {}

function setRefed(id: number, refed: boolean): void {
  const timer = timerTable.get(id);
  if (timer === undefined || timer.refed === refed) return;
  timer.refed = refed;
  addRefs(refed ? 1 : -1);
  noteLoopMaybeEmpty();
}

function normalizeDelay(delay: unknown): number {
  const ms = NumberCtor(delay);
  return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
}

function callbackTypeError(callback: unknown): TypeError {
  return new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(callback, 0, []));
}

export function addTimer(callback: unknown, delay: unknown, args: unknown[], repeat: boolean, immediate: boolean): TimerHandle {
  if (typeof callback !== 'function') throw callbackTypeError(callback);
  const id = nextTimerId++;
  const handle = immediate ? new Immediate(id) : new Timeout(id);
  const ms = immediate ? 0 : normalizeDelay(delay);
  // Immediates are due at epoch 0: before any timer, and "now" for the host.
  const due = immediate ? 0 : DateNow() + ms;
  timerTable.set(id, {
    id: id,
    handle: handle,
    callback: callback as (...args: unknown[]) => unknown,
    args: args,
    delay: ms,
    repeat: repeat,
    due: due,
    order: nextOrder++,
    refed: true,
  });
  addRefs(1);
  requestWake(due);
  return handle;
}

export function clearTimer(handleOrId: unknown): void {
  let id = TimerHandle.idOf(handleOrId);
  if (id === undefined && (typeof handleOrId === 'number' || typeof handleOrId === 'string')) id = NumberCtor(handleOrId);
  const timer = id === undefined ? undefined : timerTable.get(id);
  if (timer === undefined) return;
  timerTable.delete(timer.id);
  if (timer.refed) {
    addRefs(-1);
    noteLoopMaybeEmpty();
  }
}

function earliestTimer(): Timer | undefined {
  let best: Timer | undefined;
  for (const timer of timerTable.values()) {
    if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
  }
  return best;
}

/** The arguments from `from` on, as Node passes a timer's extra arguments to its callback. */
export function restArgs(args: ArrayLike<unknown>, from: number): unknown[] {
  const rest: unknown[] = [];
  for (let i = from; i < args.length; i++) rest.push(args[i]);
  return rest;
}

/** An exception nothing caught ends the invocation in progress (and the environment) as Node's would the process. */
export function uncaughtException(err: unknown): void {
  const seq = current !== undefined ? current.seq : 0;
  if (current !== undefined) {
    current.settled = true;
    setCurrent(undefined);
  }
  sendSignal('fatal', seq, errorJson(err));
}

export function queueMicrotaskImpl(callback: unknown): void {
  if (typeof callback !== 'function') throw callbackTypeError(callback);
  void promiseThen(resolved(undefined), () => {
    try {
      (callback as () => unknown)();
    } catch (err) {
      uncaughtException(err);
    }
  });
}

/** Runs the earliest timer if it is due (one per alarm), then asks for the next alarm. */
export function runDueTimer(): void {
  const timer = earliestTimer();
  if (timer !== undefined && timer.due <= DateNow()) {
    if (timer.repeat) {
      timer.due = DateNow() + timer.delay;
      timer.order = nextOrder++;
    } else {
      timerTable.delete(timer.id);
      if (timer.refed) addRefs(-1);
    }
    try {
      ReflectApply(timer.callback, timer.handle, timer.args);
    } catch (err) {
      uncaughtException(err);
    }
  }
  const next = earliestTimer();
  if (next !== undefined) requestWake(next.due);
}
