// Memory guards, installed by setup() before any user code exists.
/* eslint-disable @typescript-eslint/unbound-method -- WebAssembly's built-ins are captured before user code runs and called through Reflect.apply with their receiver */
//
// isolated-vm's memory limit covers the V8 heap and ordinary ArrayBuffers (its allocator refuses them past the
// limit), but not WebAssembly memories or resizable buffers: V8 reserves those itself and commits pages as they
// grow, and a 128 MB function held 3.5 GB that way. So:
// - every WebAssembly memory gets a maximum (the module's own memory section is rewritten before V8 compiles it;
//   `new WebAssembly.Memory` is given one), at most the budget less room for the heap;
// - each memory, and each resizable buffer, reserves its maximum out of the same limit as the heap, as an
//   untouched ArrayBuffer (its pages are never written, so it costs address space, not RSS): heap + buffers +
//   every memory's maximum stay within the function's memory size;
// - a reservation that does not fit (after a garbage collection, so memories nobody holds any more give theirs
//   back), a memory grown past its maximum, and an ArrayBuffer the allocator refuses throw RangeError where it
//   happens and tell the host, which ends the invocation as Runtime.OutOfMemory and replaces the environment.
import { sendSignal } from './log.js';
import { addRefs, current, noteLoopMaybeEmpty, requestWake } from './loop.js';
import {
  ArrayBufferCtor,
  ArrayBufferIsView,
  DateNow,
  MathFloor,
  MathMin,
  NumberCtor,
  NumberIsFinite,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectKeys,
  ProxyCtor,
  RangeErrorCtor,
  ReflectApply,
  ReflectConstruct,
  SharedArrayBufferCtor,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapGet,
  WeakMapSet,
  WeakRefCtor,
  WeakRefDeref,
  rejected,
  promiseThen,
} from './primordials.js';
import { defineGlobal } from './web-globals.js';

const WASM_PAGE_BYTES = 65536;
const WasmMemory = WebAssembly.Memory;
const WasmModule = WebAssembly.Module;
const WasmInstance = WebAssembly.Instance;
const WasmCompile = WebAssembly.compile;
const WasmInstantiate = WebAssembly.instantiate;
const WasmMemoryGrow = WebAssembly.Memory.prototype.grow;
const WasmCompileError = WebAssembly.CompileError;
const WasmMemoryBuffer = (ObjectGetOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer') as PropertyDescriptor).get as () => ArrayBuffer;
const WasmInstanceExports = (ObjectGetOwnPropertyDescriptor(WebAssembly.Instance.prototype, 'exports') as PropertyDescriptor)
  .get as () => Record<string, unknown>;
const ARRAY_BUFFER_ALLOCATION_FAILED = 'Array buffer allocation failed';
/** While a WebAssembly compilation is pending, the runtime asks for a timer tick this often (see tick()). */
export const WASM_POLL_MS = 2;
export let wasmPending = 0;

let memoryBudgetBytes = 0;
let wasmCapPages = 0;

interface Reservation {
  refs: WeakRef<object>[];
  pending: boolean;
  ballast: ArrayBuffer | undefined;
}

let reservations: Reservation[] = [];
/** Module -> pages its own memory section may grow to (after capping); 0 when it defines none. */
const modulePages: WeakMap<object, number> = new WeakMapCtor();

type ConstructTrap = (target: new (...args: unknown[]) => object, args: unknown[], newTarget: object) => object;

function megabytes(bytes: number): number {
  return MathFloor(bytes / 1048576);
}

/** Tells the host (which ends the invocation as Runtime.OutOfMemory) and throws where the allocation happened. */
function memoryExceeded(what: string): RangeError {
  const message = what + ": more than the function's memory size of " + megabytes(memoryBudgetBytes) + ' MB';
  const seq = current !== undefined ? current.seq : 0;
  sendSignal('oom', seq, message);
  return new RangeErrorCtor(message);
}

function tryBallast(bytes: number): ArrayBuffer | undefined {
  try {
    return new ArrayBufferCtor(bytes);
  } catch {
    return undefined;
  }
}

function isDead(reservation: Reservation): boolean {
  if (reservation.pending) return false;
  for (let i = 0; i < reservation.refs.length; i++) {
    if (ReflectApply(WeakRefDeref, reservation.refs[i], []) !== undefined) return false;
  }
  return true;
}

/**
 * A function of its own: an interpreter frame keeps every value it held as a GC root, so the old list (and the
 * ballast it points to) must not be in the frame that retries the allocation.
 */
function dropDeadReservations(): void {
  const live: Reservation[] = [];
  for (let i = 0; i < reservations.length; i++) {
    const reservation = reservations[i] as Reservation;
    if (!isDead(reservation)) live.push(reservation);
  }
  reservations = live;
}

/**
 * Reserves bytes out of the isolate's limit. A failed ArrayBuffer allocation makes isolated-vm run a full GC
 * first, which clears the WeakRefs of memories nobody holds; their ballast is dropped and the next attempt's GC
 * frees it. (WeakRefs made in this same job survive it, as the spec says.)
 */
function reserve(bytes: number, what: string): Reservation {
  const reservation: Reservation = { refs: [], pending: true, ballast: undefined };
  if (bytes === 0) return reservation;
  let ballast = tryBallast(bytes);
  if (ballast === undefined) {
    dropDeadReservations();
    ballast = tryBallast(bytes);
  }
  if (ballast === undefined) throw memoryExceeded(what + ' needs ' + megabytes(bytes) + ' MB');
  reservation.ballast = ballast;
  reservations.push(reservation);
  return reservation;
}

/** The reservation lives as long as any of these objects does. */
function attach(reservation: Reservation, targets: readonly object[]): void {
  for (let i = 0; i < targets.length; i++) reservation.refs.push(new WeakRefCtor(targets[i] as object));
  reservation.pending = false;
}

function release(reservation: Reservation): void {
  reservation.ballast = undefined;
  reservation.refs = [];
  reservation.pending = false;
}

// Brand checks, not instanceof: user code can give the constructors a Symbol.hasInstance.
function isWasmMemory(value: unknown): boolean {
  try {
    ReflectApply(WasmMemoryBuffer, value, []);
    return true;
  } catch {
    return false;
  }
}

function memoryExports(instance: WebAssembly.Instance): object[] {
  const found: object[] = [instance];
  const exportsObject = ReflectApply(WasmInstanceExports, instance, []);
  const names = ObjectKeys(exportsObject);
  for (let i = 0; i < names.length; i++) {
    const value = exportsObject[names[i] as string];
    if (isWasmMemory(value)) found.push(value as object);
  }
  return found;
}

// --- WebAssembly module bytes ---------------------------------------------------------------------------------

function compileError(message: string): Error {
  return new WasmCompileError('WebAssembly.Module(): ' + message);
}

function sourceBytes(source: unknown): Uint8Array {
  if (source instanceof ArrayBufferCtor || source instanceof SharedArrayBufferCtor) return new Uint8ArrayCtor(source).slice();
  if (ReflectApply(ArrayBufferIsView, undefined, [source])) {
    const view = source as ArrayBufferView;
    return new Uint8ArrayCtor(view.buffer, view.byteOffset, view.byteLength).slice();
  }
  throw new TypeErrorCtor('WebAssembly.Module(): Argument 0 must be a buffer source');
}

interface Cursor {
  pos: number;
}

function readLeb(bytes: Uint8Array, at: Cursor): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at.pos++];
    if (byte === undefined) throw compileError('unexpected end of the module');
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 128;
  }
  throw compileError('invalid LEB128 number');
}

function writeLeb(out: number[], value: number): void {
  do {
    let byte = value % 128;
    value = MathFloor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

/**
 * Copies a module's bytes with every memory its memory section defines given a maximum of at most
 * wasmCapPages. Imported memories need nothing: whatever provides them was made here, with a maximum. Returns
 * the bytes and the pages the defined memories may grow to.
 */
export function capModuleMemory(source: unknown, capPages: number = wasmCapPages): { bytes: Uint8Array; pages: number } {
  const bytes = sourceBytes(source);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return { bytes: bytes, pages: 0 };
  }
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(bytes[i] as number);
  const at: Cursor = { pos: 8 };
  let pages = 0;
  while (at.pos < bytes.length) {
    const id = bytes[at.pos++] as number;
    const size = readLeb(bytes, at);
    const end = at.pos + size;
    if (end > bytes.length) throw compileError('section runs past the end of the module');
    if (id !== 5) {
      out.push(id);
      writeLeb(out, size);
      for (let i = at.pos; i < end; i++) out.push(bytes[i] as number);
      at.pos = end;
      continue;
    }
    const section: number[] = [];
    const count = readLeb(bytes, at);
    writeLeb(section, count);
    for (let m = 0; m < count; m++) {
      const flags = bytes[at.pos++];
      if (flags === undefined || flags > 3) throw compileError('memory type ' + flags + ' is not supported in Stratus');
      const initial = readLeb(bytes, at);
      const declaredMax = (flags & 1) === 1 ? readLeb(bytes, at) : Infinity;
      const max = MathMin(declaredMax, capPages);
      if (initial > max) {
        throw memoryExceeded('a WebAssembly memory of ' + megabytes(initial * WASM_PAGE_BYTES) + ' MB');
      }
      section.push(flags | 1);
      writeLeb(section, initial);
      writeLeb(section, max);
      pages += max;
    }
    if (at.pos !== end) throw compileError('memory section size mismatch');
    out.push(5);
    writeLeb(out, section.length);
    for (let i = 0; i < section.length; i++) out.push(section[i] as number);
  }
  return { bytes: new Uint8ArrayCtor(out), pages: pages };
}

function registeredPages(module: unknown): number {
  const pages = ReflectApply(WeakMapGet, modulePages, [module]) as number | undefined;
  // Every module is compiled through the wrappers below; anything else is refused.
  if (pages === undefined) throw new TypeErrorCtor('WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module');
  return pages;
}

function registerModule(module: object, pages: number): void {
  ReflectApply(WeakMapSet, modulePages, [module, pages]);
}

// --- installation ---------------------------------------------------------------------------------------------

/** Replaces a constructor with a proxy that runs 'construct' and is what instances' .constructor names. */
function wrapConstructor(Ctor: abstract new (...args: never[]) => object, construct: ConstructTrap): object {
  const wrapped = new ProxyCtor(Ctor, { construct: construct as ProxyHandler<typeof Ctor>['construct'] });
  ObjectDefineProperty(Ctor.prototype, 'constructor', { value: wrapped, writable: true, configurable: true, enumerable: false });
  return wrapped;
}

function isAllocationFailure(err: unknown): boolean {
  return err instanceof RangeErrorCtor && err.message === ARRAY_BUFFER_ALLOCATION_FAILED;
}

function allocating(target: new (...args: unknown[]) => object, args: unknown[], newTarget: object, what: string): object {
  try {
    return ReflectConstruct(target, args, newTarget as new (...args: unknown[]) => object);
  } catch (err) {
    if (!isAllocationFailure(err)) throw err;
  }
  // Reservations of memories nobody holds any more may be what is in the way.
  dropDeadReservations();
  try {
    return ReflectConstruct(target, args, newTarget as new (...args: unknown[]) => object);
  } catch (err) {
    if (isAllocationFailure(err)) throw memoryExceeded(what);
    throw err;
  }
}

/** Buffers made resizable reserve their maximum; V8 keeps their pages outside isolated-vm's count. */
function bufferConstruct(name: string): ConstructTrap {
  return function (target, args, newTarget) {
    const options = args[1];
    const maxByteLength = options !== null && typeof options === 'object' ? (options as { maxByteLength?: unknown }).maxByteLength : undefined;
    if (maxByteLength === undefined) return allocating(target, args, newTarget, name);
    const max = NumberCtor(maxByteLength);
    if (!NumberIsFinite(max) || max < 0) return ReflectConstruct(target, args, newTarget as typeof target);
    if (max > memoryBudgetBytes) throw memoryExceeded('a resizable ' + name + ' of up to ' + megabytes(max) + ' MB');
    const reservation = reserve(MathFloor(max), 'a resizable ' + name);
    try {
      const buffer = ReflectConstruct(target, [args[0], { maxByteLength: max }], newTarget as typeof target);
      attach(reservation, [buffer]);
      return buffer;
    } catch (err) {
      release(reservation);
      throw err;
    }
  };
}

const memoryConstruct: ConstructTrap = (target, args, newTarget) => {
  const descriptor = args[0];
  if (descriptor === null || typeof descriptor !== 'object') return ReflectConstruct(target, args, newTarget as typeof target);
  const fields = descriptor as { initial?: unknown; minimum?: unknown; maximum?: unknown; shared?: unknown };
  const initial = fields.initial !== undefined ? fields.initial : fields.minimum;
  const maximum = fields.maximum;
  const shared = fields.shared;
  const declared = maximum === undefined ? Infinity : NumberCtor(maximum);
  if (NumberCtor.isNaN(declared) || declared < 0) return ReflectConstruct(target, args, newTarget as typeof target);
  const max = MathMin(MathFloor(declared), wasmCapPages);
  if (NumberCtor(initial) > max) throw memoryExceeded('a WebAssembly memory of ' + megabytes(NumberCtor(initial) * WASM_PAGE_BYTES) + ' MB');
  const reservation = reserve(max * WASM_PAGE_BYTES, 'a WebAssembly memory');
  try {
    const memory = ReflectConstruct(target, [{ initial: initial, maximum: max, shared: shared }], newTarget as typeof target);
    attach(reservation, [memory]);
    return memory;
  } catch (err) {
    release(reservation);
    throw err;
  }
};

function grow(this: unknown, delta: unknown): number {
  try {
    return ReflectApply(WasmMemoryGrow, this, [delta]) as number;
  } catch (err) {
    // Past its maximum (which fits the budget): the function asked for more memory than it has.
    if (err instanceof RangeErrorCtor && NumberIsFinite(NumberCtor(delta)) && NumberCtor(delta) >= 0 && isWasmMemory(this)) {
      throw memoryExceeded('growing a WebAssembly memory');
    }
    throw err;
  }
}

const moduleConstruct: ConstructTrap = (target, args, newTarget) => {
  const capped = capModuleMemory(args[0]);
  const module = ReflectConstruct(target, [capped.bytes], newTarget as typeof target);
  registerModule(module, capped.pages);
  return module;
};

const instanceConstruct: ConstructTrap = (target, args, newTarget) => {
  const reservation = reserve(registeredPages(args[0]) * WASM_PAGE_BYTES, "a WebAssembly instance's memory");
  try {
    const instance = ReflectConstruct(target, args, newTarget as typeof target) as WebAssembly.Instance;
    attach(reservation, memoryExports(instance));
    return instance;
  } catch (err) {
    release(reservation);
    throw err;
  }
};

/**
 * V8 compiles on its own threads and settles the promise later: like Node, the invocation's event loop is not
 * empty until it has (or a handler awaiting it would be answered null). isolated-vm runs V8's completion task only
 * when the isolate is next entered, so the runtime asks for a timer tick every few ms while a compilation is
 * pending (see tick()).
 */
function holdingLoop<T>(promise: Promise<T>): Promise<T> {
  addRefs(1);
  wasmPending++;
  requestWake(DateNow() + WASM_POLL_MS);
  const settle = (): void => {
    addRefs(-1);
    wasmPending--;
    noteLoopMaybeEmpty();
  };
  return promiseThen(
    promise,
    (value) => {
      settle();
      return value;
    },
    (err) => {
      settle();
      throw err;
    },
  );
}

function compile(source: unknown): Promise<WebAssembly.Module> {
  let capped: { bytes: Uint8Array; pages: number };
  try {
    capped = capModuleMemory(source);
  } catch (err) {
    return rejected(err);
  }
  return holdingLoop(
    promiseThen(ReflectApply(WasmCompile, WebAssembly, [capped.bytes]), (module) => {
      registerModule(module, capped.pages);
      return module;
    }),
  );
}

function instantiate(source: unknown, importObject?: unknown): Promise<unknown> {
  let reservation: Reservation | undefined;
  try {
    if (ReflectApply(WeakMapGet, modulePages, [source]) !== undefined) {
      const own = reserve(registeredPages(source) * WASM_PAGE_BYTES, "a WebAssembly instance's memory");
      reservation = own;
      return holdingLoop(
        promiseThen(
          ReflectApply(WasmInstantiate, WebAssembly, [source, importObject]) as Promise<WebAssembly.Instance>,
          (instance) => {
            attach(own, memoryExports(instance));
            return instance;
          },
          (err) => {
            release(own);
            throw err;
          },
        ),
      );
    }
    const capped = capModuleMemory(source);
    const own = reserve(capped.pages * WASM_PAGE_BYTES, "a WebAssembly instance's memory");
    reservation = own;
    return holdingLoop(
      promiseThen(
        ReflectApply(WasmInstantiate, WebAssembly, [capped.bytes, importObject]) as Promise<WebAssembly.WebAssemblyInstantiatedSource>,
        (result) => {
          registerModule(result.module, capped.pages);
          attach(own, memoryExports(result.instance));
          return result;
        },
        (err) => {
          release(own);
          throw err;
        },
      ),
    );
  } catch (err) {
    if (reservation !== undefined) release(reservation);
    return rejected(err);
  }
}

const TYPED_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

export function installMemoryGuards(budgetBytes: number): void {
  memoryBudgetBytes = budgetBytes;
  // Room for the JavaScript heap: a quarter of the budget, at most 32 MB.
  wasmCapPages = MathFloor((budgetBytes - MathMin(budgetBytes / 4, 32 * 1048576)) / WASM_PAGE_BYTES);
  defineGlobal('ArrayBuffer', wrapConstructor(ArrayBuffer, bufferConstruct('ArrayBuffer')), false);
  defineGlobal('SharedArrayBuffer', wrapConstructor(SharedArrayBuffer, bufferConstruct('SharedArrayBuffer')), false);
  for (let i = 0; i < TYPED_ARRAYS.length; i++) {
    const Ctor = TYPED_ARRAYS[i] as (typeof TYPED_ARRAYS)[number];
    const name = Ctor.name;
    defineGlobal(name, wrapConstructor(Ctor, (target, args, newTarget) => allocating(target, args, newTarget, 'a ' + name)), false);
  }
  ObjectDefineProperty(WasmMemory.prototype, 'grow', { value: grow, writable: true, configurable: true, enumerable: false });
  const wasm = WebAssembly;
  ObjectDefineProperty(wasm, 'Memory', { value: wrapConstructor(WasmMemory, memoryConstruct), writable: true, configurable: true, enumerable: false });
  ObjectDefineProperty(wasm, 'Module', { value: wrapConstructor(WasmModule, moduleConstruct), writable: true, configurable: true, enumerable: false });
  ObjectDefineProperty(wasm, 'Instance', { value: wrapConstructor(WasmInstance, instanceConstruct), writable: true, configurable: true, enumerable: false });
  ObjectDefineProperty(wasm, 'compile', { value: compile, writable: true, configurable: true, enumerable: false });
  ObjectDefineProperty(wasm, 'instantiate', { value: instantiate, writable: true, configurable: true, enumerable: false });
}
