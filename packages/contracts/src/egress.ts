import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * A function's outbound network access (fetch, http, https, net), performed
 * by the node on the function's behalf. `public`: public addresses, plus
 * what `allow` names; `none`: only what `allow` names (nothing when it is
 * empty). Loopback, link-local, private ranges and the cluster's own
 * services are refused unless an `allow` entry names them.
 */
export type EgressMode = 'public' | 'none';

/** One parsed `allow` entry. A port of undefined means every port. */
export type EgressRule =
  | { readonly kind: 'host'; readonly host: string; readonly subdomains: boolean; readonly port: number | undefined }
  | { readonly kind: 'cidr'; readonly address: string; readonly prefixLength: number; readonly family: 4 | 6; readonly port: number | undefined };

export const EGRESS_MODES = ['public', 'none'] as const satisfies readonly EgressMode[];
export const EGRESS_MAX_ALLOW_ENTRIES = 64;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const DIGITS = /^[0-9]+$/;

function parsePort(text: string, entry: string): number | string {
  if (!DIGITS.test(text)) return `"${entry}": the port must be a number from 1 to 65535`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `"${entry}": the port must be a number from 1 to 65535`;
  return port;
}

function parsePrefix(text: string, family: 4 | 6, entry: string): number | string {
  const max = family === 4 ? 32 : 128;
  if (!DIGITS.test(text) || Number(text) > max) return `"${entry}": the prefix length must be a number from 0 to ${max}`;
  return Number(text);
}

function cidrRule(addressPart: string, port: number | undefined, entry: string): EgressRule | string {
  const slash = addressPart.indexOf('/');
  const address = slash === -1 ? addressPart : addressPart.slice(0, slash);
  const family = isIP(address);
  if (family !== 4 && family !== 6) return `"${entry}": "${address}" is not an IPv4 or IPv6 address`;
  const prefixLength = slash === -1 ? (family === 4 ? 32 : 128) : parsePrefix(addressPart.slice(slash + 1), family, entry);
  if (typeof prefixLength === 'string') return prefixLength;
  return { kind: 'cidr', address: address.toLowerCase(), prefixLength, family, port };
}

/**
 * Parses one allow-list entry: `host`, `*.domain` (its subdomains),
 * an IPv4 address or CIDR, an IPv6 address or CIDR, each optionally with
 * `:port` (IPv6 in brackets then: `[fd00::/8]:443`). Returns the rule, or
 * a message naming the entry and what is wrong with it.
 */
export function parseEgressRule(text: string): EgressRule | string {
  const entry = text.trim();
  if (entry === '') return 'an entry is empty';
  if (entry.length > 300) return `"${entry.slice(0, 40)}…": an entry is at most 300 characters`;
  if (entry.includes('/') && entry.includes('://')) return `"${entry}": not a host name, "*.domain", IP address or CIDR (give the host, not a URL)`;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close === -1) return `"${entry}": a "[" without its "]"`;
    const rest = entry.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return `"${entry}": expected ":port" after "]"`;
    const port = rest === '' ? undefined : parsePort(rest.slice(1), entry);
    if (typeof port === 'string') return port;
    const rule = cidrRule(entry.slice(1, close), port, entry);
    if (typeof rule !== 'string' && rule.kind === 'cidr' && rule.family !== 6) return `"${entry}": brackets are for IPv6 addresses`;
    return rule;
  }
  const colons = entry.split(':').length - 1;
  if (colons > 1) return cidrRule(entry, undefined, entry);
  const [hostPart = '', portText] = colons === 1 ? entry.split(':') : [entry, undefined];
  const port = portText === undefined ? undefined : parsePort(portText, entry);
  if (typeof port === 'string') return port;
  const head = hostPart.split('/')[0] ?? '';
  if (isIP(head) === 4 || /^[0-9./]+$/.test(hostPart)) return cidrRule(hostPart, port, entry);
  const lower = hostPart.toLowerCase().replace(/\.$/, '');
  const subdomains = lower.startsWith('*.');
  const name = subdomains ? lower.slice(2) : lower;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => HOST_LABEL.test(label))) {
    return `"${entry}": not a host name, "*.domain", IP address or CIDR`;
  }
  return { kind: 'host', host: name, subdomains, port };
}

/** The text form of a rule, as `stratus get` shows it and the stored allow list keeps it. */
export function formatEgressRule(rule: EgressRule): string {
  const port = rule.port === undefined ? '' : `:${rule.port}`;
  if (rule.kind === 'host') return `${rule.subdomains ? '*.' : ''}${rule.host}${port}`;
  const full = rule.family === 4 ? 32 : 128;
  const address = rule.prefixLength === full ? rule.address : `${rule.address}/${rule.prefixLength}`;
  return rule.family === 6 && port !== '' ? `[${address}]${port}` : address + port;
}

const egressAllowEntrySchema = z.string().transform((text, ctx) => {
  const rule = parseEgressRule(text);
  if (typeof rule === 'string') {
    ctx.addIssue({ code: 'custom', message: rule });
    return z.NEVER;
  }
  return formatEgressRule(rule);
});

/** The egress setting of a function configuration, with its default: public addresses, nothing more. */
export const egressSettingsSchema = z.object({
  mode: z.enum(EGRESS_MODES, { error: 'must be "public" or "none"' }).default('public'),
  allow: z
    .array(egressAllowEntrySchema)
    .max(EGRESS_MAX_ALLOW_ENTRIES, `at most ${EGRESS_MAX_ALLOW_ENTRIES} entries`)
    .default([]),
});
export type EgressSettings = z.infer<typeof egressSettingsSchema>;
export type EgressSettingsInput = z.input<typeof egressSettingsSchema>;

export const DEFAULT_EGRESS: EgressSettings = { mode: 'public', allow: [] };

/** Splits a comma-separated allow list (the CLI's `--egress-allow`); validation is the schema's. */
export function splitEgressAllowList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** One line for people: `public`, `none`, `public + 127.0.0.1:8080, 10.0.0.0/8`. */
export function describeEgress(egress: EgressSettings): string {
  return egress.allow.length === 0 ? egress.mode : `${egress.mode} + ${egress.allow.join(', ')}`;
}
