// Node's `zlib` for functions: the one-shot functions over pako, sync and callback; streams and brotli throw.

const { Buffer } = require('buffer');
const pako = require('pako');

function input(data) {
  if (typeof data === 'string') return Buffer.from(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function zlibError(err) {
  const e = new Error(typeof err === 'string' ? err : (err && err.message) || String(err));
  e.code = 'Z_DATA_ERROR';
  e.errno = -3;
  return e;
}

function pair(name, fn) {
  const sync = function (data, options) {
    let out;
    try { out = fn(input(data), options); } catch (err) { throw zlibError(err); }
    if (!(out instanceof Uint8Array)) throw zlibError(out === undefined ? 'unexpected end of file' : out);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  };
  const async = function (data, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    let result;
    let error = null;
    try { result = sync(data, options); } catch (err) { error = err; }
    setImmediate(() => (error ? callback(error) : callback(null, result)));
  };
  exports[name + 'Sync'] = sync;
  exports[name] = async;
}

pair('gzip', (d, o) => pako.gzip(d, o));
pair('gunzip', (d, o) => pako.ungzip(d, o));
pair('deflate', (d, o) => pako.deflate(d, o));
pair('inflate', (d, o) => pako.inflate(d, o));
pair('deflateRaw', (d, o) => pako.deflateRaw(d, o));
pair('inflateRaw', (d, o) => pako.inflateRaw(d, o));
// pako's inflate detects the gzip or zlib header, as Node's unzip does.
pair('unzip', (d, o) => pako.inflate(d, o));

function noStreams(name) {
  return function () {
    throw new Error('zlib.' + name + ' is not available in Stratus: use the one-shot functions (gzipSync, gunzip, ...)');
  };
}
for (const name of ['createGzip', 'createGunzip', 'createDeflate', 'createInflate', 'createDeflateRaw', 'createInflateRaw',
  'createUnzip', 'createBrotliCompress', 'createBrotliDecompress', 'brotliCompress', 'brotliCompressSync',
  'brotliDecompress', 'brotliDecompressSync']) {
  exports[name] = noStreams(name);
}

exports.constants = {
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_BUF_ERROR: -5,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
};
