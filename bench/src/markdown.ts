import type { ProfileSummary } from './cpu-profile.js';
import type {
  AsyncLoopStats,
  AsyncScenarioResult,
  BenchReport,
  CpuPerCallRow,
  Measurement,
  OpenLoopMeasurement,
  OpenLoopResult,
  SkippedScenario,
  WarmLevel,
} from './report.js';
import { fmtMs, fmtPct, fmtRate, fmtRatio } from '@stratus/loadgen';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The summary table alone, as the README and the closing note paste it. */
export function renderSummaryTable(report: BenchReport): string {
  return table(['metric', 'Stratus', 'baseline (same run)', 'ratio'], report.summary.map((r) => [r.metric, r.stratus, r.baseline, r.ratio]));
}

function measurementRow(m: Measurement): string[] {
  const s = m.stats;
  const errors = Object.entries(s.errors).map(([code, n]) => `${code} ${n}`).join(', ');
  return [
    m.label,
    String(s.concurrency),
    String(s.ok),
    fmtRate(s.throughputPerSec),
    fmtMs(s.latency.p50Ms),
    fmtMs(s.latency.p90Ms),
    fmtMs(s.latency.p99Ms),
    fmtMs(s.latency.maxMs),
    String(s.coldStarts),
    `${s.throttles}`,
    errors || '0',
    fmtPct(s.clientCpuPct),
  ];
}

/**
 * What the nodes made during each measured warm run, from their metrics: a
 * warm pool at steady concurrency should make nothing, and each shell costs a
 * node 2-3 ms of main-thread CPU.
 */
function churnSection(levels: readonly WarmLevel[]): string[] {
  const measured = levels.filter((l) => l.churn !== undefined);
  if (measured.length === 0) return [];
  const rows = measured.map((l) => {
    const c = l.churn;
    if (c === null || c === undefined) return [l.stratus.label, '–', '–', '–', '–', '–'];
    const perSec = (c.shells / c.wallMs) * 1000;
    return [l.stratus.label, String(c.cold), String(c.spare), String(c.shells), String(c.disposed), `${perSec.toFixed(1)}/s`];
  });
  return [
    'Environments the worker nodes made and disposed during each measured run (after the warm-up, which repeats until a round starts none), from their `stratus_node_environments_*` and `stratus_node_isolate_shells_created_total` metrics:',
    table(['run', 'cold', 'spare', 'isolate shells made', 'disposed', 'shells per second'], rows),
  ];
}

const MEASUREMENT_HEADER = ['run', 'conc.', 'ok', 'throughput', 'p50', 'p90', 'p99', 'max', 'cold', 'throttled', 'errors', 'generator CPU'];

function cpuTable(runs: ReadonlyArray<Pick<Measurement, 'label' | 'cpu'>>): string {
  const roles = [...new Set(runs.flatMap((r) => Object.keys(r.cpu.processes)))];
  return table(
    ['run', ...roles],
    runs.map((r) => [r.label, ...roles.map((role) => fmtPct(r.cpu.processes[role]?.pctOfCore))]),
  );
}

const fmtUs = (us: number | undefined): string => (us === undefined || !Number.isFinite(us) ? '–' : `${us.toFixed(0)} µs`);

/** The cluster's roles in a stable order: frontends, nodes, then the rest as they come. */
function clusterRoles(rows: readonly CpuPerCallRow[]): string[] {
  const roles = [...new Set(rows.flatMap((r) => Object.keys(r.stratus.byProcess)))].filter((r) => r !== 'client' && r !== 'echo server');
  const rank = (role: string): number => (role.startsWith('frontend') ? 0 : role.startsWith('node') ? 1 : 2);
  return roles.sort((a, b) => rank(a) - rank(b) || (rank(a) < 2 ? a.localeCompare(b) : 0));
}

/** CPU µs per successful call, by process, for every run where that makes sense, beside the echo's same run. */
function cpuPerCallTable(rows: readonly CpuPerCallRow[]): string {
  const roles = clusterRoles(rows);
  return table(
    ['run', 'calls', 'echo server', 'echo client', ...roles, 'Stratus server side', 'Stratus client', 'server side ÷ echo server', 'client ÷ echo client'],
    rows.map((r) => [
      r.run,
      String(r.calls),
      fmtUs(r.echo?.serverSideUs),
      fmtUs(r.echo?.clientUs),
      ...roles.map((role) => fmtUs(r.stratus.byProcess[role])),
      fmtUs(r.stratus.serverSideUs),
      fmtUs(r.stratus.clientUs),
      fmtRatio(r.serverToEcho),
      fmtRatio(r.clientToEcho),
    ]),
  );
}

const OPEN_LOOP_HEADER = ['run', 'rate asked', 'sent/s', 'late', 'dropped', 'ok', 'p50', 'p90', 'p99', 'p99.9', 'max', 'p99 from send', 'errors', 'generator CPU'];

function openLoopRow(m: OpenLoopMeasurement): string[] {
  const r = m.run;
  const errors = Object.entries(r.errors).map(([code, n]) => `${code} ${n}`);
  if (r.throttles > 0) errors.unshift(`THROTTLED ${r.throttles}`);
  return [
    m.label,
    fmtRate(r.ratePerSec),
    fmtRate(r.achievedRatePerSec),
    String(r.late),
    String(r.dropped),
    String(r.ok),
    fmtMs(r.latency.p50Ms),
    fmtMs(r.latency.p90Ms),
    fmtMs(r.latency.p99Ms),
    fmtMs(r.latency.p999Ms),
    fmtMs(r.latency.maxMs),
    fmtMs(r.serviceLatency.p99Ms),
    errors.join(', ') || '0',
    fmtPct(r.elapsedMs > 0 ? (r.clientCpuMs / r.elapsedMs) * 100 : undefined),
  ];
}

function openLoopSection(openLoop: OpenLoopResult): string[] {
  const out: string[] = [];
  out.push('## 1b. Warm open loop (fixed arrival rate)');
  out.push(
    `Calls leave on a fixed schedule whatever the answers, at fractions of the best closed-loop throughput above (${fmtRate(openLoop.closedLoopPeakPerSec)} at c=${openLoop.closedLoopPeakConcurrency}), ${fmtMs(openLoop.durationMs)} per rate, the echo offered the same rate. ` +
      'Latency runs from each call\'s scheduled send, so queueing in the generator or in the target shows (no coordinated omission); percentiles from an HDR histogram. ' +
      'At most 1000 calls are in flight: a call due beyond that waits for a slot (late) and one still waiting at the end is not sent (dropped).',
  );
  out.push(table(OPEN_LOOP_HEADER, openLoop.levels.flatMap((l) => [openLoopRow(l.echo), openLoopRow(l.stratus)])));
  out.push(
    table(
      ['rate', '× closed-loop peak', 'p50 ratio', 'p99 ratio', 'p99.9 ratio'],
      openLoop.levels.map((l) => [fmtRate(l.ratePerSec), `×${l.fraction}`, fmtRatio(l.ratios.p50), fmtRatio(l.ratios.p99), fmtRatio(l.ratios.p999)]),
    ),
  );
  return out;
}

function profileTables(p: ProfileSummary): string[] {
  const pct = (v: number): string => `${v.toFixed(1)}%`;
  return [
    `### ${p.process}`,
    `${p.samples} samples over ${fmtMs(p.sampledMs)}${p.windowed ? ' (the measured run only)' : ' (the whole process: no sample fell in the measured run\'s window)'}, idle ${pct(p.idlePct)}; file \`${p.file}\`.`,
    table(['package', 'self'], p.groups.map((g) => [g.group, pct(g.selfPct)])),
    table(
      ['self', 'total', 'function', 'file:line', 'package'],
      p.top.map((f) => [pct(f.selfPct), pct(f.totalPct), f.functionName, f.location || '–', f.group]),
    ),
  ];
}

/** report.md: the summary, each scenario's table, where CPU went, and a short reading. */
export function renderMarkdown(report: BenchReport): string {
  const { warm, burst, coldStart, mixed, billing } = report.scenarios;
  const out: string[] = [];
  out.push(`# Stratus bench (${report.mode})`);
  out.push(
    `${report.startedAt} · \`${report.command}\` · git ${report.git.commit?.slice(0, 12) ?? 'unknown'}${report.git.dirty ? ' (uncommitted changes)' : ''} · ` +
      `${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryMb} MB, load average at start ${report.machine.loadAverageAtStart.map((n) => n.toFixed(2)).join(' ')} · ` +
      `${report.cluster.nodes} worker nodes${report.cluster.layout === undefined ? '' : ` (${report.cluster.layout} layout)`}, keep-warm ${report.cluster.keepWarmMs} ms, ${report.cluster.clientThreads} client thread(s)`,
  );
  out.push(
    'Absolute numbers on a shared machine are noise; the ratios to baselines measured in the same run, with the same load generator, are what to compare between runs. A ratio is Stratus ÷ baseline: above 1 for latency is slower, below 1 for throughput is fewer calls per second.',
  );
  out.push('## Summary', renderSummaryTable(report));
  out.push('## Reading', reading(report).map((line) => `- ${line}`).join('\n'));

  out.push('## 1. Warm throughput and latency (trivial handler)');
  out.push(table(MEASUREMENT_HEADER, warm.flatMap((l) => [measurementRow(l.echo), measurementRow(l.stratus)])));
  out.push(
    table(
      ['concurrency', 'throughput ratio', 'p50 ratio', 'p99 ratio'],
      warm.map((l) => [String(l.concurrency), fmtRatio(l.ratios.throughput), fmtRatio(l.ratios.p50), fmtRatio(l.ratios.p99)]),
    ),
  );
  out.push(...churnSection(warm));
  out.push('![latency distributions](latency-distribution.svg)', '![throughput against concurrency](throughput.svg)');
  const other = report.scenarios.warmOtherLayout;
  if (other !== undefined && 'skipped' in other) out.push(`### The other layout\n\nSkipped: ${other.reason}`);
  else if (other !== undefined) {
    out.push(
      `### The same on a ${other.layout} cluster (${other.nodes} worker nodes)`,
      'Started after the first cluster was done with scenario 1, each level beside an echo run of its own: compare its ratios with those above (CPU per call for both is in the table below).',
    );
    out.push(table(MEASUREMENT_HEADER, other.levels.flatMap((l) => [measurementRow(l.echo), measurementRow(l.stratus)])));
    out.push(
      table(
        ['concurrency', 'throughput ratio', 'p50 ratio', 'p99 ratio'],
        other.levels.map((l) => [String(l.concurrency), fmtRatio(l.ratios.throughput), fmtRatio(l.ratios.p50), fmtRatio(l.ratios.p99)]),
      ),
    );
    out.push(...churnSection(other.levels));
  }
  out.push(...openLoopSection(report.scenarios.openLoop));

  out.push(`## 2. Burst of ${burst.size} on a cold function`);
  out.push(table(MEASUREMENT_HEADER, [measurementRow(burst.echo), measurementRow(burst.stratus)]));
  out.push(
    `Time until all ${burst.size} finished: ${fmtMs(burst.stratus.stats.elapsedMs)} (echo ${fmtMs(burst.echo.stats.elapsedMs)}, ratio ${fmtRatio(burst.completionRatio)}); ` +
      `${burst.stratus.stats.coldStarts} calls were cold (init p50 ${fmtMs(burst.init.p50Ms)}, max ${fmtMs(burst.init.maxMs)}).`,
  );

  out.push(`## 3. Cold start: ${coldStart.functions} freshly deployed functions`);
  out.push(
    table(
      ['', 'p50', 'p90', 'p99', 'max'],
      [
        ['deploy (CreateFunction)', coldStart.deployMs],
        ['first call', coldStart.firstCall],
        ['second call (warm)', coldStart.warmCall],
        ['init reported by the node', coldStart.init],
        ['raw isolated-vm: isolate + context + compile + call', report.baselines.ivm.cold],
        ['raw isolated-vm: warm call', report.baselines.ivm.warm],
      ].map(([label, s]) => {
        const summary = s as typeof coldStart.init;
        return [label as string, fmtMs(summary.p50Ms), fmtMs(summary.p90Ms), fmtMs(summary.p99Ms), fmtMs(summary.maxMs)];
      }),
    ),
  );
  out.push(
    `${coldStart.coldCalls} of ${coldStart.functions * 2} calls were cold, ${coldStart.errors} failed. First ÷ warm ${fmtRatio(coldStart.ratios.coldToWarm)}; init ÷ raw isolated-vm cold ${fmtRatio(coldStart.ratios.initToIvmCold)}; warm ÷ gRPC echo ${fmtRatio(coldStart.ratios.warmToEcho)}.`,
  );
  out.push('![cold against warm](cold-vs-warm.svg)');

  out.push(`## 4. Mixed load at concurrency ${mixed.concurrency}: CPU-bound and 50 ms timer`);
  out.push(table(MEASUREMENT_HEADER, [measurementRow(mixed.cpuBound), measurementRow(mixed.waiting)]));
  out.push(
    `Peak isolates of the two functions: ${mixed.peakIsolates}. Load ran ${fmtMs(mixed.loadMs)}; with keep-warm ${fmtMs(mixed.keepWarmMs)} the pools were back to 0 ${mixed.scaleDownMs === null ? 'not within the time watched' : `${fmtMs(mixed.scaleDownMs)} after the load stopped`}.`,
  );
  out.push('![isolates over time](isolates.svg)');

  const noisy = report.scenarios.noisy;
  out.push(`## 8. Noisy neighbour: a trivial function beside ${noisy.busyConcurrency} concurrent ${noisy.busyWorkMs} ms CPU-bound calls`);
  out.push(
    table(MEASUREMENT_HEADER, [
      measurementRow(noisy.helloAlone),
      measurementRow(noisy.helloBeside),
      measurementRow(noisy.busy),
      measurementRow(noisy.logFlood.helloBeside),
    ]),
  );
  const rss = (r: { beforeMb: number; peakMb: number; afterMb: number }): string =>
    `${r.beforeMb.toFixed(0)} MB before, ${r.peakMb.toFixed(0)} MB at peak, ${r.afterMb.toFixed(0)} MB after`;
  out.push(
    `hello beside the busy calls / alone: p50 ${fmtRatio(noisy.ratios.p50)}, p99 ${fmtRatio(noisy.ratios.p99)} (goal: p99 at most ×3). ` +
      `Billed per ${noisy.busyWorkMs} ms busy call: ${fmtMs(noisy.billedMsPerBusyCall)}. ` +
      `Worker nodes' RSS (summed) around ${noisy.logFlood.calls} calls logging 10 KB lines for 3 s: ${rss(noisy.logFlood.rss)}; ` +
      `around ${noisy.wasmGrowth.calls} calls growing WebAssembly memory (${noisy.wasmGrowth.outOfMemory} ended as out of memory): ${rss(noisy.wasmGrowth.rss)}.`,
  );

  asyncSection(out, report.scenarios.async);
  const http = report.scenarios.http;
  out.push('## 6. HTTP trigger: function URLs');
  if ('skipped' in http) {
    out.push(`Skipped: ${http.reason}`);
  } else {
    out.push(http.note);
    const byConcurrency = (c: number) => warm.find((l) => l.concurrency === c);
    out.push(
      table(
        MEASUREMENT_HEADER,
        http.levels.flatMap((l) => {
          const w = byConcurrency(l.concurrency);
          return [...(w ? [measurementRow(w.echo), measurementRow(w.stratus)] : []), measurementRow(l.measurement)];
        }),
      ),
    );
    const peerNames = [...new Set(http.levels.flatMap((l) => Object.keys(l.toPeers)))];
    out.push(
      table(
        ['concurrency', 'URL ÷ gRPC frontend: throughput', 'p50', 'p99', 'URL ÷ echo: throughput', 'p50', 'p99', ...peerNames.flatMap((n) => [`URL ÷ ${n}: throughput`, 'p50', 'p99'])],
        http.levels.map((l) => [
          String(l.concurrency),
          fmtRatio(l.toGrpc.throughput),
          fmtRatio(l.toGrpc.p50),
          fmtRatio(l.toGrpc.p99),
          fmtRatio(l.toEcho.throughput),
          fmtRatio(l.toEcho.p50),
          fmtRatio(l.toEcho.p99),
          ...peerNames.flatMap((n) => {
            const r = l.toPeers[n];
            return r === undefined ? ['–', '–', '–'] : [fmtRatio(r.throughput), fmtRatio(r.p50), fmtRatio(r.p99)];
          }),
        ]),
      ),
    );
  }

  out.push('## 7. Billing check');
  out.push(
    table(
      ['', 'harness (from results)', 'billing aggregator'],
      [
        ['requests', String(billing.invocationsMade), String(billing.aggregatorRequests)],
        ['billed ms', String(billing.billedMsFromResults), String(billing.aggregatorBilledMs)],
      ],
    ),
  );
  out.push(
    `${billing.exact ? 'Passed, exactly' : billing.passed ? 'Passed, with calls of unknown outcome' : '**Failed**'}. Usage lag at peak: ${fmtMs(billing.usageLagAtPeakMs)} after the concurrency-${Math.max(...warm.map((l) => l.concurrency))} run ended, when ${billing.usageBacklogAtPeak ?? '–'} of its calls were not yet counted.` +
      (billing.notes.length > 0 ? ` ${billing.notes.join('; ')}.` : ''),
  );

  out.push('## Peers');
  if ('skipped' in report.peers) {
    out.push(`Not run: ${report.peers.reason}`);
  } else {
    out.push(report.peers.note);
    for (const peer of report.peers.results) {
      out.push(`### ${peer.name}${peer.version ? ` ${peer.version}` : ''}`);
      out.push(`Run as ${peer.setup}.${peer.startupMs === null ? '' : ` It answered ${fmtMs(peer.startupMs)} after its process started.`}`);
      if (peer.skipped !== null) out.push(`${peer.levels.length > 0 ? 'Stopped early' : 'Not measured'}: ${peer.skipped}`);
      if (peer.levels.length === 0) continue;
      const byConcurrency = (c: number) => warm.find((l) => l.concurrency === c);
      out.push(
        table(
          MEASUREMENT_HEADER,
          peer.levels.flatMap((l) => {
            const w = byConcurrency(l.concurrency);
            return [...(w ? [measurementRow(w.echo), measurementRow(w.stratus)] : []), measurementRow(l.measurement)];
          }),
        ),
      );
      out.push(
        table(
          ['concurrency', `${peer.name} ÷ echo: throughput`, 'p50', 'p99', `Stratus ÷ ${peer.name}: throughput`, 'p50', 'p99'],
          peer.levels.map((l) => [
            String(l.concurrency),
            fmtRatio(l.toEcho.throughput),
            fmtRatio(l.toEcho.p50),
            fmtRatio(l.toEcho.p99),
            fmtRatio(l.stratusToPeer.throughput),
            fmtRatio(l.stratusToPeer.p50),
            fmtRatio(l.stratusToPeer.p99),
          ]),
        ),
      );
    }
  }

  out.push('## CPU per call (µs of CPU per successful call, /proc utime + stime over the run)');
  out.push(
    'Each process\'s CPU over a run divided by the calls that got a result; loads that ran together are divided by all their calls. The echo columns are the echo baseline\'s run of the same scenario (same concurrency, or the same offered rate), where there is one. These figures hold whatever the machine\'s load; compare the ratios between runs.',
  );
  out.push(cpuPerCallTable(report.cpuPerCall));
  out.push('## CPU profiles (`--profile`)');
  if ('skipped' in report.profiles) {
    out.push(`Not run: ${report.profiles.reason}`);
  } else {
    const profiles = report.profiles;
    out.push(profiles.note);
    out.push(table(MEASUREMENT_HEADER, [measurementRow(profiles.measurement)]));
    const churn = profiles.churn;
    if (churn !== undefined && churn !== null) {
      out.push(
        `During the profiled run the nodes made ${churn.cold} environments cold and ${churn.spare} spare, ${churn.shells} isolate shells in all, and disposed ${churn.disposed}.`,
      );
    }
    if (profiles.missing.length > 0) out.push(`No profile was written by: ${profiles.missing.join(', ')}.`);
    for (const p of profiles.processes) out.push(...profileTables(p));
  }
  out.push('## Where CPU went (% of one core during each run)');
  out.push(
    cpuTable([
      ...warm.flatMap((l) => [l.echo, l.stratus]),
      ...report.scenarios.openLoop.levels.flatMap((l) => [l.echo, l.stratus]),
      burst.echo,
      burst.stratus,
      { label: '3 cold start calls', cpu: coldStart.cpu },
      mixed.cpuBound,
      ...('skipped' in report.peers ? [] : report.peers.results.flatMap((p) => p.levels.map((l) => l.measurement))),
      ...('skipped' in report.scenarios.http ? [] : report.scenarios.http.levels.map((l) => l.measurement)),
    ]),
  );
  out.push('## Versions', table(['component', 'version'], Object.entries(report.versions)));
  return `${out.join('\n\n')}\n`;
}

/** A few sentences on what the numbers say, computed rather than written by hand. */
function reading(report: BenchReport): string[] {
  const lines: string[] = [];
  const { warm, burst, coldStart, mixed, billing } = report.scenarios;
  const peak = warm.reduce((a, b) => (b.stratus.stats.throughputPerSec > a.stratus.stats.throughputPerSec ? b : a), warm[0] as (typeof warm)[number]);
  if (peak) {
    lines.push(
      `Warm throughput peaked at ${fmtRate(peak.stratus.stats.throughputPerSec)} (concurrency ${peak.concurrency}), ${fmtRatio(peak.ratios.throughput)} of a bare gRPC echo at the same concurrency; each call crosses gRPC, NATS request-reply and an isolate, so a ratio well below 1 is expected.`,
    );
    const top = Object.entries(peak.stratus.cpu.processes).sort((a, b) => b[1].pctOfCore - a[1].pctOfCore)[0];
    if (top && top[1].pctOfCore >= 80) {
      lines.push(`At that level the busiest process was ${top[0]} at ${fmtPct(top[1].pctOfCore)} of a core, so it bounds throughput on this ${report.machine.cpus}-core machine.`);
    } else if (top) {
      lines.push(
        `At that level no process was near a full core (the busiest, ${top[0]}, used ${fmtPct(top[1].pctOfCore)}): the machine was shared (load average ${report.machine.loadAverageAtStart[0]?.toFixed(1) ?? '–'} at start), so its contention, not one Stratus process, set the pace.`,
      );
    }
  }
  const maxGen = Math.max(0, ...warm.flatMap((l) => [l.stratus.stats.clientCpuPct, l.echo.stats.clientCpuPct]));
  lines.push(
    maxGen > 90
      ? `The load generator used up to ${fmtPct(maxGen)} of a core: it may have limited the figures; rerun with more --threads on a machine with more cores.`
      : `The load generator used at most ${fmtPct(maxGen)} of a core, so it was not the bottleneck.`,
  );
  lines.push(
    `A burst of ${burst.size} calls on a cold function finished in ${fmtMs(burst.stratus.stats.elapsedMs)} with ${burst.stratus.stats.coldStarts} cold starts, ${burst.stratus.stats.errorCount} errors and ${burst.stratus.stats.throttles} throttled.`,
  );
  lines.push(
    `A freshly deployed function's first call took ${fmtMs(coldStart.firstCall.p50Ms)} at p50, ${fmtRatio(coldStart.ratios.coldToWarm)} its warm call; the node's init was ${fmtRatio(coldStart.ratios.initToIvmCold)} a raw isolated-vm cold start.`,
  );
  lines.push(
    `Under mixed load the pools grew to ${mixed.peakIsolates} isolates and ${mixed.scaleDownMs === null ? 'had not shrunk to 0 when watching stopped' : `shrank to 0 ${fmtMs(mixed.scaleDownMs)} after the load ended`}.`,
  );
  lines.push(
    billing.exact
      ? 'Billing matched the results exactly.'
      : billing.passed
        ? `Billing matched every call with a result; ${billing.aggregatorRequests - billing.invocationsMade} of the ${billing.callsWithoutResult} calls that ended without one (INVOCATION_LOST, timeouts) had run and were billed.`
        : `Billing did not match: ${billing.notes.join('; ')}.`,
  );
  const lost = [burst.stratus, mixed.cpuBound, mixed.waiting, ...warm.map((l) => l.stratus)].reduce((n, m) => n + (m.stats.errors['INVOCATION_LOST'] ?? 0), 0);
  if (lost > 0) {
    lines.push(
      `${lost} calls failed with INVOCATION_LOST: the frontend gave up on a node that stopped answering (its lease lapsed while its event loop was busy), although the calls may have run. This is a finding about Stratus, not about the harness.`,
    );
  }
  if (!('skipped' in report.peers)) {
    for (const peer of report.peers.results) {
      const top = peer.levels.at(-1);
      if (!top) {
        lines.push(`${peer.name} was not measured: ${peer.skipped ?? 'no levels ran'}.`);
        continue;
      }
      lines.push(
        `At concurrency ${top.concurrency}, ${peer.name} served ${fmtRate(top.measurement.stats.throughputPerSec)} over HTTP (${fmtRatio(top.toEcho.throughput)} of the gRPC echo); Stratus through its gRPC frontend did ${fmtRatio(top.stratusToPeer.throughput)} of that, at ${fmtRatio(top.stratusToPeer.p50)} its p50 latency.`,
      );
    }
  }
  return lines;
}

/** Scenario 5: acceptance beside the synchronous path, then how long the accepted events took to run. */
function asyncSection(out: string[], result: AsyncScenarioResult | SkippedScenario): void {
  out.push('## 5. Async invocations');
  if ('skipped' in result) {
    out.push(`Skipped: ${result.reason}`);
    return;
  }
  const loop = (l: AsyncLoopStats): string =>
    `${fmtRate(l.perSec)} (${l.ok}/${l.calls} in ${fmtMs(l.elapsedMs)}; p50 ${fmtMs(l.latency.p50Ms)}, p99 ${fmtMs(l.latency.p99Ms)}${Object.keys(l.errors).length > 0 ? `; errors ${JSON.stringify(l.errors)}` : ''})`;
  const states = Object.entries(result.states).map(([state, n]) => `${n} ${state}`).join(', ');
  out.push(
    result.note,
    [
      '| measure | value |',
      '|---|---|',
      `| synchronous calls/s | ${loop(result.sync)} |`,
      `| async events accepted/s | ${loop(result.accepted)} |`,
      `| accepted/s ÷ sync calls/s | ${fmtRatio(result.acceptedToSync)} |`,
      `| acceptance to finish, p50 / p99 / max | ${fmtMs(result.endToEnd.p50Ms)} / ${fmtMs(result.endToEnd.p99Ms)} / ${fmtMs(result.endToEnd.maxMs)} |`,
      `| first acceptance to last finish (drain) | ${fmtMs(result.drainMs)} (÷ sync loop ${fmtRatio(result.drainToSync)}) |`,
      `| outcome | ${states || 'none finished'}; ${result.attempts} attempts; ${result.unfinished} unfinished |`,
    ].join('\n'),
  );
}
