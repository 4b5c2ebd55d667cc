import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  LAMBDA_HANDLER_SOURCE,
  PEER_PACKAGES,
  WORKERD_WORKER_SOURCE,
  peersPackageJson,
  serverlessArgs,
  serverlessEnv,
  serverlessYml,
  workerdConfig,
} from '../src/peer-config.js';
import { renderMarkdown, renderSummaryTable } from '../src/markdown.js';
import type { BenchReport } from '../src/report.js';
import { PEERS_NOTE, peerLevel } from '../src/scenario-peers.js';
import { buildSummary } from '../src/summary.js';
import { measurement, sampleReport } from './report-fixture.js';

const EVENT = { hello: 'stratus', n: 42, tags: ['bench', 'load'] };

describe('the peer configuration', () => {
  it('pins serverless 3 and serverless-offline 13 in a package.json of their own', () => {
    const pkg = JSON.parse(peersPackageJson()) as { private: boolean; dependencies: Record<string, string> };
    expect(pkg.private).toBe(true);
    expect(pkg.dependencies).toEqual(PEER_PACKAGES);
    expect(pkg.dependencies['serverless']).toMatch(/^3\./);
    expect(pkg.dependencies['serverless-offline']).toMatch(/^13\./);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['serverless', 'serverless-offline', 'workerd']);
  });

  it('serves the worker on the given loopback port only', () => {
    const config = workerdConfig(41234);
    expect(config).toContain('address = "127.0.0.1:41234"');
    expect(config).toContain('esModule = embed "worker.js"');
    expect(config).toContain('using Workerd = import "/workerd/workerd.capnp"');
    expect(() => workerdConfig(0)).toThrow(RangeError);
    expect(() => workerdConfig(70_000)).toThrow(RangeError);
  });

  it('has workerd answer the POSTed event as JSON, like the trivial handler', async () => {
    const url = `data:text/javascript,${encodeURIComponent(WORKERD_WORKER_SOURCE)}`;
    const worker = (await import(url)) as { default: { fetch(request: Request): Promise<Response> } };
    const response = await worker.default.fetch(new Request('http://peer/', { method: 'POST', body: JSON.stringify(EVENT) }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(EVENT);
  });

  it('has the Lambda handler answer the API Gateway body as JSON, like the trivial handler', async () => {
    const module = { exports: {} as { handler?: (event: unknown) => Promise<{ statusCode: number; body: string }> } };
    // Loaded the way Node loads a CommonJS file: the source wrapped in a function of `module` and `exports`.
    const load = compileFunction(LAMBDA_HANDLER_SOURCE, ['module', 'exports']) as (m: typeof module, e: typeof module.exports) => void;
    load(module, module.exports);
    const result = await module.exports.handler?.({ body: JSON.stringify(EVENT), isBase64Encoded: false });
    expect(result?.statusCode).toBe(200);
    expect(JSON.parse(result?.body ?? 'null')).toEqual(EVENT);
  });

  it('starts serverless offline on loopback ports, without the stage prefix or a thread per request', () => {
    const args = serverlessArgs({ httpPort: 40001, lambdaPort: 40002 });
    expect(args.slice(0, 2)).toEqual(['offline', 'start']);
    expect(args).toEqual(expect.arrayContaining(['--noPrependStageInUrl', '--useInProcess']));
    expect(args[args.indexOf('--host') + 1]).toBe('127.0.0.1');
    expect(args[args.indexOf('--httpPort') + 1]).toBe('40001');
    expect(args[args.indexOf('--lambdaPort') + 1]).toBe('40002');
    expect(serverlessYml()).toContain('- serverless-offline');
    expect(serverlessYml()).toContain("frameworkVersion: '3'");
  });

  it('turns off serverless telemetry and notifications and keeps its files in the run', () => {
    const env = serverlessEnv('/tmp/run/home');
    expect(env).toMatchObject({ HOME: '/tmp/run/home', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' });
  });
});

describe('peers in the report', () => {
  function withPeers(): BenchReport {
    const base = sampleReport();
    const level = base.scenarios.warm[0];
    if (!level) throw new Error('fixture has no warm level');
    const peer = measurement('peer workerd c=10', Array.from({ length: 50 }, () => 1), { elapsedMs: 500 });
    const { summary: _summary, ...body } = base;
    const withPeer = {
      ...body,
      peers: {
        note: PEERS_NOTE,
        results: [
          { name: 'workerd', version: '1.2.3', setup: 'a worker', skipped: null, startupMs: 300, levels: [peerLevel(level, peer)] },
          { name: 'serverless-offline', version: null, setup: 'a lambda', skipped: 'it did not start: boom', startupMs: null, levels: [] },
        ],
      },
    };
    return { ...withPeer, summary: buildSummary(withPeer) };
  }

  it('sets each peer against the same-run echo and Stratus at the same concurrency', () => {
    const level = sampleReport().scenarios.warm[0];
    if (!level) throw new Error('fixture has no warm level');
    // 50 calls in 500 ms at 1 ms each, against 50 in 1000 ms for Stratus and the echo.
    const result = peerLevel(level, measurement('peer', Array.from({ length: 50 }, () => 1), { elapsedMs: 500 }));
    expect(result.concurrency).toBe(10);
    expect(result.toEcho.throughput).toBeCloseTo(2);
    expect(result.stratusToPeer.throughput).toBeCloseTo(0.5);
    expect(result.stratusToPeer.p50).toBeCloseTo(level.stratus.stats.latency.p50Ms);
  });

  it('lists measured peers with their ratios and skipped ones with the reason', () => {
    const report = withPeers();
    const rows = report.summary.filter((r) => r.metric.startsWith('peer '));
    expect(rows.map((r) => r.metric)).toEqual(['peer workerd c=10: throughput, p50 / p99', 'peer serverless-offline']);
    expect(rows[0]?.ratio).toMatch(/^×0\.50, /);
    expect(rows[0]?.baseline).toContain('÷ gRPC echo ×2.00');
    expect(rows[1]?.baseline).toBe('it did not start: boom');
    expect(renderSummaryTable(report)).toContain('peer workerd c=10');
    const md = renderMarkdown(report);
    expect(md).toContain('### workerd 1.2.3');
    expect(md).toContain('through its gRPC frontend');
    expect(md).toContain('Not measured: it did not start: boom');
  });
});
