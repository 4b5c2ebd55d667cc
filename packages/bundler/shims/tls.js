// Node's `tls` for functions: loads (proxy agents such as https-proxy-agent, which axios loads, import it at
// module scope), with its constants; TLS connections of the function's own are not available in Stratus
// (`https` and `fetch` go through the node, which checks certificates under the function's egress policy).

import { Socket } from 'net';

function notAvailable(what) {
  const err = new Error(`${what} is not available in Stratus: functions reach the network through fetch, http and https, which the node performs under the function's egress policy`);
  err.code = 'ERR_NOT_SUPPORTED';
  return err;
}

export const DEFAULT_ECDH_CURVE = 'auto';
export const DEFAULT_MIN_VERSION = 'TLSv1.2';
export const DEFAULT_MAX_VERSION = 'TLSv1.3';
export const DEFAULT_CIPHERS = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
/** The node checks certificates against its own store; a function has none to read. */
export const rootCertificates = Object.freeze([]);

export function getCiphers() {
  return ['tls_aes_128_gcm_sha256', 'tls_aes_256_gcm_sha384', 'tls_chacha20_poly1305_sha256'];
}

export class TLSSocket extends Socket {
  constructor() {
    super();
    this.encrypted = true;
    this.authorized = false;
  }
  connect() {
    const err = notAvailable('A TLS connection (tls.connect)');
    process.nextTick(() => {
      this.destroyed = true;
      this.emit('error', err);
      this.emit('close', true);
    });
    return this;
  }
}

export function connect(...args) {
  return new TLSSocket().connect(...args);
}

export function createSecureContext() {
  throw notAvailable('A TLS secure context (tls.createSecureContext)');
}

export function createServer() {
  throw notAvailable('A TLS server (tls.createServer)');
}

export class Server {
  constructor() {
    throw notAvailable('A TLS server (tls.Server)');
  }
}

export function checkServerIdentity() {
  throw notAvailable('Checking a certificate (tls.checkServerIdentity)');
}

export default {
  DEFAULT_ECDH_CURVE, DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, DEFAULT_CIPHERS, rootCertificates, getCiphers,
  TLSSocket, connect, createSecureContext, createServer, Server, checkServerIdentity,
};
