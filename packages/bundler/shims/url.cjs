// Node's `url` for functions: the legacy API from the `url` package, URL/URLSearchParams from whatwg-url.

const legacy = require('url/');
const { URL, URLSearchParams } = require('whatwg-url');

function fileURLToPath(value) {
  const url = typeof value === 'string' ? new URL(value) : value;
  if (url.protocol !== 'file:') {
    const err = new TypeError('The URL must be of scheme file');
    err.code = 'ERR_INVALID_URL_SCHEME';
    throw err;
  }
  return decodeURIComponent(url.pathname);
}

function pathToFileURL(path) {
  return new URL('file://' + encodeURI(path).replace(/[?#]/g, encodeURIComponent));
}

function format(value, options) {
  if (value instanceof URL) return value.href;
  return legacy.format(value, options);
}

module.exports = {
  parse: legacy.parse,
  resolve: legacy.resolve,
  resolveObject: legacy.resolveObject,
  format: format,
  Url: legacy.Url,
  URL: URL,
  URLSearchParams: URLSearchParams,
  fileURLToPath: fileURLToPath,
  pathToFileURL: pathToFileURL,
};
