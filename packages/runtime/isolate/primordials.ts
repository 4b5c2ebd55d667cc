// Built-ins the runtime uses, captured when the bootstrap runs, before any user code exists: a handler that
// patches JSON, Date, Promise or Reflect cannot wedge the runtime's own bookkeeping. Methods are called through
// ReflectApply with their receiver, so unbound-method does not apply here.
/* eslint-disable @typescript-eslint/unbound-method */
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectKeys = Object.keys;
export const ObjectAssign = Object.assign;
export const ObjectIs = Object.is;
export const ObjectPrototype = Object.prototype;
export const ArrayIsArray = Array.isArray;
export const ArrayPrototypeJoin = Array.prototype.join;
export const ReflectApply = Reflect.apply;
export const ReflectConstruct = Reflect.construct;
export const JSONStringify = JSON.stringify;
export const JSONParse = JSON.parse;
export const DateCtor = Date;
export const DateNow = Date.now;
export const DatePrototypeToISOString = Date.prototype.toISOString;
export const MathMax = Math.max;
export const MathMin = Math.min;
export const MathFloor = Math.floor;
export const PromiseCtor = Promise;
export const PromiseResolve = Promise.resolve;
export const PromiseReject = Promise.reject;
export const PromisePrototypeThen = Promise.prototype.then;
export const ErrorCtor = Error;
export const ErrorPrototypeToString = Error.prototype.toString;
export const StringPrototypeIndexOf = String.prototype.indexOf;
export const StringPrototypeCharCodeAt = String.prototype.charCodeAt;
export const StringPrototypeSlice = String.prototype.slice;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const StringCtor = String;
export const NumberCtor = Number;
export const NumberIsFinite = Number.isFinite;
export const NumberIsInteger = Number.isInteger;
export const FunctionPrototypeToString = Function.prototype.toString;
export const Uint8ArrayCtor = Uint8Array;
export const ArrayBufferCtor = ArrayBuffer;
export const ArrayBufferIsView = ArrayBuffer.isView;
export const SharedArrayBufferCtor = SharedArrayBuffer;
export const WeakRefCtor = WeakRef;
export const WeakRefDeref = WeakRef.prototype.deref;
export const WeakMapCtor = WeakMap;
export const WeakMapGet = WeakMap.prototype.get;
export const WeakMapSet = WeakMap.prototype.set;
export const ProxyCtor = Proxy;

/** `promise.then(onFulfilled, onRejected)` (not named `then`: a module exporting `then` is a thenable) through the captured `then`, whatever the handler did to Promise.prototype. */
export function promiseThen<T, R1 = T, R2 = never>(
  promise: Promise<T>,
  onFulfilled?: (value: T) => R1 | PromiseLike<R1>,
  onRejected?: (reason: unknown) => R2 | PromiseLike<R2>,
): Promise<R1 | R2> {
  return ReflectApply(PromisePrototypeThen, promise, [onFulfilled, onRejected]) as Promise<R1 | R2>;
}

/** A promise resolved with `value`, through the captured `Promise.resolve`. */
export function resolved<T>(value: T): Promise<Awaited<T>> {
  return ReflectApply(PromiseResolve, PromiseCtor, [value]) as Promise<Awaited<T>>;
}

/** A promise rejected with `reason`, through the captured `Promise.reject`. */
export function rejected(reason: unknown): Promise<never> {
  return ReflectApply(PromiseReject, PromiseCtor, [reason]);
}
