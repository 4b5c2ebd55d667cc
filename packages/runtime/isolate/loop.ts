// The invocation in progress and Lambda's "empty event loop": what keeps it busy (ref'ed timers, pending
// WebAssembly compilations), and the host alarm that runs the next timer or the empty-loop check.
import { hostWake } from './host.js';

export interface Invocation {
  readonly seq: number;
  settled: boolean;
  /** The handler is done (or called back) and its answer waits for an empty event loop. */
  waiting: boolean;
  pending: (() => void) | undefined;
}

export let current: Invocation | undefined;
/** Things that keep the event loop alive: ref'ed timers and pending WebAssembly compilations. */
export let refedCount = 0;
let requestedWake = Infinity;

export function setCurrent(invocation: Invocation | undefined): void {
  current = invocation;
}

export function addRefs(n: number): void {
  refedCount += n;
}

/** Asks the host to call tick() at `due` (epoch ms), unless an earlier alarm is already set. */
export function requestWake(due: number): void {
  if (due < requestedWake) {
    requestedWake = due;
    hostWake(due);
  }
}

/** The host's alarm fired: the next request sets a new one. */
export function alarmFired(): void {
  requestedWake = Infinity;
}

// Lambda's "empty event loop" is checked from a fresh task: only then have all microtasks that might schedule
// more timers run.
export function noteLoopMaybeEmpty(): void {
  if (current !== undefined && current.waiting && refedCount === 0) requestWake(0);
}
