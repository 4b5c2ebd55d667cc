import { ratio } from '@stratus/loadgen';
import type { CpuUsage } from './process-cpu.js';
import type { BenchReport, CpuPerCallRow, Measurement, OpenLoopMeasurement, ProfilesReport, SkippedScenario } from './report.js';

/** Processes that are not the server side of a call: the load generator, and the baseline server when measuring Stratus. */
const NOT_SERVER_SIDE = new Set(['client', 'echo server']);

/** CPU µs each process spent per successful call during one run, and the server side's total. */
export interface CpuPerCall {
  /** µs per call, by role (frontend, node-1, nats-server, …, client). */
  readonly byProcess: Readonly<Record<string, number>>;
  /** Every process but the load generator (and the echo server when measuring Stratus; the echo's own server when measuring the echo). */
  readonly serverSideUs: number;
  /** The load generator's µs per call. */
  readonly clientUs: number;
}

/**
 * Divides each process's CPU over a run by the calls that succeeded in it.
 * `server` picks whose side counts: Stratus's cluster processes, or the echo
 * server alone for the baseline. Undefined when no call succeeded.
 */
export function cpuPerCall(cpu: CpuUsage, calls: number, server: 'stratus' | 'echo'): CpuPerCall | undefined {
  if (calls <= 0) return undefined;
  const byProcess: Record<string, number> = {};
  let serverSideUs = 0;
  for (const [role, usage] of Object.entries(cpu.processes)) {
    const us = (usage.cpuMs * 1000) / calls;
    byProcess[role] = us;
    const counts = server === 'echo' ? role === 'echo server' : !NOT_SERVER_SIDE.has(role);
    if (counts) serverSideUs += us;
  }
  return { byProcess, serverSideUs, clientUs: byProcess['client'] ?? 0 };
}

type Run = { readonly label: string; readonly cpu: CpuUsage; readonly calls: number };

const closed = (m: Measurement): Run => ({ label: m.label, cpu: m.cpu, calls: m.stats.ok });
const open = (m: OpenLoopMeasurement): Run => ({ label: m.label, cpu: m.cpu, calls: m.run.ok });

/**
 * Loads that ran at the same time share one interval of CPU: it is divided
 * by all their calls (the meter of the longest of them covers the others).
 */
function together(label: string, runs: readonly Measurement[]): Run {
  const longest = runs.reduce((a, b) => (b.cpu.wallMs > a.cpu.wallMs ? b : a));
  return { label, cpu: longest.cpu, calls: runs.reduce((n, m) => n + m.stats.ok, 0) };
}

function row(stratus: Run, echo?: Run): CpuPerCallRow | undefined {
  const s = cpuPerCall(stratus.cpu, stratus.calls, 'stratus');
  if (s === undefined) return undefined;
  const e = echo === undefined ? undefined : cpuPerCall(echo.cpu, echo.calls, 'echo');
  return {
    run: stratus.label,
    calls: stratus.calls,
    stratus: s,
    echo: e ?? null,
    serverToEcho: e === undefined ? null : ratio(s.serverSideUs, e.serverSideUs),
    clientToEcho: e === undefined ? null : ratio(s.clientUs, e.clientUs),
  };
}

/**
 * CPU per call of every run where a call is the unit of work: each warm
 * level, open-loop rate and the burst beside the echo's same run; cold
 * starts, the mixed load and the noisy neighbour's runs alone (their echo
 * would not do the same work); the profiled run when there is one. The
 * noisy neighbour's log flood and memory growth are left out: ten calls of
 * seconds each are not a per-call cost.
 */
export function cpuPerCallRows(
  scenarios: Pick<BenchReport['scenarios'], 'warm' | 'warmOtherLayout' | 'openLoop' | 'burst' | 'coldStart' | 'mixed' | 'noisy'> &
    Partial<Pick<BenchReport['scenarios'], 'http'>>,
  profiles: ProfilesReport | SkippedScenario,
): CpuPerCallRow[] {
  const { warm, warmOtherLayout, openLoop, burst, coldStart, mixed, noisy, http } = scenarios;
  const otherLayout = warmOtherLayout === undefined || 'skipped' in warmOtherLayout ? [] : warmOtherLayout.levels;
  const rows = [
    ...warm.map((l) => row(closed(l.stratus), closed(l.echo))),
    ...otherLayout.map((l) => row(closed(l.stratus), closed(l.echo))),
    ...openLoop.levels.map((l) => row(open(l.stratus), open(l.echo))),
    row(closed(burst.stratus), closed(burst.echo)),
    row({ label: '3 cold start: first and second calls', cpu: coldStart.cpu, calls: coldStart.functions * 2 - coldStart.errors }),
    row(together(`4 mixed c=${mixed.concurrency}: both functions`, [mixed.cpuBound, mixed.waiting])),
    row(closed(noisy.helloAlone)),
    // The function URL beside the gRPC echo of the same concurrency: the HTTP listener's cost shows against a bare gRPC hop.
    ...(http === undefined || 'skipped' in http
      ? []
      : http.levels.map((l) => {
          const echo = warm.find((w) => w.concurrency === l.concurrency)?.echo;
          return row(closed(l.measurement), echo === undefined ? undefined : closed(echo));
        })),
    row(together(`8 noisy: hello and ${noisy.busyConcurrency} busy calls, together`, [noisy.helloBeside, noisy.busy])),
    'skipped' in profiles ? undefined : row(closed(profiles.measurement)),
  ];
  return rows.filter((r): r is CpuPerCallRow => r !== undefined);
}
