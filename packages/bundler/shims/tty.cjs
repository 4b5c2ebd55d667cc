// Node's `tty` for functions: nothing in a Lambda execution environment is a terminal (libraries such as
// debug and supports-color ask before colouring their output).
const { Readable, Writable } = require('stream');

class ReadStream extends Readable {
  isRaw = false;
  isTTY = false;
  setRawMode() { return this; }
}

class WriteStream extends Writable {
  isTTY = false;
  columns = 80;
  rows = 24;
  getColorDepth() { return 1; }
  hasColors() { return false; }
  getWindowSize() { return [this.columns, this.rows]; }
}

module.exports = { isatty: () => false, ReadStream, WriteStream };
