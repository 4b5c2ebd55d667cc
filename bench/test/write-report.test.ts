import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown, renderSummaryTable } from '../src/markdown.js';
import { fmtMs, fmtRatio } from '@stratus/loadgen';
import { timestampDirName, writeReport } from '../src/write-report.js';
import { sampleProfiles, sampleReport } from './report-fixture.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the report writer', () => {
  it('writes report.json, report.md and four SVG charts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    const report = sampleReport();
    const files = await writeReport(join(dir, 'run'), report);
    expect((await readdir(join(dir, 'run'))).sort()).toEqual(
      ['cold-vs-warm.svg', 'isolates.svg', 'latency-distribution.svg', 'report.json', 'report.md', 'throughput.svg'].sort(),
    );
    expect(files).toHaveLength(6);
    const json = JSON.parse(await readFile(join(dir, 'run', 'report.json'), 'utf8')) as typeof report;
    expect(json.summary).toEqual(report.summary);
    expect(json.scenarios.billing.passed).toBe(true);
    for (const chart of ['cold-vs-warm.svg', 'isolates.svg', 'latency-distribution.svg', 'throughput.svg']) {
      const svg = await readFile(join(dir, 'run', chart), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('</svg>');
    }
  });

  it('renders every scenario, the skipped ones with their reason, and links the charts', () => {
    const md = renderMarkdown(sampleReport());
    for (const heading of ['## Summary', '## 1. Warm', '## 2. Burst', '## 3. Cold start', '## 4. Mixed', '## 5. Async', '## 6. HTTP', '## 7. Billing', '## Where CPU went']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('Skipped: no async yet');
    expect(md).toContain('Skipped: no HTTP trigger yet');
    expect(md).toContain('![isolates over time](isolates.svg)');
    expect(md).toContain('INVOCATION_LOST');
  });

  it('shows the open loop, CPU per call of every scenario beside the echo, and the profiles when there are some', () => {
    const report = sampleReport();
    const md = renderMarkdown(report);
    expect(md).toContain('## 1b. Warm open loop');
    expect(md).toContain('| 1b warm open loop 100/s | 100/s | 100/s | 3 | 0 | 100 | 3.00 ms |');
    expect(md).toContain('## CPU per call');
    expect(md).toMatch(/\| 1 warm c=10 \| 50 \| 0 µs \| 4000 µs \| 16000 µs \| 6000 µs \|/);
    expect(md).toContain('Not run: not asked for');
    const profiled = renderMarkdown({ ...report, profiles: sampleProfiles() });
    expect(profiled).toContain('### frontend');
    expect(profiled).toContain('| 12.5% | 30.0% | sendMessage | @grpc/grpc-js/build/src/call.js:12 | @grpc/grpc-js |');
    expect(profiled).toContain('| @grpc/grpc-js | 45.0% |');
  });

  it('puts each Stratus figure next to its baseline and ratio in the summary', () => {
    const report = sampleReport();
    const table = renderSummaryTable(report).split('\n');
    expect(table[0]).toBe('| metric | Stratus | baseline (same run) | ratio |');
    expect(table).toHaveLength(report.summary.length + 2);
    const p50 = report.summary.find((r) => r.metric === 'warm c=10: p50 / p99 latency');
    expect(p50?.ratio).toBe('×1.50 / ×1.20');
    expect(report.summary.find((r) => r.metric.startsWith('billing: aggregator'))?.stratus).toMatch(/^exact/);
  });

  it('formats figures for people', () => {
    expect(fmtMs(0.042)).toBe('42 µs');
    expect(fmtMs(3.14159)).toBe('3.14 ms');
    expect(fmtMs(1234.5)).toBe('1235 ms');
    expect(fmtMs(Number.NaN)).toBe('–');
    expect(fmtRatio(0.5)).toBe('×0.50');
    expect(fmtRatio(116.6)).toBe('×117');
    expect(fmtRatio(null)).toBe('–');
    expect(timestampDirName(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03-04-05Z');
  });
});
