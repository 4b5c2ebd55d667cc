// Node's `https` for functions: the `http` shim's client with TLS, which the node performs (certificates are
// checked against the host name the function asked for).

import { __stratusHttps } from 'http';

export const { Agent, globalAgent, request, get, createServer, Server } = __stratusHttps;
export default __stratusHttps;
