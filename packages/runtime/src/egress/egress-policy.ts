import { BlockList, isIP } from 'node:net';
import { parseEgressRule, type EgressRule, type EgressSettings } from '@stratus/contracts';

/** A service of the cluster a function must not reach unless its allow list names it: etcd, NATS, frontends, nodes. */
export interface ClusterEndpoint {
  /** An IP address (a host name is resolved by the node before it builds the policy). */
  readonly address: string;
  /** Undefined: every port of the address. */
  readonly port?: number;
}

export type EgressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Not public: IANA's special-purpose registries (RFC 6890 and successors).
 * Refused unless an allow entry names them, as a function must not become
 * a way into the machine's or the cluster's own networks.
 */
const NON_PUBLIC: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['0.0.0.0', 8, 'ipv4', '"this network" addresses'],
  ['10.0.0.0', 8, 'ipv4', 'private addresses'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT) addresses'],
  ['127.0.0.0', 8, 'ipv4', 'loopback addresses'],
  ['169.254.0.0', 16, 'ipv4', 'link-local addresses (cloud metadata services live here)'],
  ['172.16.0.0', 12, 'ipv4', 'private addresses'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation addresses'],
  ['192.168.0.0', 16, 'ipv4', 'private addresses'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking addresses'],
  ['198.51.100.0', 24, 'ipv4', 'documentation addresses'],
  ['203.0.113.0', 24, 'ipv4', 'documentation addresses'],
  ['224.0.0.0', 4, 'ipv4', 'multicast addresses'],
  ['240.0.0.0', 4, 'ipv4', 'reserved addresses'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'loopback addresses'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64 addresses'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64 addresses'],
  ['100::', 64, 'ipv6', 'discard addresses'],
  ['2001::', 32, 'ipv6', 'Teredo addresses'],
  ['2001:db8::', 32, 'ipv6', 'documentation addresses'],
  ['2002::', 16, 'ipv6', '6to4 addresses'],
  ['fc00::', 7, 'ipv6', 'private (unique local) addresses'],
  ['fe80::', 10, 'ipv6', 'link-local addresses'],
  ['ff00::', 8, 'ipv6', 'multicast addresses'],
];

const NON_PUBLIC_LISTS = NON_PUBLIC.map(([network, prefix, type, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, kind };
});

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** `::ffff:10.0.0.1` is 10.0.0.1 on the wire: check it as that. */
export function canonicalAddress(address: string): string {
  const mapped = IPV4_MAPPED.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 4 ? 'ipv4' : 'ipv6';
}

/** What kind of non-public address this is, or undefined for a public one. */
export function nonPublicKind(address: string): string | undefined {
  const canonical = canonicalAddress(address);
  const family = familyOf(canonical);
  for (const { list, type, kind } of NON_PUBLIC_LISTS) {
    if (type === family && list.check(canonical, family)) return kind;
  }
  return undefined;
}

interface CompiledRule {
  readonly text: string;
  readonly matches: (host: string, address: string, port: number) => boolean;
  /** Names one destination (a host name, or one address) and its port: only such an entry opens a cluster service. */
  readonly exact: boolean;
}

function compileRule(rule: EgressRule, text: string): CompiledRule {
  const portOk = (port: number): boolean => rule.port === undefined || rule.port === port;
  if (rule.kind === 'host') {
    return {
      text,
      exact: rule.port !== undefined && !rule.subdomains,
      matches: (host, _address, port) => portOk(port) && (rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host),
    };
  }
  const list = new BlockList();
  const type = rule.family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(rule.address, rule.prefixLength, type);
  return {
    text,
    exact: rule.port !== undefined && rule.prefixLength === (rule.family === 4 ? 32 : 128),
    matches: (_host, address, port) => {
      const family = familyOf(address);
      return portOk(port) && family === type && list.check(address, family);
    },
  };
}

/**
 * A function's egress setting compiled once per execution environment:
 * decides, for a host name the function asked for and an address the node
 * resolved it to, whether the node may connect. The cluster's own services
 * come first: only an allow entry naming the one address (or host name) and
 * the port opens one, so allowing `127.0.0.1` for a test server, or
 * `10.0.0.0/8` for a database, does not open etcd or NATS there. Then allow
 * entries (a function may be allowed its own database on a private
 * address), then `none`, then non-public ranges.
 */
export class EgressPolicy {
  readonly #mode: EgressSettings['mode'];
  readonly #rules: readonly CompiledRule[];
  readonly #cluster: readonly ClusterEndpoint[];

  constructor(settings: EgressSettings, clusterEndpoints: readonly ClusterEndpoint[] = []) {
    this.#mode = settings.mode;
    this.#rules = settings.allow.map((text) => {
      const rule = parseEgressRule(text);
      // The frontend validated the setting; an entry that no longer parses allows nothing.
      return typeof rule === 'string' ? { text, matches: () => false, exact: false } : compileRule(rule, text);
    });
    this.#cluster = clusterEndpoints.map((endpoint) => ({ ...endpoint, address: canonicalAddress(endpoint.address) }));
  }

  /** Whether the function may reach anything at all (`none` with an empty allow list may not). */
  get reachesAnything(): boolean {
    return this.#mode === 'public' || this.#rules.length > 0;
  }

  /** `host` as the function named it (lower case, no brackets), `address` what it resolved to. */
  check(host: string, address: string, port: number): EgressVerdict {
    const canonical = canonicalAddress(address);
    const name = host.toLowerCase().replace(/\.$/, '');
    if (this.#cluster.some((endpoint) => endpoint.address === canonical && (endpoint.port === undefined || endpoint.port === port))) {
      if (this.#rules.some((rule) => rule.exact && rule.matches(name, canonical, port))) return { allowed: true };
      return {
        allowed: false,
        reason: "it is one of the cluster's own services (etcd, NATS, a frontend or a node), which only an allow entry naming its address and port opens",
      };
    }
    if (this.#rules.some((rule) => rule.matches(name, canonical, port))) return { allowed: true };
    if (this.#mode === 'none') {
      return { allowed: false, reason: "the function's egress setting is none and its allow list does not name this destination" };
    }
    const kind = nonPublicKind(canonical);
    if (kind !== undefined) return { allowed: false, reason: `${kind} are not allowed by default` };
    return { allowed: true };
  }
}
