import type { Measurement } from './report.js';

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
 * Divides each process's CPU over the run by the calls that succeeded in it.
 * `server` picks whose side counts: Stratus's cluster processes, or the echo
 * server alone for the baseline. Undefined when no call succeeded.
 */
export function cpuPerCall(m: Pick<Measurement, 'cpu' | 'stats'>, server: 'stratus' | 'echo'): CpuPerCall | undefined {
  const calls = m.stats.ok;
  if (calls <= 0) return undefined;
  const byProcess: Record<string, number> = {};
  let serverSideUs = 0;
  for (const [role, usage] of Object.entries(m.cpu.processes)) {
    const us = (usage.cpuMs * 1000) / calls;
    byProcess[role] = us;
    const counts = server === 'echo' ? role === 'echo server' : !NOT_SERVER_SIDE.has(role);
    if (counts) serverSideUs += us;
  }
  return { byProcess, serverSideUs, clientUs: byProcess['client'] ?? 0 };
}
