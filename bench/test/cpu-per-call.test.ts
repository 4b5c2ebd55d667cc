import { describe, expect, it } from 'vitest';
import { cpuPerCall } from '../src/cpu-per-call.js';
import type { Measurement } from '../src/report.js';

function run(ok: number, cpuMs: Record<string, number>): Pick<Measurement, 'cpu' | 'stats'> {
  const processes = Object.fromEntries(Object.entries(cpuMs).map(([role, ms]) => [role, { cpuMs: ms, pctOfCore: 0 }]));
  return { cpu: { wallMs: 1000, processes }, stats: { ok } as Measurement['stats'] };
}

describe('CPU per call', () => {
  it('counts every cluster process as the server side of a Stratus call, never the generator or the idle echo server', () => {
    const result = cpuPerCall(run(1000, { frontend: 300, 'node-1': 200, 'node-2': 100, 'nats-server': 150, billing: 50, etcd: 10, client: 400, 'echo server': 5 }), 'stratus');
    expect(result?.serverSideUs).toBeCloseTo(810);
    expect(result?.clientUs).toBeCloseTo(400);
    expect(result?.byProcess['frontend']).toBeCloseTo(300);
  });

  it('counts only the echo server as the server side of the baseline', () => {
    const result = cpuPerCall(run(2000, { frontend: 20, 'node-1': 10, client: 600, 'echo server': 170 }), 'echo');
    expect(result?.serverSideUs).toBeCloseTo(85);
    expect(result?.clientUs).toBeCloseTo(300);
  });

  it('has no figure for a run where no call succeeded', () => {
    expect(cpuPerCall(run(0, { frontend: 20 }), 'stratus')).toBeUndefined();
  });
});
