// structuredClone for plain data, Date, RegExp, Map, Set, ArrayBuffer, typed arrays and errors; no transfer list.
// Pure, tested in Node (test/isolate-web.test.ts).
import { domException } from './dom-exception.js';
import { describeFunction } from './format.js';
import { ArrayBufferCtor, ArrayIsArray, ErrorCtor, ObjectKeys, PromiseCtor, StringCtor, TypeErrorCtor } from './primordials.js';

type TypedArrayCtor = new (buffer: ArrayBuffer) => ArrayBufferView;

function cloneValue(value: unknown, seen: Map<unknown, unknown>): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol') throw domException(StringCtor(value.toString()) + ' could not be cloned.', 'DataCloneError');
    return value;
  }
  if (typeof value === 'function') throw domException(describeFunction(value) + ' could not be cloned.', 'DataCloneError');
  if (seen.has(value)) return seen.get(value);
  let copy: unknown;
  if (ArrayIsArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (let i = 0; i < value.length; i++) array[i] = cloneValue(value[i], seen);
    return array;
  }
  if (value instanceof Date) copy = new Date(value.getTime());
  else if (value instanceof RegExp) copy = new RegExp(value.source, value.flags);
  else if (value instanceof ArrayBufferCtor) copy = value.slice(0);
  else if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer as ArrayBuffer;
    copy =
      value instanceof DataView
        ? new DataView(buffer.slice(0), value.byteOffset, value.byteLength)
        : new (value.constructor as TypedArrayCtor)(buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  } else if (value instanceof Map) {
    const map = new Map<unknown, unknown>();
    seen.set(value, map);
    value.forEach((v, k) => {
      map.set(cloneValue(k, seen), cloneValue(v, seen));
    });
    return map;
  } else if (value instanceof Set) {
    const set = new Set<unknown>();
    seen.set(value, set);
    value.forEach((v) => {
      set.add(cloneValue(v, seen));
    });
    return set;
  } else if (value instanceof ErrorCtor) {
    const err = new ErrorCtor(value.message);
    err.name = value.name;
    if (typeof value.stack === 'string') err.stack = value.stack;
    copy = err;
  } else if (value instanceof PromiseCtor || value instanceof WeakMap || value instanceof WeakSet) {
    throw domException('#<' + (value.constructor as { name: string }).name + '> could not be cloned.', 'DataCloneError');
  } else {
    const object: Record<string, unknown> = {};
    seen.set(value, object);
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      object[key] = cloneValue((value as Record<string, unknown>)[key], seen);
    }
    return object;
  }
  seen.set(value, copy);
  return copy;
}

export function structuredClone(value: unknown): unknown {
  if (arguments.length === 0) throw new TypeErrorCtor('The "value" argument must be specified');
  return cloneValue(value, new Map());
}
