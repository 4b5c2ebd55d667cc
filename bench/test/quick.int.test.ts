import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/report.js';

// Runs `npm run bench -- --quick` as a user does (the built dist/main.js, its
// own cluster of real processes) and checks what it wrote. No figure is
// asserted: speed is what the report shows, not what a test checks.
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
// Eight scenarios, each with real processes: 3 min 9 s was seen on a 2-core
// machine busy with other test runs, so the limit leaves room for that.
const RUN_TIMEOUT_MS = 360_000;

let outDir: string;
let exitCode: number | null;
let stderr = '';
let stdout = '';
let report: BenchReport;
let runDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bench-quick-'));
  const child = spawn(process.execPath, ['--no-node-snapshot', MAIN, '--quick', '--out', outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [name] = await readdir(outDir);
  runDir = join(outDir, name ?? 'missing');
  report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as BenchReport;
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('exits 0 and prints the summary table', () => {
    expect(exitCode, stderr.slice(-3000)).toBe(0);
    expect(stdout).toContain('| metric | Stratus | baseline (same run) | ratio |');
  });

  it('measures scenario 1 on both layouts', () => {
    expect(report.cluster.layout).toBe('combined');
    const other = report.scenarios.warmOtherLayout;
    expect(other !== undefined && !('skipped' in other) ? other.levels.map((l) => l.concurrency) : other).toEqual(report.scenarios.warm.map((l) => l.concurrency));
    expect(stdout).toContain('warm c=100 (split): throughput');
  });

  it('writes the report and its charts', async () => {
    expect((await readdir(runDir)).sort()).toEqual(
      ['cold-vs-warm.svg', 'isolates.svg', 'latency-distribution.svg', 'report.json', 'report.md', 'throughput.svg'].sort(),
    );
    expect(await readFile(join(runDir, 'report.md'), 'utf8')).toContain('## Summary');
  });

  it('has every scenario with its baseline, and the skipped ones with a reason', () => {
    expect(report.mode).toBe('quick');
    expect(report.scenarios.warm.map((l) => l.concurrency)).toEqual([1, 100, 1000]);
    for (const level of report.scenarios.warm) {
      expect(level.stratus.stats.ok).toBeGreaterThan(0);
      expect(level.echo.stats.ok).toBeGreaterThan(0);
      expect(level.ratios.throughput).toEqual(expect.any(Number));
      // Combined, the frontend is node-1's process.
      expect(Object.keys(level.stratus.cpu.processes)).toEqual(expect.arrayContaining(['node-1', 'node-2', 'billing', 'nats-server', 'etcd', 'client']));
    }
    const split = report.scenarios.warmOtherLayout;
    for (const level of split !== undefined && !('skipped' in split) ? split.levels : []) {
      expect(Object.keys(level.stratus.cpu.processes)).toEqual(
        expect.arrayContaining(['frontend', 'node-1', 'node-2', 'billing', 'nats-server', 'etcd', 'client']),
      );
    }
    expect(report.scenarios.openLoop.levels.map((l) => l.fraction)).toEqual([0.5, 1]);
    for (const level of report.scenarios.openLoop.levels) {
      for (const run of [level.stratus.run, level.echo.run]) {
        expect(run.sent + run.dropped).toBe(run.scheduled);
        expect(run.latency.count).toBe(run.ok);
      }
      expect(level.stratus.run.ok).toBeGreaterThan(0);
    }
    expect(report.cpuPerCall.map((r) => r.run)).toEqual(expect.arrayContaining(['1 warm c=100', '1 warm c=100 (split)', '2 cold burst of 300']));
    const warm100 = report.cpuPerCall.find((r) => r.run === '1 warm c=100');
    expect(Object.keys(warm100?.stratus.byProcess ?? {})).toEqual(expect.arrayContaining(['node-1', 'nats-server', 'client']));
    const split100 = report.cpuPerCall.find((r) => r.run === '1 warm c=100 (split)');
    expect(Object.keys(split100?.stratus.byProcess ?? {})).toEqual(expect.arrayContaining(['frontend', 'node-1', 'nats-server', 'client']));
    expect(warm100?.echo?.serverSideUs).toEqual(expect.any(Number));
    expect('skipped' in report.profiles).toBe(true);
    const { burst, coldStart, mixed } = report.scenarios;
    expect(burst.stratus.stats.requests).toBe(burst.size);
    expect(burst.stratus.stats.coldStarts).toBeGreaterThan(0);
    expect(coldStart.coldCalls).toBeGreaterThanOrEqual(coldStart.functions - coldStart.errors);
    expect(mixed.isolates.length).toBeGreaterThan(0);
    expect(mixed.peakIsolates).toBeGreaterThan(0);
    const asyncResult = report.scenarios.async;
    if ('skipped' in asyncResult) throw new Error(`scenario 5 was skipped: ${asyncResult.reason}`);
    expect(asyncResult.accepted.ok).toBe(asyncResult.events);
    expect(asyncResult.unfinished).toBe(0);
    expect(asyncResult.states).toEqual({ succeeded: asyncResult.events });
    expect(asyncResult.endToEnd.count).toBe(asyncResult.events);
    const http = report.scenarios.http;
    if ('skipped' in http) throw new Error(`scenario 6 was skipped: ${http.reason}`);
    expect(http.functionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lambda-url\/bench-url\/$/);
    expect(http.levels.map((l) => l.concurrency)).toEqual(report.scenarios.warm.map((l) => l.concurrency));
    for (const level of http.levels) expect(level.measurement.stats.ok, `function URL c=${level.concurrency}`).toBeGreaterThan(0);
    expect(report.cpuPerCall.some((r) => r.run.startsWith('6 URL c='))).toBe(true);
    expect(report.baselines.ivm.cold.count).toBeGreaterThan(0);
    expect(report.summary.length).toBeGreaterThan(5);
    expect(report.git.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('finds the billing aggregator agreeing with the results', () => {
    const billing = report.scenarios.billing;
    expect(billing.passed, billing.notes.join('; ')).toBe(true);
    expect(billing.invocationsMade).toBeGreaterThan(0);
    expect(billing.aggregatorRequests - billing.invocationsMade).toBeLessThanOrEqual(billing.callsWithoutResult);
  });
});
