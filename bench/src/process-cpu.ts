import { readFile } from 'node:fs/promises';
import type { ClusterProcesses } from '@stratus/local-cluster';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms on every platform Node supports. */
const MS_PER_TICK = 10;

/**
 * CPU time (user + system, ms) a process has used so far, from
 * /proc/<pid>/stat; undefined when the process is gone or /proc is missing.
 */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseStatCpuMs(text);
}

/** utime + stime from a /proc/<pid>/stat line. The command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseStatCpuMs(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, utime field 14, stime field 15 (1-based, man proc).
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * MS_PER_TICK : undefined;
}

/** The processes whose CPU a report shows, by role (e.g. "frontend", "node-1", "nats-server", "client"). */
export type ProcessTable = Readonly<Record<string, number>>;

/** Every process a local cluster started, by role: its frontends, nodes, billing, nats-server and etcd. */
export function clusterProcessTable(started: ClusterProcesses): Record<string, number> {
  const server = (s: { readonly pid: number } | undefined, name: string): number => {
    if (s === undefined) throw new Error(`the cluster did not start ${name}`);
    return s.pid;
  };
  return {
    ...Object.fromEntries(started.frontends.map((f) => [f.name, f.pid])),
    ...Object.fromEntries(started.nodes.map((n) => [n.nodeId, n.pid])),
    billing: started.billing.pid,
    'nats-server': server(started.natsServer, 'nats-server'),
    etcd: server(started.etcd, 'etcd'),
  };
}

/** CPU each process used over an interval: ms and % of one core. */
export interface CpuUsage {
  readonly wallMs: number;
  readonly processes: Readonly<Record<string, { readonly cpuMs: number; readonly pctOfCore: number }>>;
}

/** Start measuring; the returned function ends the interval and reports each process's share. */
export async function startCpuMeter(processes: ProcessTable): Promise<() => Promise<CpuUsage>> {
  const before = await readAll(processes);
  const startedAt = performance.now();
  return async () => {
    const after = await readAll(processes);
    const wallMs = performance.now() - startedAt;
    const out: Record<string, { cpuMs: number; pctOfCore: number }> = {};
    for (const [role, end] of Object.entries(after)) {
      const begin = before[role];
      if (begin === undefined || end === undefined) continue;
      const cpuMs = end - begin;
      out[role] = { cpuMs, pctOfCore: wallMs > 0 ? (cpuMs / wallMs) * 100 : 0 };
    }
    return { wallMs, processes: out };
  };
}

async function readAll(processes: ProcessTable): Promise<Record<string, number | undefined>> {
  const entries = await Promise.all(Object.entries(processes).map(async ([role, pid]) => [role, await processCpuMs(pid)] as const));
  return Object.fromEntries(entries);
}
