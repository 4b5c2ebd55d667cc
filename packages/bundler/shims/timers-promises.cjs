// Node's `timers/promises` for functions, over the runtime's global timers.

function abortError(signal) {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  err.cause = signal.reason;
  return err;
}
function later(schedule, clear) {
  return function (delay, value, options) {
    const signal = options && options.signal;
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) { reject(abortError(signal)); return; }
      const handle = schedule(() => resolve(value), delay);
      if (signal) signal.addEventListener('abort', () => { clear(handle); reject(abortError(signal)); }, { once: true });
    });
  };
}
exports.setTimeout = later((fn, delay) => globalThis.setTimeout(fn, delay), (h) => globalThis.clearTimeout(h));
exports.setImmediate = later((fn) => globalThis.setImmediate(fn), (h) => globalThis.clearImmediate(h));
exports.scheduler = { wait: (delay, options) => exports.setTimeout(delay, undefined, options) };
