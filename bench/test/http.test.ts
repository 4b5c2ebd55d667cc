import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown.js';
import { cpuPerCallRows } from '../src/cpu-per-call.js';
import type { BenchReport, PeersReport } from '../src/report.js';
import { HTTP_NOTE, httpLevel } from '../src/scenario-http.js';
import { PEERS_NOTE, peerLevel } from '../src/scenario-peers.js';
import { buildSummary } from '../src/summary.js';
import { measurement, sampleReport } from './report-fixture.js';

/** The sample report with scenario 6 at its one concurrency, beside a workerd run of the same concurrency. */
function withHttp(): BenchReport {
  const { summary: _summary, ...body } = sampleReport();
  const level = body.scenarios.warm[0];
  if (!level) throw new Error('fixture has no warm level');
  // workerd: 50 calls in 500 ms; the URL: 50 calls in 250 ms, at 2 ms each.
  const peers: PeersReport = {
    note: PEERS_NOTE,
    results: [{ name: 'workerd', version: '1', setup: 'a worker', skipped: null, startupMs: 1, levels: [peerLevel(level, measurement('peer workerd c=10', Array(50).fill(1) as number[], { elapsedMs: 500 }))] }],
  };
  const url = measurement('6 URL c=10', Array(50).fill(2) as number[], { elapsedMs: 250 });
  const http = { note: HTTP_NOTE, functionUrl: 'http://127.0.0.1:1/lambda-url/bench-url/', levels: [httpLevel(level, url, peers)] };
  const withBoth = { ...body, peers, scenarios: { ...body.scenarios, http } };
  return { ...withBoth, summary: buildSummary(withBoth) };
}

describe('scenario 6, the function URL', () => {
  it('sets each level against the gRPC frontend, the echo and every peer of the same concurrency', () => {
    const report = withHttp();
    const http = report.scenarios.http;
    if ('skipped' in http) throw new Error('skipped');
    const level = http.levels[0];
    expect(level?.concurrency).toBe(10);
    // 200/s against workerd's 100/s and the fixture's 50/s (50 calls in 1000 ms).
    expect(level?.toPeers['workerd']?.throughput).toBeCloseTo(2);
    expect(level?.toGrpc.throughput).toBeCloseTo(4);
    expect(level?.toEcho.throughput).toBeCloseTo(4);
    expect(level?.toPeers['workerd']?.p50).toBeCloseTo(2);
  });

  it('puts its rows in the summary, the report and the CPU per call table', () => {
    const report = withHttp();
    const metrics = report.summary.map((r) => r.metric);
    expect(metrics).toContain('function URL c=10: throughput, p50 / p99');
    expect(metrics).toContain('function URL vs workerd c=10: throughput, p50 / p99');
    expect(report.summary.find((r) => r.metric === 'function URL vs workerd c=10: throughput, p50 / p99')?.ratio).toMatch(/^×2\.00, ×2\.00 /);
    const md = renderMarkdown(report);
    expect(md).toContain('## 6. HTTP trigger: function URLs');
    expect(md).toContain('URL ÷ workerd: throughput');
    expect(md).not.toContain('## 6. HTTP trigger: function URLs\n\nSkipped');
    expect(cpuPerCallRows(report.scenarios, report.profiles).some((r) => r.run === '6 URL c=10')).toBe(true);
  });

  it('says why when it was skipped', () => {
    const report = sampleReport();
    expect(renderMarkdown(report)).toContain('Skipped: no HTTP trigger yet');
  });
});
