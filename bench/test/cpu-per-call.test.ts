import { describe, expect, it } from 'vitest';
import { cpuPerCall } from '../src/cpu-per-call.js';
import type { CpuUsage } from '../src/process-cpu.js';
import { sampleReport } from './report-fixture.js';

function run(ok: number, cpuMs: Record<string, number>): [CpuUsage, number] {
  const processes = Object.fromEntries(Object.entries(cpuMs).map(([role, ms]) => [role, { cpuMs: ms, pctOfCore: 0 }]));
  return [{ wallMs: 1000, processes }, ok];
}

describe('CPU per call', () => {
  it('counts every cluster process as the server side of a Stratus call, never the generator or the idle echo server', () => {
    const result = cpuPerCall(...run(1000, { frontend: 300, 'node-1': 200, 'node-2': 100, 'nats-server': 150, billing: 50, etcd: 10, client: 400, 'echo server': 5 }), 'stratus');
    expect(result?.serverSideUs).toBeCloseTo(810);
    expect(result?.clientUs).toBeCloseTo(400);
    expect(result?.byProcess['frontend']).toBeCloseTo(300);
  });

  it('counts only the echo server as the server side of the baseline', () => {
    const result = cpuPerCall(...run(2000, { frontend: 20, 'node-1': 10, client: 600, 'echo server': 170 }), 'echo');
    expect(result?.serverSideUs).toBeCloseTo(85);
    expect(result?.clientUs).toBeCloseTo(300);
  });

  it('has no figure for a run where no call succeeded', () => {
    expect(cpuPerCall(...run(0, { frontend: 20 }), 'stratus')).toBeUndefined();
  });
});

describe('CPU per call of every scenario', () => {
  it('puts the echo run of the same scenario beside Stratus, and divides loads that ran together by all their calls', () => {
    const report = sampleReport();
    const row = (run: string) => report.cpuPerCall.find((r) => r.run === run);
    // The fixture's every run used frontend 800 ms, node-1 300 ms and the client 200 ms of CPU.
    expect(row('1 warm c=10')?.stratus.byProcess['frontend']).toBeCloseTo(16_000);
    expect(row('1 warm c=10')?.echo?.clientUs).toBeCloseTo(4_000);
    expect(row('1b warm open loop 100/s')?.stratus.serverSideUs).toBeCloseTo(11_000);
    expect(row('1b warm open loop 100/s')?.serverToEcho).toBeNull();
    expect(row('4 mixed c=10: both functions')?.calls).toBe(100);
    expect(row('4 mixed c=10: both functions')?.stratus.byProcess['frontend']).toBeCloseTo(8_000);
    expect(row('4 mixed c=10: both functions')?.echo).toBeNull();
    expect(report.cpuPerCall.map((r) => r.run)).not.toContain('8 noisy: hello beside the log flood');
  });
});
