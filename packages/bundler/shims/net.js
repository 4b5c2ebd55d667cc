// Node's `net` for functions: loads (HTTP libraries import it at module scope) with the address helpers;
// raw TCP connections and servers are not available in Stratus (HTTP and HTTPS go through `http`/`https`
// and `fetch`, which the node performs under the function's egress policy).

import { EventEmitter } from 'events';
import { URL } from 'url';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(input) {
  return IPV4.test(String(input));
}

export function isIPv6(input) {
  const text = String(input);
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+(%.+)?$/.test(text)) return false;
  try {
    return new URL(`http://[${text.replace(/%.*$/, '')}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

export function isIP(input) {
  return isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0;
}

function notAvailable(what) {
  const err = new Error(`${what} is not available in Stratus: functions reach the network through fetch, http and https, which the node performs under the function's egress policy`);
  err.code = 'ERR_NOT_SUPPORTED';
  return err;
}

export class Socket extends EventEmitter {
  constructor() {
    super();
    this.connecting = false;
    this.destroyed = false;
  }
  connect() {
    const err = notAvailable('A raw TCP connection (net.Socket.connect)');
    process.nextTick(() => {
      this.destroyed = true;
      this.emit('error', err);
      this.emit('close', true);
    });
    return this;
  }
  setTimeout() { return this; }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { return this; }
  unref() { return this; }
  write() { return false; }
  end() { return this; }
  destroy() { this.destroyed = true; return this; }
  address() { return {}; }
}

export function connect(...args) {
  return new Socket().connect(...args);
}
export const createConnection = connect;

export class Server extends EventEmitter {
  constructor() {
    super();
    throw notAvailable('A TCP server (net.createServer)');
  }
}

export function createServer() {
  throw notAvailable('A TCP server (net.createServer)');
}

export default { isIP, isIPv4, isIPv6, Socket, Stream: Socket, connect, createConnection, Server, createServer };
