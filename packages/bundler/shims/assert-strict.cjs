// Node's `assert/strict` for functions, from the `assert` polyfill.
module.exports = require('assert').strict;
