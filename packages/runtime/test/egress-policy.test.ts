import { describe, expect, it } from 'vitest';
import { EgressPolicy, nonPublicKind } from '../src/egress/egress-policy.js';
import { resolveAllowed, type EgressLookup } from '../src/egress/egress-connector.js';
import { exactBuffer } from '../src/egress/egress-bridge.js';

const publicDefault = new EgressPolicy({ mode: 'public', allow: [] }, [{ address: '203.0.114.7', port: 4222 }]);

describe('the default egress policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', '"this network"'],
    ['224.0.0.1', 'multicast'],
    ['::', 'unspecified'],
  ])('refuses %s (%s)', (address, kind) => {
    const verdict = publicDefault.check('example.com', address, 443);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed ? '' : verdict.reason).toContain(kind);
  });

  it.each(['93.184.215.14', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(publicDefault.check('example.com', address, 443)).toEqual({ allowed: true });
    expect(nonPublicKind(address)).toBeUndefined();
  });

  it("refuses the cluster's own services even on a public address", () => {
    const verdict = publicDefault.check('nats.example.com', '203.0.114.7', 4222);
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining("cluster's own services") as unknown });
    expect(publicDefault.check('nats.example.com', '203.0.114.7', 443)).toEqual({ allowed: true });
  });
});

describe('allow entries', () => {
  const policy = new EgressPolicy({ mode: 'public', allow: ['127.0.0.1:8080', '10.0.0.0/8', 'db.internal', '*.corp.example', '[::1]:9000'] }, [
    { address: '127.0.0.1', port: 2379 },
  ]);

  it('allow exactly what they name, port included', () => {
    expect(policy.check('127.0.0.1', '127.0.0.1', 8080).allowed).toBe(true);
    expect(policy.check('127.0.0.1', '127.0.0.1', 8081).allowed).toBe(false);
    expect(policy.check('127.0.0.1', '127.0.0.1', 2379).allowed).toBe(false);
    expect(policy.check('x', '10.200.0.1', 5432).allowed).toBe(true);
    expect(policy.check('x', '11.0.0.1', 5432).allowed).toBe(true);
    expect(policy.check('x', '192.168.0.1', 5432).allowed).toBe(false);
    expect(policy.check('DB.internal.', '192.168.0.9', 5432).allowed).toBe(true);
    expect(policy.check('api.corp.example', '172.16.0.1', 443).allowed).toBe(true);
    expect(policy.check('corp.example', '172.16.0.1', 443).allowed).toBe(false);
    expect(policy.check('::1', '::1', 9000).allowed).toBe(true);
    expect(policy.check('::1', '::1', 9001).allowed).toBe(false);
  });

  it("open the cluster's own services only when they name the address and the port", () => {
    const broad = new EgressPolicy({ mode: 'public', allow: ['127.0.0.1', '10.0.0.0/8', 'etcd.internal'] }, [
      { address: '127.0.0.1', port: 2379 },
      { address: '10.0.0.5', port: 4222 },
    ]);
    expect(broad.check('127.0.0.1', '127.0.0.1', 8080).allowed).toBe(true);
    expect(broad.check('127.0.0.1', '127.0.0.1', 2379).allowed).toBe(false);
    expect(broad.check('x', '10.0.0.5', 4222).allowed).toBe(false);
    expect(broad.check('etcd.internal', '127.0.0.1', 2379).allowed).toBe(false);
    const exact = new EgressPolicy({ mode: 'none', allow: ['127.0.0.1:2379', 'nats.internal:4222'] }, [
      { address: '127.0.0.1', port: 2379 },
      { address: '10.0.0.5', port: 4222 },
    ]);
    expect(exact.check('127.0.0.1', '127.0.0.1', 2379).allowed).toBe(true);
    expect(exact.check('nats.internal', '10.0.0.5', 4222).allowed).toBe(true);
  });

  it('none allows only the allow list', () => {
    const none = new EgressPolicy({ mode: 'none', allow: ['api.example.com:443'] });
    expect(none.check('api.example.com', '93.184.215.14', 443).allowed).toBe(true);
    const refused = none.check('other.example.com', '93.184.215.14', 443);
    expect(refused.allowed ? '' : refused.reason).toContain('egress setting is none');
    expect(new EgressPolicy({ mode: 'none', allow: [] }).reachesAnything).toBe(false);
  });
});

describe('resolution on the node', () => {
  const rebinding: EgressLookup = async (host) => (host === 'evil.example' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.215.14', family: 4 }]);

  it('checks the address a name resolves to, and names both in the refusal', async () => {
    await expect(resolveAllowed(publicDefault, rebinding, 'evil.example', 80)).rejects.toMatchObject({
      fields: {
        code: 'ECONNREFUSED',
        syscall: 'connect',
        address: '127.0.0.1',
        port: 80,
        message: expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:80 \(refused by the function's egress policy: evil\.example resolves to 127\.0\.0\.1, and loopback/) as unknown,
      },
    });
    await expect(resolveAllowed(publicDefault, rebinding, 'good.example', 80)).resolves.toBe('93.184.215.14');
  });

  it('connects to an allowed address when a name has several', async () => {
    const mixed: EgressLookup = async () => [
      { address: '10.0.0.1', family: 4 },
      { address: '93.184.215.14', family: 4 },
    ];
    await expect(resolveAllowed(publicDefault, mixed, 'mixed.example', 443)).resolves.toBe('93.184.215.14');
  });

  it('checks address literals without resolving them', async () => {
    const never: EgressLookup = () => Promise.reject(new Error('must not resolve'));
    await expect(resolveAllowed(publicDefault, never, '[::1]', 80)).rejects.toMatchObject({ fields: { code: 'ECONNREFUSED', address: '::1' } });
    await expect(resolveAllowed(publicDefault, never, '169.254.169.254', 80)).rejects.toMatchObject({
      fields: { message: expect.stringContaining('--egress-allow 169.254.169.254:80') as unknown },
    });
  });

  it('reports a name that does not resolve as Node does', async () => {
    const missing: EgressLookup = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    await expect(resolveAllowed(publicDefault, missing, 'nowhere.invalid', 80)).rejects.toMatchObject({
      fields: { code: 'ENOTFOUND', syscall: 'getaddrinfo', message: 'getaddrinfo ENOTFOUND nowhere.invalid' },
    });
  });
});

describe('chunks handed to the isolate', () => {
  it('carry exactly their own bytes, never the rest of a pooled buffer', () => {
    const pool = Buffer.from('secret-of-someone-else|body|more-secrets');
    const chunk = pool.subarray(23, 27);
    const handed = exactBuffer(chunk);
    expect(handed.byteLength).toBe(4);
    expect(Buffer.from(handed).toString()).toBe('body');
    const whole = new Uint8Array([1, 2, 3]);
    expect(exactBuffer(whole)).toBe(whole.buffer);
  });
});
