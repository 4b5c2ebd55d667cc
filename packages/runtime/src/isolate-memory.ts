/**
 * Source of the memory guards, evaluated in the runtime's scope after
 * isolate-runtime.ts's and isolate-globals.ts's sources:
 * `installMemoryGuards(budgetBytes)` is called by setup(), before any user
 * code exists.
 *
 * isolated-vm's memory limit covers the V8 heap and ordinary ArrayBuffers
 * (its allocator refuses them past the limit), but not WebAssembly memories
 * or resizable buffers: V8 reserves those itself and commits pages as they
 * grow, and a 128 MB function held 3.5 GB that way. So:
 * - every WebAssembly memory gets a maximum (the module's own memory section
 *   is rewritten before V8 compiles it; `new WebAssembly.Memory` is given
 *   one), at most the budget less room for the heap;
 * - each memory, and each resizable buffer, reserves its maximum out of the
 *   same limit as the heap, as an untouched ArrayBuffer (its pages are never
 *   written, so it costs address space, not RSS): heap + buffers + every
 *   memory's maximum stay within the function's memory size;
 * - a reservation that does not fit (after a garbage collection, so memories
 *   nobody holds any more give theirs back), a memory grown past its maximum,
 *   and an ArrayBuffer the allocator refuses throw RangeError where it
 *   happens and tell the host, which ends the invocation as
 *   Runtime.OutOfMemory and replaces the environment.
 *
 * Same rules as isolate-runtime.ts: String.raw, no backticks or "${" inside.
 */
export const ISOLATE_MEMORY_SOURCE = String.raw`
const WASM_PAGE_BYTES = 65536;
const WasmMemory = WebAssembly.Memory;
const WasmModule = WebAssembly.Module;
const WasmInstance = WebAssembly.Instance;
const WasmCompile = WebAssembly.compile;
const WasmInstantiate = WebAssembly.instantiate;
const WasmMemoryGrow = WebAssembly.Memory.prototype.grow;
const WasmCompileError = WebAssembly.CompileError;
const WasmMemoryBuffer = ObjectGetOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer').get;
const WasmInstanceExports = ObjectGetOwnPropertyDescriptor(WebAssembly.Instance.prototype, 'exports').get;
const ArrayBufferIsView = ArrayBuffer.isView;
const PromiseReject = Promise.reject;
const SharedArrayBufferCtor = SharedArrayBuffer;
const RangeErrorCtor = RangeError;
const WeakRefCtor = WeakRef;
const WeakRefDeref = WeakRef.prototype.deref;
const WeakMapCtor = WeakMap;
const WeakMapGet = WeakMap.prototype.get;
const WeakMapSet = WeakMap.prototype.set;
const ProxyCtor = Proxy;
const ReflectConstruct = Reflect.construct;
const MathMin = Math.min;
const NumberIsFinite = Number.isFinite;
const ARRAY_BUFFER_ALLOCATION_FAILED = 'Array buffer allocation failed';
const WASM_POLL_MS = 2;
let wasmPending = 0;

let memoryBudgetBytes = 0;
let wasmCapPages = 0;
/** Live reservations: { refs: WeakRef[], pending: boolean, ballast: ArrayBuffer }. */
let reservations = [];
/** Module -> pages its own memory section may grow to (after capping); 0 when it defines none. */
const modulePages = new WeakMapCtor();

function megabytes(bytes) {
  return MathFloor(bytes / 1048576);
}

/** Tells the host (which ends the invocation as Runtime.OutOfMemory) and throws where the allocation happened. */
function memoryExceeded(what) {
  const message = what + ': more than the function\'s memory size of ' + megabytes(memoryBudgetBytes) + ' MB';
  const seq = current !== undefined ? current.seq : 0;
  sendSignal('oom', seq, message);
  return new RangeErrorCtor(message);
}

function tryBallast(bytes) {
  try {
    return new ArrayBufferCtor(bytes);
  } catch (_) {
    return undefined;
  }
}

function isDead(reservation) {
  if (reservation.pending) return false;
  for (let i = 0; i < reservation.refs.length; i++) {
    if (ReflectApply(WeakRefDeref, reservation.refs[i], []) !== undefined) return false;
  }
  return true;
}

/**
 * A function of its own: an interpreter frame keeps every value it held as a
 * GC root, so the old list (and the ballast it points to) must not be in the
 * frame that retries the allocation.
 */
function dropDeadReservations() {
  const live = [];
  for (let i = 0; i < reservations.length; i++) if (!isDead(reservations[i])) live.push(reservations[i]);
  reservations = live;
}

/**
 * Reserves bytes out of the isolate's limit. A failed ArrayBuffer allocation
 * makes isolated-vm run a full GC first, which clears the WeakRefs of
 * memories nobody holds; their ballast is dropped and the next attempt's GC
 * frees it. (WeakRefs made in this same job survive it, as the spec says.)
 */
function reserve(bytes, what) {
  const reservation = { refs: [], pending: true, ballast: undefined };
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
function attach(reservation, targets) {
  for (let i = 0; i < targets.length; i++) reservation.refs.push(new WeakRefCtor(targets[i]));
  reservation.pending = false;
}

function release(reservation) {
  reservation.ballast = undefined;
  reservation.refs = [];
  reservation.pending = false;
}

// Brand checks, not instanceof: user code can give the constructors a Symbol.hasInstance.
function isWasmMemory(value) {
  try {
    ReflectApply(WasmMemoryBuffer, value, []);
    return true;
  } catch (_) {
    return false;
  }
}

function memoryExports(instance) {
  const found = [instance];
  const exportsObject = ReflectApply(WasmInstanceExports, instance, []);
  const names = ObjectKeys(exportsObject);
  for (let i = 0; i < names.length; i++) {
    const value = exportsObject[names[i]];
    if (isWasmMemory(value)) found.push(value);
  }
  return found;
}

// --- WebAssembly module bytes -------------------------------------------------------------

function compileError(message) {
  return new WasmCompileError('WebAssembly.Module(): ' + message);
}

function sourceBytes(source) {
  if (source instanceof ArrayBufferCtor || source instanceof SharedArrayBufferCtor) return new Uint8ArrayCtor(source).slice();
  if (ReflectApply(ArrayBufferIsView, undefined, [source])) return new Uint8ArrayCtor(source.buffer, source.byteOffset, source.byteLength).slice();
  throw new TypeErrorCtor('WebAssembly.Module(): Argument 0 must be a buffer source');
}

function readLeb(bytes, at) {
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

function writeLeb(out, value) {
  do {
    let byte = value % 128;
    value = MathFloor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

/**
 * Copies a module's bytes with every memory its memory section defines
 * given a maximum of at most wasmCapPages. Imported memories need nothing:
 * whatever provides them was made here, with a maximum. Returns the bytes
 * and the pages the defined memories may grow to.
 */
function capModuleMemory(source) {
  const bytes = sourceBytes(source);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return { bytes: bytes, pages: 0 };
  }
  const out = [];
  for (let i = 0; i < 8; i++) out.push(bytes[i]);
  const at = { pos: 8 };
  let pages = 0;
  while (at.pos < bytes.length) {
    const id = bytes[at.pos++];
    const size = readLeb(bytes, at);
    const end = at.pos + size;
    if (end > bytes.length) throw compileError('section runs past the end of the module');
    if (id !== 5) {
      out.push(id);
      writeLeb(out, size);
      for (let i = at.pos; i < end; i++) out.push(bytes[i]);
      at.pos = end;
      continue;
    }
    const section = [];
    const count = readLeb(bytes, at);
    writeLeb(section, count);
    for (let m = 0; m < count; m++) {
      const flags = bytes[at.pos++];
      if (flags === undefined || flags > 3) throw compileError('memory type ' + flags + ' is not supported in Stratus');
      const initial = readLeb(bytes, at);
      const declaredMax = (flags & 1) === 1 ? readLeb(bytes, at) : Infinity;
      const max = MathMin(declaredMax, wasmCapPages);
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
    for (let i = 0; i < section.length; i++) out.push(section[i]);
  }
  return { bytes: new Uint8ArrayCtor(out), pages: pages };
}

function registeredPages(module) {
  const pages = ReflectApply(WeakMapGet, modulePages, [module]);
  // Every module is compiled through the wrappers below; anything else is refused.
  if (pages === undefined) throw new TypeErrorCtor('WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module');
  return pages;
}

function rejected(err) {
  return ReflectApply(PromiseReject, PromiseCtor, [err]);
}

function thenable(promise, onFulfilled, onRejected) {
  return ReflectApply(PromisePrototypeThen, promise, [onFulfilled, onRejected]);
}

// --- installation ------------------------------------------------------------------------

/** Replaces a constructor with a proxy that runs 'construct' and is what instances' .constructor names. */
function wrapConstructor(Ctor, construct) {
  const wrapped = new ProxyCtor(Ctor, { construct: construct });
  ObjectDefineProperty(Ctor.prototype, 'constructor', { value: wrapped, writable: true, configurable: true, enumerable: false });
  return wrapped;
}

function isAllocationFailure(err) {
  return err instanceof RangeErrorCtor && err.message === ARRAY_BUFFER_ALLOCATION_FAILED;
}

function allocating(target, args, newTarget, what) {
  try {
    return ReflectConstruct(target, args, newTarget);
  } catch (err) {
    if (!isAllocationFailure(err)) throw err;
  }
  // Reservations of memories nobody holds any more may be what is in the way.
  dropDeadReservations();
  try {
    return ReflectConstruct(target, args, newTarget);
  } catch (err) {
    if (isAllocationFailure(err)) throw memoryExceeded(what);
    throw err;
  }
}

/** Buffers made resizable reserve their maximum; V8 keeps their pages outside isolated-vm's count. */
function bufferConstruct(name) {
  return function (target, args, newTarget) {
    const options = args[1];
    const maxByteLength = options !== null && typeof options === 'object' ? options.maxByteLength : undefined;
    if (maxByteLength === undefined) return allocating(target, args, newTarget, name);
    const max = NumberCtor(maxByteLength);
    if (!NumberIsFinite(max) || max < 0) return ReflectConstruct(target, args, newTarget);
    if (max > memoryBudgetBytes) throw memoryExceeded('a resizable ' + name + ' of up to ' + megabytes(max) + ' MB');
    const reservation = reserve(MathFloor(max), 'a resizable ' + name);
    try {
      const buffer = ReflectConstruct(target, [args[0], { maxByteLength: max }], newTarget);
      attach(reservation, [buffer]);
      return buffer;
    } catch (err) {
      release(reservation);
      throw err;
    }
  };
}

function memoryConstruct(target, args, newTarget) {
  const descriptor = args[0];
  if (descriptor === null || typeof descriptor !== 'object') return ReflectConstruct(target, args, newTarget);
  const initial = descriptor.initial !== undefined ? descriptor.initial : descriptor.minimum;
  const maximum = descriptor.maximum;
  const shared = descriptor.shared;
  const declared = maximum === undefined ? Infinity : NumberCtor(maximum);
  if (NumberCtor.isNaN(declared) || declared < 0) return ReflectConstruct(target, args, newTarget);
  const max = MathMin(MathFloor(declared), wasmCapPages);
  if (NumberCtor(initial) > max) throw memoryExceeded('a WebAssembly memory of ' + megabytes(NumberCtor(initial) * WASM_PAGE_BYTES) + ' MB');
  const reservation = reserve(max * WASM_PAGE_BYTES, 'a WebAssembly memory');
  try {
    const memory = ReflectConstruct(target, [{ initial: initial, maximum: max, shared: shared }], newTarget);
    attach(reservation, [memory]);
    return memory;
  } catch (err) {
    release(reservation);
    throw err;
  }
}

function grow(delta) {
  try {
    return ReflectApply(WasmMemoryGrow, this, [delta]);
  } catch (err) {
    // Past its maximum (which fits the budget): the function asked for more memory than it has.
    if (err instanceof RangeErrorCtor && NumberIsFinite(NumberCtor(delta)) && NumberCtor(delta) >= 0 && isWasmMemory(this)) {
      throw memoryExceeded('growing a WebAssembly memory');
    }
    throw err;
  }
}

function moduleConstruct(target, args, newTarget) {
  const capped = capModuleMemory(args[0]);
  const module = ReflectConstruct(target, [capped.bytes], newTarget);
  ReflectApply(WeakMapSet, modulePages, [module, capped.pages]);
  return module;
}

function instanceConstruct(target, args, newTarget) {
  const reservation = reserve(registeredPages(args[0]) * WASM_PAGE_BYTES, 'a WebAssembly instance\'s memory');
  try {
    const instance = ReflectConstruct(target, args, newTarget);
    attach(reservation, memoryExports(instance));
    return instance;
  } catch (err) {
    release(reservation);
    throw err;
  }
}

/**
 * V8 compiles on its own threads and settles the promise later: like Node,
 * the invocation's event loop is not empty until it has (or a handler
 * awaiting it would be answered null). isolated-vm runs V8's completion task
 * only when the isolate is next entered, so the runtime asks for a timer
 * tick every few ms while a compilation is pending (see tick()).
 */
function holdingLoop(promise) {
  refedCount++;
  wasmPending++;
  requestWake(DateNow() + WASM_POLL_MS);
  const settle = () => {
    refedCount--;
    wasmPending--;
    noteLoopMaybeEmpty();
  };
  return thenable(promise, (value) => { settle(); return value; }, (err) => { settle(); throw err; });
}

function compile(source) {
  let capped;
  try {
    capped = capModuleMemory(source);
  } catch (err) {
    return rejected(err);
  }
  return holdingLoop(thenable(ReflectApply(WasmCompile, WebAssembly, [capped.bytes]), (module) => {
    ReflectApply(WeakMapSet, modulePages, [module, capped.pages]);
    return module;
  }));
}

function instantiate(source, importObject) {
  let reservation;
  try {
    if (ReflectApply(WeakMapGet, modulePages, [source]) !== undefined) {
      reservation = reserve(registeredPages(source) * WASM_PAGE_BYTES, 'a WebAssembly instance\'s memory');
      return holdingLoop(thenable(
        ReflectApply(WasmInstantiate, WebAssembly, [source, importObject]),
        (instance) => { attach(reservation, memoryExports(instance)); return instance; },
        (err) => { release(reservation); throw err; },
      ));
    }
    const capped = capModuleMemory(source);
    reservation = reserve(capped.pages * WASM_PAGE_BYTES, 'a WebAssembly instance\'s memory');
    return holdingLoop(thenable(
      ReflectApply(WasmInstantiate, WebAssembly, [capped.bytes, importObject]),
      (result) => {
        ReflectApply(WeakMapSet, modulePages, [result.module, capped.pages]);
        attach(reservation, memoryExports(result.instance));
        return result;
      },
      (err) => { release(reservation); throw err; },
    ));
  } catch (err) {
    if (reservation !== undefined) release(reservation);
    return rejected(err);
  }
}

const TYPED_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];

function installMemoryGuards(budgetBytes) {
  memoryBudgetBytes = budgetBytes;
  // Room for the JavaScript heap: a quarter of the budget, at most 32 MB.
  wasmCapPages = MathFloor((budgetBytes - MathMin(budgetBytes / 4, 32 * 1048576)) / WASM_PAGE_BYTES);
  defineGlobal('ArrayBuffer', wrapConstructor(ArrayBuffer, bufferConstruct('ArrayBuffer')), false);
  defineGlobal('SharedArrayBuffer', wrapConstructor(SharedArrayBuffer, bufferConstruct('SharedArrayBuffer')), false);
  for (let i = 0; i < TYPED_ARRAYS.length; i++) {
    const Ctor = TYPED_ARRAYS[i];
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
`;
