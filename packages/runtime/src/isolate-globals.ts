/**
 * Source of the Web globals Node 20 gives every module (TextEncoder, atob,
 * structuredClone, AbortController, performance, crypto, fetch), evaluated in
 * the runtime's scope, after isolate-runtime.ts's source:
 * `installWebGlobals(hostCrypto, hostHash)` is called by setup(). `hostCrypto` is a synchronous ivm.Callback that takes
 * and returns copies only (strings, numbers, ArrayBuffers); `hostHash` is an ivm.Reference to a host function that
 * answers nothing but a hash (a Proxy with every other trap refused, so even the Reference's get() finds nothing);
 * neither ever leaves this scope.
 *
 * URL/URLSearchParams and Buffer are not here: the bundler injects
 * spec-complete polyfills (whatwg-url, buffer) into bundles that use them.
 *
 * Same rules as isolate-runtime.ts: String.raw, no backticks or "${" inside.
 */
export const ISOLATE_GLOBALS_SOURCE = String.raw`
const Uint8ArrayCtor = Uint8Array;
const ArrayBufferCtor = ArrayBuffer;
const RandomChunkBytes = 65536;

function hostBytes(result) {
  if (typeof result === 'string') throw new ErrorCtor(result);
  return new Uint8ArrayCtor(result);
}

function bytesOf(view) {
  if (view instanceof ArrayBufferCtor) return new Uint8ArrayCtor(view);
  if (ArrayBuffer.isView(view)) return new Uint8ArrayCtor(view.buffer, view.byteOffset, view.byteLength);
  throw new TypeErrorCtor('The "data" argument must be an ArrayBuffer or an ArrayBufferView');
}

/** A copy of the bytes as a standalone ArrayBuffer: what the host callback accepts. */
function bufferCopy(view) {
  const bytes = bytesOf(view);
  return bytes.slice().buffer;
}

// --- TextEncoder / TextDecoder (UTF-8, as Node's default) ---------------------------

function utf8Encode(input) {
  const s = StringCtor(input);
  const out = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8ArrayCtor(out);
}

function utf8Decode(bytes, fatal, ignoreBOM) {
  let out = '';
  let i = 0;
  if (!ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const bad = () => { if (fatal) throw new TypeErrorCtor('The encoded data was not valid for encoding utf-8'); return 0xfffd; };
  const parts = [];
  while (i < bytes.length) {
    const b = bytes[i];
    let c;
    let need = 0;
    let min = 0;
    if (b < 0x80) { c = b; } else if (b >= 0xc2 && b < 0xe0) { c = b & 31; need = 1; min = 0x80; }
    else if (b >= 0xe0 && b < 0xf0) { c = b & 15; need = 2; min = 0x800; }
    else if (b >= 0xf0 && b < 0xf5) { c = b & 7; need = 3; min = 0x10000; }
    else { parts.push(bad()); i++; continue; }
    let j = 1;
    for (; j <= need; j++) {
      const n = bytes[i + j];
      if (n === undefined || (n & 0xc0) !== 0x80) break;
      c = (c << 6) | (n & 63);
    }
    if (j <= need || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) { parts.push(bad()); i += j > 1 ? j : 1; continue; }
    parts.push(c);
    i += need + 1;
    if (parts.length >= 8192) { out += StringCtor.fromCodePoint.apply(undefined, parts); parts.length = 0; }
  }
  if (parts.length > 0) out += StringCtor.fromCodePoint.apply(undefined, parts);
  return out;
}

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input) { return utf8Encode(input === undefined ? '' : input); }
  encodeInto(input, dest) {
    const bytes = utf8Encode(input);
    const n = bytes.length <= dest.length ? bytes.length : dest.length;
    dest.set(bytes.subarray(0, n));
    return { read: StringCtor(input).length, written: n };
  }
}

class TextDecoder {
  #fatal;
  #ignoreBOM;
  constructor(label, options) {
    const name = label === undefined ? 'utf-8' : StringCtor(label).trim().toLowerCase();
    if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
      throw new RangeError('The "' + name + '" encoding is not supported in Stratus (only utf-8)');
    }
    this.#fatal = !!(options && options.fatal);
    this.#ignoreBOM = !!(options && options.ignoreBOM);
  }
  get encoding() { return 'utf-8'; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input) { return input === undefined ? '' : utf8Decode(bytesOf(input), this.#fatal, this.#ignoreBOM); }
}

// --- atob / btoa ----------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function domException(message, name) {
  const err = new ErrorCtor(message);
  err.name = name;
  return err;
}

function btoa(input) {
  if (arguments.length === 0) throw new TypeErrorCtor('The "data" argument must be specified');
  const s = StringCtor(input);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i);
    const b = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    const c = i + 2 < s.length ? s.charCodeAt(i + 2) : 0;
    if (a > 255 || b > 255 || c > 255) throw domException('Invalid character', 'InvalidCharacterError');
    out += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)] +
      (i + 1 < s.length ? B64[((b & 15) << 2) | (c >> 6)] : '=') + (i + 2 < s.length ? B64[c & 63] : '=');
  }
  return out;
}

function atob(input) {
  if (arguments.length === 0) throw new TypeErrorCtor('The "data" argument must be specified');
  let s = StringCtor(input).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw domException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  let out = '';
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < s.length; i++) {
    acc = (acc << 6) | B64.indexOf(s[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out += StringCtor.fromCharCode((acc >> bits) & 255); }
  }
  return out;
}

// --- structuredClone ---------------------------------------------------------------------

function cloneValue(value, seen) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol') throw domException(StringCtor(value.toString()) + ' could not be cloned.', 'DataCloneError');
    return value;
  }
  if (typeof value === 'function') throw domException(describeFunction(value) + ' could not be cloned.', 'DataCloneError');
  if (seen.has(value)) return seen.get(value);
  let copy;
  if (ArrayIsArray(value)) {
    copy = [];
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) copy[i] = cloneValue(value[i], seen);
    return copy;
  }
  if (value instanceof Date) copy = new Date(value.getTime());
  else if (value instanceof RegExp) copy = new RegExp(value.source, value.flags);
  else if (value instanceof ArrayBufferCtor) copy = value.slice(0);
  else if (ArrayBuffer.isView(value)) {
    const Ctor = value.constructor;
    copy = value instanceof DataView ? new DataView(value.buffer.slice(0), value.byteOffset, value.byteLength)
      : new Ctor(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  } else if (value instanceof Map) {
    copy = new Map();
    seen.set(value, copy);
    value.forEach((v, k) => { copy.set(cloneValue(k, seen), cloneValue(v, seen)); });
    return copy;
  } else if (value instanceof Set) {
    copy = new Set();
    seen.set(value, copy);
    value.forEach((v) => { copy.add(cloneValue(v, seen)); });
    return copy;
  } else if (value instanceof ErrorCtor) {
    copy = new ErrorCtor(value.message);
    copy.name = value.name;
    if (typeof value.stack === 'string') copy.stack = value.stack;
  } else if (value instanceof PromiseCtor || value instanceof WeakMap || value instanceof WeakSet) {
    throw domException('#<' + value.constructor.name + '> could not be cloned.', 'DataCloneError');
  } else {
    copy = {};
    seen.set(value, copy);
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) copy[keys[i]] = cloneValue(value[keys[i]], seen);
    return copy;
  }
  seen.set(value, copy);
  return copy;
}

function structuredClone(value) {
  if (arguments.length === 0) throw new TypeErrorCtor('The "value" argument must be specified');
  return cloneValue(value, new Map());
}

// --- Event, EventTarget, AbortController ---------------------------------------------------

class Event {
  #type;
  #defaultPrevented = false;
  constructor(type, options) {
    this.#type = StringCtor(type);
    this.cancelable = !!(options && options.cancelable);
    this.timeStamp = performanceNow();
    this.target = null;
    this.currentTarget = null;
  }
  get type() { return this.#type; }
  get defaultPrevented() { return this.#defaultPrevented; }
  preventDefault() { if (this.cancelable) this.#defaultPrevented = true; }
  stopPropagation() {}
  stopImmediatePropagation() { this.stopped = true; }
}

class EventTarget {
  #listeners = new Map();
  addEventListener(type, listener, options) {
    if (listener === null || listener === undefined) return;
    const list = this.#listeners.get(type) || [];
    if (list.some((entry) => entry.listener === listener)) return;
    list.push({ listener: listener, once: !!(options && typeof options === 'object' && options.once) });
    this.#listeners.set(type, list);
    if (options && typeof options === 'object' && options.signal) {
      options.signal.addEventListener('abort', () => this.removeEventListener(type, listener));
    }
  }
  removeEventListener(type, listener) {
    const list = this.#listeners.get(type);
    if (list === undefined) return;
    const i = list.findIndex((entry) => entry.listener === listener);
    if (i !== -1) list.splice(i, 1);
  }
  dispatchEvent(event) {
    event.target = this;
    event.currentTarget = this;
    const handlerProp = this['on' + event.type];
    const list = (this.#listeners.get(event.type) || []).slice();
    if (typeof handlerProp === 'function') list.unshift({ listener: handlerProp, once: false });
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      try {
        if (typeof entry.listener === 'function') ReflectApply(entry.listener, this, [event]);
        else if (entry.listener && typeof entry.listener.handleEvent === 'function') entry.listener.handleEvent(event);
      } catch (err) {
        queueMicrotaskImpl(() => { throw err; });
      }
      if (event.stopped) break;
    }
    return !event.defaultPrevented;
  }
}

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  get aborted() { return this.#aborted; }
  get reason() { return this.#reason; }
  throwIfAborted() { if (this.#aborted) throw this.#reason; }
  static abort(reason) {
    const signal = new AbortSignal();
    abortSignal(signal, reason);
    return signal;
  }
  static timeout(ms) {
    const signal = new AbortSignal();
    addTimer(() => abortSignal(signal, domException('The operation was aborted due to timeout', 'TimeoutError')), ms, [], false, false).unref();
    return signal;
  }
  static abortSignalInternal(signal, reason) {
    if (signal.#aborted) return;
    signal.#aborted = true;
    signal.#reason = reason === undefined ? domException('This operation was aborted', 'AbortError') : reason;
    signal.dispatchEvent(new Event('abort'));
  }
}
const abortSignal = AbortSignal.abortSignalInternal;
delete AbortSignal.abortSignalInternal;

class AbortController {
  #signal = new AbortSignal();
  get signal() { return this.#signal; }
  abort(reason) { abortSignal(this.#signal, reason); }
}

// --- performance, crypto, fetch -------------------------------------------------------------

let timeOrigin = DateNow();
function performanceNow() { return DateNow() - timeOrigin; }
const performanceObject = { now: performanceNow, timeOrigin: timeOrigin, mark() {}, measure() {} };

// The clock starts when the function's init starts, not when a spare isolate was made.
function restartClock() {
  timeOrigin = DateNow();
  performanceObject.timeOrigin = timeOrigin;
}

function randomFill(bytes) {
  for (let offset = 0; offset < bytes.length; offset += RandomChunkBytes) {
    const n = bytes.length - offset < RandomChunkBytes ? bytes.length - offset : RandomChunkBytes;
    bytes.set(hostBytes(hostCryptoCall('random', n)), offset);
  }
  return bytes;
}

let hostCryptoCall;

function randomUUID() {
  const b = randomFill(new Uint8ArrayCtor(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let hex = '';
  for (let i = 0; i < 16; i++) hex += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

function getRandomValues(array) {
  if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (array.byteLength > 65536) throw domException('The ArrayBufferView byte length exceeds 65536', 'QuotaExceededError');
  randomFill(bytesOf(array));
  return array;
}

const DIGESTS = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const subtle = {
  digest(algorithm, data) {
    try {
      const name = typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name;
      const alg = DIGESTS[StringCtor(name).toUpperCase()];
      if (alg === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
      return ReflectApply(PromiseResolve, PromiseCtor, [hostBytes(hostHash('digest', alg, undefined, bufferCopy(data))).buffer]);
    } catch (err) {
      return PromiseCtor.reject(err);
    }
  },
};

/** Node's crypto module (bundler polyfill) reaches the host through these, by import of 'stratus:host' (re-exported from 'stratus:runtime'). */
function hostDigest(algorithm, data) {
  return hostBytes(hostHash('digest', StringCtor(algorithm), undefined, bufferCopy(data)));
}
function hostHmac(algorithm, key, data) {
  return hostBytes(hostHash('hmac', StringCtor(algorithm), bufferCopy(key), bufferCopy(data)));
}

// Small inputs are hashed by the synchronous callback (a few microseconds
// on the host's main thread); larger ones by the host's worker threads,
// through a call that blocks this isolate's thread until the answer comes
// and leaves the host's main thread free. Either way Node's synchronous API
// (createHash().digest()) stays synchronous here.
const INLINE_HASH_MAX_BYTES = 16384;
let hostHashOffThread;
let ReferenceApplySyncPromise;

function hostHash(op, algorithm, key, data) {
  const size = (key === undefined ? 0 : key.byteLength) + data.byteLength;
  const args = key === undefined ? [op, algorithm, data] : [op, algorithm, key, data];
  if (size <= INLINE_HASH_MAX_BYTES) return ReflectApply(hostCryptoCall, undefined, args);
  return ReflectApply(ReferenceApplySyncPromise, hostHashOffThread, [undefined, args, { arguments: { copy: true } }]);
}
function hostRandomFill(view) {
  randomFill(bytesOf(view));
  return view;
}

function fetch() {
  return PromiseCtor.reject(new TypeErrorCtor(
    'fetch failed: outbound network access (egress) is not enabled for this function in Stratus'));
}

function installWebGlobals(cryptoCallback, hashReference) {
  hostCryptoCall = cryptoCallback;
  hostHashOffThread = hashReference;
  ReferenceApplySyncPromise = hashReference.applySyncPromise;
  defineGlobal('TextEncoder', TextEncoder, false);
  defineGlobal('TextDecoder', TextDecoder, false);
  defineGlobal('atob', atob, true);
  defineGlobal('btoa', btoa, true);
  defineGlobal('structuredClone', structuredClone, true);
  defineGlobal('Event', Event, false);
  defineGlobal('EventTarget', EventTarget, false);
  defineGlobal('AbortSignal', AbortSignal, false);
  defineGlobal('AbortController', AbortController, false);
  defineGlobal('performance', performanceObject, true);
  defineGlobal('crypto', { randomUUID: randomUUID, getRandomValues: getRandomValues, subtle: subtle }, true);
  defineGlobal('fetch', fetch, true);
}
`;
