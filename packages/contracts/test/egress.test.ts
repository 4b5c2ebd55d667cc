import { describe, expect, it } from 'vitest';
import { egressSettingsSchema, functionSettingsSchema, parseEgressRule, parseOrThrow, splitEgressAllowList } from '../src/index.js';

describe('parseEgressRule', () => {
  it.each([
    ['api.example.com', { kind: 'host', host: 'api.example.com', subdomains: false, port: undefined }],
    ['API.Example.com.:443', { kind: 'host', host: 'api.example.com', subdomains: false, port: 443 }],
    ['*.internal.corp', { kind: 'host', host: 'internal.corp', subdomains: true, port: undefined }],
    ['localhost:8080', { kind: 'host', host: 'localhost', subdomains: false, port: 8080 }],
    ['127.0.0.1:8080', { kind: 'cidr', address: '127.0.0.1', prefixLength: 32, family: 4, port: 8080 }],
    ['10.0.0.0/8', { kind: 'cidr', address: '10.0.0.0', prefixLength: 8, family: 4, port: undefined }],
    ['10.1.0.0/16:5432', { kind: 'cidr', address: '10.1.0.0', prefixLength: 16, family: 4, port: 5432 }],
    ['fd00::/8', { kind: 'cidr', address: 'fd00::', prefixLength: 8, family: 6, port: undefined }],
    ['[::1]:9000', { kind: 'cidr', address: '::1', prefixLength: 128, family: 6, port: 9000 }],
    ['[fd00::/8]:443', { kind: 'cidr', address: 'fd00::', prefixLength: 8, family: 6, port: 443 }],
  ])('reads %j', (text, rule) => {
    expect(parseEgressRule(text)).toEqual(rule);
  });

  it.each([
    ['', 'empty'],
    ['10.0.0.0/33', 'prefix length must be a number from 0 to 32'],
    ['300.1.1.1', 'not an IPv4 or IPv6 address'],
    ['host:0', 'port must be a number from 1 to 65535'],
    ['host:70000', 'port must be a number from 1 to 65535'],
    ['host:http', 'port must be a number'],
    ['bad_host!', 'not a host name'],
    ['http://example.com', 'not a host name'],
    ['[::1', 'without its "]"'],
    ['[10.0.0.1]:80', 'brackets are for IPv6'],
    ['fd00::/200', 'from 0 to 128'],
  ])('refuses %j naming the problem', (text, message) => {
    const parsed = parseEgressRule(text);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(message);
  });
});

describe('the egress setting', () => {
  it('defaults to public addresses with nothing more', () => {
    expect(parseOrThrow(functionSettingsSchema, {}, 'configuration').egress).toEqual({ mode: 'public', allow: [] });
  });

  it('stores entries in one canonical form', () => {
    expect(parseOrThrow(egressSettingsSchema, { mode: 'none', allow: [' Example.COM:443 ', '[::1]', '10.0.0.0/8'] }, 'egress')).toEqual({
      mode: 'none',
      allow: ['example.com:443', '::1', '10.0.0.0/8'],
    });
  });

  it('names the field and the entry that is wrong', () => {
    expect(() => parseOrThrow(functionSettingsSchema, { egress: { mode: 'open' } }, 'configuration')).toThrow('egress.mode: must be "public" or "none"');
    expect(() => parseOrThrow(functionSettingsSchema, { egress: { allow: ['ok.com', '10.0.0.0/40'] } }, 'configuration')).toThrow(
      'egress.allow.1: "10.0.0.0/40": the prefix length must be a number from 0 to 32',
    );
    expect(() => parseOrThrow(functionSettingsSchema, { egress: { allow: Array.from({ length: 65 }, (_, i) => `h${i}.com`) } }, 'configuration')).toThrow(
      'egress.allow: at most 64 entries',
    );
  });

  it('splits the CLI form', () => {
    expect(splitEgressAllowList('127.0.0.1:8080, 10.0.0.0/8,,')).toEqual(['127.0.0.1:8080', '10.0.0.0/8']);
  });
});
