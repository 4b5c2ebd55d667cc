// Node's `util` for functions: the `util` polyfill, with Node's own `inherits` and a `promisify` that honours
// Node's shared `util.promisify.custom` symbol (the runtime's setTimeout and setImmediate carry it).
//
// `inherits` is set here, after the polyfill loads, because of a cycle: a library that loads `stream` first loads
// the `inherits` package, which requires `util`, whose polyfill requires `inherits` back while it is still empty,
// and so exported an empty object as `util.inherits` (jsonwebtoken broke on it).

const util = require('util/');

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

function invalidArgType(name, expected, actual) {
  const err = new TypeError('The "' + name + '" argument must be of type ' + expected + '. Received ' + (actual === null ? 'null' : typeof actual));
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'function', ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'function', superCtor);
  if (superCtor.prototype === undefined) throw invalidArgType('superCtor.prototype', 'object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const polyfillPromisify = util.promisify;

function promisify(original) {
  if (typeof original !== 'function') throw invalidArgType('original', 'function', original);
  if (original[kCustomPromisify] !== undefined) {
    const fn = original[kCustomPromisify];
    if (typeof fn !== 'function') throw invalidArgType('util.promisify.custom', 'function', fn);
    Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
    return fn;
  }
  const fn = polyfillPromisify(original);
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return fn;
}
promisify.custom = kCustomPromisify;

// Node 12+; the polyfill predates it. debug (loaded by axios through https-proxy-agent) formats with it. The
// options only colour and shape inspect()'s output, which a function's log does not need.
function formatWithOptions(inspectOptions, ...args) {
  if (inspectOptions === null || typeof inspectOptions !== 'object') throw invalidArgType('inspectOptions', 'object', inspectOptions);
  return util.format(...args);
}

util.inherits = inherits;
if (typeof util.formatWithOptions !== 'function') util.formatWithOptions = formatWithOptions;
util.promisify = promisify;
module.exports = util;
