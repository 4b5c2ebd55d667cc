// Node's `process` module for functions: the runtime's global process.
module.exports = globalThis.process;
