// Node's `util/types` for functions, from the `util` polyfill.
module.exports = require('util').types;
