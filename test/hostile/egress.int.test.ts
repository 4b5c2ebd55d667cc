import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '@stratus/testing';
import { indexJs } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';
import { invokeJson } from './support/invoke.js';

// A function trying to reach the cluster it runs in: etcd, NATS and the frontend, with fetch, http.request and
// net, by address and by a name that resolves to loopback, under the default egress policy and under an allow
// list that opens loopback for a test server. Every attempt must be refused before a connection is made.
let cluster: TestCluster;
let targets: { etcd: string; nats: string; grpc: string };
/** Accepts connections and never answers: requests to it stay open. */
let silent: Server;
const silentSockets = new Set<Socket>();
beforeAll(async () => {
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cluster = await startHostileCluster({ nodes: 1 });
  const etcd = new URL(cluster.etcdEndpoints[0] ?? '');
  const nats = new URL(cluster.natsUrl.includes('://') ? cluster.natsUrl : `nats://${cluster.natsUrl}`);
  targets = { etcd: `${etcd.hostname}:${etcd.port}`, nats: `${nats.hostname}:${nats.port}`, grpc: cluster.grpcAddress };
});
afterAll(async () => {
  await cluster?.stop();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const PROBE = `const http = require('http'); const net = require('net');
exports.handler = async (event) => {
  const out = {};
  for (const [name, hostPort] of Object.entries(event.targets)) {
    const [host, port] = hostPort.split(':');
    for (const h of [host, 'localhost']) {
      try { await fetch('http://' + h + ':' + port + '/v3/kv/range', { method: 'POST', body: '{"key":"Lw=="}' }); out[name + ' fetch ' + h] = 'reached'; }
      catch (e) { out[name + ' fetch ' + h] = e.cause ? e.cause.code + ' ' + /egress policy/.test(e.cause.message) : String(e); }
    }
    out[name + ' http'] = await new Promise((resolve) => {
      const req = http.request({ host, port: Number(port), method: 'GET', path: '/' }, () => resolve('reached'));
      req.on('error', (e) => resolve(e.code + ' ' + /egress policy/.test(e.message)));
      req.end();
    });
    out[name + ' net'] = await new Promise((resolve) => {
      const socket = net.connect(Number(port), host, () => resolve('reached'));
      socket.on('error', (e) => resolve(e.code));
    });
  }
  out.metadata = await fetch('http://169.254.169.254/latest/meta-data/').then(() => 'reached', (e) => e.cause.code);
  return out;
};`;

function expectAllRefused(payload: unknown): void {
  const result = payload as Record<string, string>;
  for (const [name, value] of Object.entries(result)) {
    if (name.endsWith(' net')) expect(value, name).toBe('ERR_NOT_SUPPORTED');
    else if (name === 'metadata') expect(value, name).toBe('ECONNREFUSED');
    else expect(value, name).toBe('ECONNREFUSED true');
  }
}

describe("a function reaching for the cluster's own services", () => {
  it('is refused etcd, NATS and the frontend under the default policy', async () => {
    await cluster.client.createFunction({ functionName: 'egress-probe-default', zipFile: indexJs(PROBE) });
    const outcome = await invokeJson(cluster, 'egress-probe-default', { targets });
    expect(outcome.functionError).toBe('');
    expect(Object.keys(outcome.payload as object)).toHaveLength(13);
    expectAllRefused(outcome.payload);
    await expectClusterHealthy(cluster);
  });

  it('is still refused etcd and NATS when its allow list opens loopback and private ranges without naming their ports', async () => {
    await cluster.client.createFunction({
      functionName: 'egress-probe-loopback',
      zipFile: indexJs(PROBE),
      egress: { mode: 'public', allow: ['127.0.0.0/8', 'localhost', '10.0.0.0/8', '::1'] },
    });
    // The frontend is refused too when the node is told its address (STRATUS_NODE_EGRESS_DENY); this test
    // cluster's frontend takes a free port after the node started, so only etcd and NATS are checked here.
    const outcome = await invokeJson(cluster, 'egress-probe-loopback', { targets: { etcd: targets.etcd, nats: targets.nats } });
    expect(outcome.functionError).toBe('');
    expectAllRefused(outcome.payload);
    await expectClusterHealthy(cluster);
  });

  it("learns no names through dns (every lookup and query fails ERR_NOT_SUPPORTED, IP literals come back as given), and http's server side stays without a listener", async () => {
    await cluster.client.createFunction({
      functionName: 'dns-probe',
      zipFile: indexJs(`const dns = require('dns'); const dnsPromises = require('node:dns/promises'); const http = require('http');
      exports.handler = async (event) => {
        const out = {};
        for (const name of [...event.hosts, 'localhost', 'example.com']) {
          out['lookup ' + name] = await new Promise((resolve) => dns.lookup(name, { all: true }, (err, found) => resolve(err ? err.code : found)));
          out['resolve4 ' + name] = await dnsPromises.resolve4(name).then((found) => found, (err) => err.code);
          out['resolver ' + name] = await new dnsPromises.Resolver().resolveTxt(name).then((found) => found, (err) => err.code);
        }
        out.literal = await dnsPromises.lookup('10.9.8.7');
        out.servers = dns.getServers();
        try { http.createServer().listen(8080); out.server = 'listening'; } catch (err) { out.server = err.code; }
        const res = new http.ServerResponse({ method: 'GET' });
        res.end('kept');
        out.response = { headersSent: res.headersSent, finished: res.finished, pending: res.outputData.length };
        return out;
      };`),
    });
    const hosts = [...new Set([targets.etcd, targets.nats, targets.grpc].map((hostPort) => hostPort.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')))];
    const outcome = await invokeJson(cluster, 'dns-probe', { hosts });
    expect(outcome.functionError, JSON.stringify(outcome.payload)).toBe('');
    const result = outcome.payload as Record<string, unknown>;
    const isLiteral = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');
    for (const [key, value] of Object.entries(result)) {
      const [kind, host = ''] = key.split(' ');
      if (kind === undefined || !['lookup', 'resolve4', 'resolver'].includes(kind)) continue;
      // An IP literal needs no resolver to look up, as in Node; nothing else is answered.
      if (kind === 'lookup' && isLiteral(host)) expect(value, key).toEqual([{ address: host, family: host.includes(':') ? 6 : 4 }]);
      else expect(value, key).toBe('ERR_NOT_SUPPORTED');
    }
    expect(Object.keys(result).filter((key) => key.startsWith('lookup '))).toHaveLength(new Set([...hosts, 'localhost', 'example.com']).size);
    expect(result).toMatchObject({ literal: { address: '10.9.8.7', family: 4 }, servers: [], server: 'ERR_NOT_SUPPORTED', response: { headersSent: true, finished: true, pending: 1 } });
    await expectClusterHealthy(cluster);
  });

  it('cannot flood the node with requests: past the per-invocation limit they fail at once, and end with the call', async () => {
    const port = (silent.address() as AddressInfo).port;
    await cluster.client.createFunction({
      functionName: 'egress-flood',
      egress: { mode: 'public', allow: [`127.0.0.1:${port}`] },
      timeoutSec: 5,
      zipFile: indexJs(`exports.handler = async (event) => {
        const codes = {};
        for (let i = 0; i < 200; i++) {
          fetch(event.url).then(() => { codes.ok = (codes.ok || 0) + 1; }, (e) => { codes[e.cause.code] = (codes[e.cause.code] || 0) + 1; });
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return codes;
      };`),
    });
    const url = `http://127.0.0.1:${port}/`;
    // 50 (the limit) stay open on the silent server; the other 150 fail at once; none answers.
    expect(await invokeJson(cluster, 'egress-flood', { url })).toEqual({ functionError: '', payload: { ERR_EGRESS_LIMIT: 150 } });
    // The open ones ended with the call: the next call has the whole allowance again.
    expect(await invokeJson(cluster, 'egress-flood', { url })).toEqual({ functionError: '', payload: { ERR_EGRESS_LIMIT: 150 } });
    await expectClusterHealthy(cluster);
  });
});
