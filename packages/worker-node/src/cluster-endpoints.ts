import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ClusterEndpoint } from '@stratus/runtime';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'nats:': 4222, 'tls:': 4222, 'http:': 80, 'https:': 443 };

/** `host:port`, `nats://host:port`, `http://host:port`, `[::1]:4222` → host and port (undefined: any port). */
function hostAndPort(endpoint: string): { host: string; port: number | undefined } | undefined {
  const withScheme = endpoint.includes('://') ? endpoint : `nats://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return host === '' ? undefined : { host, port };
}

function isLocalWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address.startsWith('127.') || address === '::1';
}

/**
 * The cluster's own services as addresses and ports a function must not
 * reach unless its allow list names them: each endpoint resolved now, and,
 * for one on loopback or every interface, each of this machine's addresses
 * with that port (a service bound to 0.0.0.0 answers on all of them).
 * Endpoints that do not resolve are left out with no error: the services
 * using them fail louder elsewhere.
 */
export async function resolveClusterEndpoints(endpoints: readonly string[]): Promise<ClusterEndpoint[]> {
  const local = Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info === undefined ? [] : [info.address]));
  const out: ClusterEndpoint[] = [];
  for (const endpoint of endpoints) {
    const parsed = hostAndPort(endpoint);
    if (parsed === undefined) continue;
    let addresses: string[];
    if (isIP(parsed.host) !== 0) addresses = [parsed.host];
    else {
      try {
        addresses = (await lookup(parsed.host, { all: true })).map((a) => a.address);
      } catch {
        continue;
      }
    }
    for (const address of addresses) {
      const port = parsed.port;
      out.push(port === undefined ? { address } : { address, port });
      if (isLocalWildcard(address)) for (const own of local) out.push(port === undefined ? { address: own } : { address: own, port });
    }
  }
  return out;
}
