// Node's `http2` for functions: loads (HTTP clients such as axios and the AWS SDK import it at module scope and
// use it only when asked), with its constants; sessions and servers are not available in Stratus, where
// functions reach HTTP and HTTPS through `http`/`https` and `fetch`.

function notAvailable(what) {
  const err = new Error(`${what} is not available in Stratus: use https (HTTP/1.1) or fetch, which the node performs under the function's egress policy`);
  err.code = 'ERR_NOT_SUPPORTED';
  return err;
}

export const constants = {
  NGHTTP2_CANCEL: 8,
  NGHTTP2_REFUSED_STREAM: 7,
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_CONTENT_TYPE: 'content-type',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_METHOD_GET: 'GET',
  HTTP2_METHOD_POST: 'POST',
};

export function connect() {
  throw notAvailable('An HTTP/2 session (http2.connect)');
}

export function createServer() {
  throw notAvailable('An HTTP/2 server');
}
export const createSecureServer = createServer;

export default { constants, connect, createServer, createSecureServer };
