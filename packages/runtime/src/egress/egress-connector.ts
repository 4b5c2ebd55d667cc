import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import type { EgressPolicy } from './egress-policy.js';

/** Resolves a host name to its addresses, as `dns.lookup(host, { all: true })` does. */
export type EgressLookup = (host: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

export const systemLookup: EgressLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** An error as Node's own networking gives it: `code`, `syscall`, and address and port when known. */
export interface NetErrorFields {
  readonly code: string;
  readonly syscall: string;
  readonly message: string;
  readonly hostname?: string;
  readonly address?: string;
  readonly port?: number;
}

export class EgressNetError extends Error {
  readonly fields: NetErrorFields;
  constructor(fields: NetErrorFields) {
    super(fields.message);
    this.name = 'Error';
    this.fields = fields;
  }
}

function refusedError(address: string, port: number, reason: string, rule: string): EgressNetError {
  return new EgressNetError({
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address,
    port,
    message:
      `connect ECONNREFUSED ${address}:${port} (refused by the function's egress policy: ${reason}; ` +
      `to allow it, deploy with --egress-allow ${rule})`,
  });
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Resolves `host` on the node, checks each address against the policy and
 * returns the first it allows: the connection goes to that address, so a
 * name that resolves differently a moment later (DNS rebinding) cannot
 * take it elsewhere.
 */
export async function resolveAllowed(policy: EgressPolicy, lookup: EgressLookup, rawHost: string, port: number): Promise<string> {
  const host = stripBrackets(rawHost).toLowerCase();
  const literal = isIP(host) !== 0;
  let addresses: readonly { readonly address: string }[];
  if (literal) {
    addresses = [{ address: host }];
  } else {
    try {
      addresses = await lookup(host);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new EgressNetError({
        code: typeof code === 'string' ? code : 'ENOTFOUND',
        syscall: 'getaddrinfo',
        hostname: host,
        message: `getaddrinfo ${typeof code === 'string' ? code : 'ENOTFOUND'} ${host}`,
      });
    }
    if (addresses.length === 0) throw new EgressNetError({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: host, message: `getaddrinfo ENOTFOUND ${host}` });
  }
  let firstRefusal: EgressNetError | undefined;
  for (const { address } of addresses) {
    const verdict = policy.check(host, address, port);
    if (verdict.allowed) return address;
    const rule = literal ? (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`) : `${host}:${port}`;
    const named = literal ? verdict.reason : `${host} resolves to ${address}, and ${verdict.reason}`;
    firstRefusal ??= refusedError(address, port, named, rule);
  }
  throw firstRefusal ?? refusedError(host, port, 'no address', `${host}:${port}`);
}

/**
 * undici's connector with the policy in front: the name is resolved here,
 * and the socket opened to the checked address (TLS still verifies the
 * certificate against the name the function asked for).
 */
export function policyConnector(policy: EgressPolicy, lookup: EgressLookup, connectTimeoutMs: number): buildConnector.connector {
  const base = buildConnector({ timeout: connectTimeoutMs });
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    const host = stripBrackets(options.hostname);
    resolveAllowed(policy, lookup, host, port).then(
      (address) => {
        const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
        base({ ...options, hostname: address, ...(servername !== undefined ? { servername } : {}) }, callback);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
}
