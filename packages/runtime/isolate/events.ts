// Event, EventTarget, AbortSignal and AbortController, as far as Node's own use of them goes.
import { performanceNow } from './clock.js';
import { domException } from './dom-exception.js';
import { ReflectApply, StringCtor } from './primordials.js';
import { addTimer, queueMicrotaskImpl } from './timers.js';

export class Event {
  #type: string;
  #defaultPrevented = false;
  // Own properties made in the constructor (and `stopped` only when set), not class fields: a field would
  // exist on every event.
  declare cancelable: boolean;
  declare timeStamp: number;
  declare target: unknown;
  declare currentTarget: unknown;
  declare stopped?: boolean;
  constructor(type: unknown, options?: { cancelable?: unknown }) {
    this.#type = StringCtor(type);
    this.cancelable = !!(options && options.cancelable);
    this.timeStamp = performanceNow();
    this.target = null;
    this.currentTarget = null;
  }
  get type(): string {
    return this.#type;
  }
  get defaultPrevented(): boolean {
    return this.#defaultPrevented;
  }
  preventDefault(): void {
    if (this.cancelable) this.#defaultPrevented = true;
  }
  stopPropagation(): void {}
  stopImmediatePropagation(): void {
    this.stopped = true;
  }
}

type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };
interface ListenerEntry {
  readonly listener: Listener;
  readonly once: boolean;
}
interface ListenerOptions {
  readonly once?: unknown;
  readonly signal?: AbortSignal;
}

export class EventTarget {
  #listeners = new Map<unknown, ListenerEntry[]>();
  addEventListener(type: unknown, listener: Listener | null | undefined, options?: ListenerOptions | boolean): void {
    if (listener === null || listener === undefined) return;
    const list = this.#listeners.get(type) || [];
    if (list.some((entry) => entry.listener === listener)) return;
    list.push({ listener: listener, once: !!(options && typeof options === 'object' && options.once) });
    this.#listeners.set(type, list);
    if (options && typeof options === 'object' && options.signal) {
      options.signal.addEventListener('abort', () => this.removeEventListener(type, listener));
    }
  }
  removeEventListener(type: unknown, listener: Listener): void {
    const list = this.#listeners.get(type);
    if (list === undefined) return;
    const i = list.findIndex((entry) => entry.listener === listener);
    if (i !== -1) list.splice(i, 1);
  }
  dispatchEvent(event: Event): boolean {
    event.target = this;
    event.currentTarget = this;
    const handlerProp = (this as unknown as Record<string, unknown>)['on' + event.type];
    const list = (this.#listeners.get(event.type) || []).slice();
    if (typeof handlerProp === 'function') list.unshift({ listener: handlerProp as (event: Event) => unknown, once: false });
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as ListenerEntry;
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      try {
        if (typeof entry.listener === 'function') ReflectApply(entry.listener, this, [event]);
        else if (entry.listener && typeof entry.listener.handleEvent === 'function') entry.listener.handleEvent(event);
      } catch (err) {
        queueMicrotaskImpl(() => {
          throw err;
        });
      }
      if (event.stopped) break;
    }
    return !event.defaultPrevented;
  }
}

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  get aborted(): boolean {
    return this.#aborted;
  }
  get reason(): unknown {
    return this.#reason;
  }
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }
  // newSignal(), not `new AbortSignal()`: a class that names itself inside its body is bundled as
  // `var AbortSignal = class _AbortSignal`, and its name would read '_AbortSignal'.
  static abort(reason?: unknown): AbortSignal {
    const signal = newSignal();
    abortSignal(signal, reason);
    return signal;
  }
  static timeout(ms: unknown): AbortSignal {
    const signal = newSignal();
    addTimer(() => abortSignal(signal, domException('The operation was aborted due to timeout', 'TimeoutError')), ms, [], false, false).unref();
    return signal;
  }
  static abortSignalInternal?: (signal: AbortSignal, reason: unknown) => void = (signal, reason) => {
    if (signal.#aborted) return;
    signal.#aborted = true;
    signal.#reason = reason === undefined ? domException('This operation was aborted', 'AbortError') : reason;
    signal.dispatchEvent(new Event('abort'));
  };
}
// Kept here and taken off the class: user code must not abort a signal it was only given to watch.
const abortSignal = AbortSignal.abortSignalInternal as (signal: AbortSignal, reason: unknown) => void;
delete AbortSignal.abortSignalInternal;

function newSignal(): AbortSignal {
  return new AbortSignal();
}

export class AbortController {
  #signal = new AbortSignal();
  get signal(): AbortSignal {
    return this.#signal;
  }
  abort(reason?: unknown): void {
    abortSignal(this.#signal, reason);
  }
}
