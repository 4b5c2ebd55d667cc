import { fmtMs, fmtPct, fmtRate, fmtRatio, ratio } from '@stratus/loadgen';
import { cpuPerCall } from './cpu-per-call.js';
import type { BenchReport, SummaryRow, WarmLevel } from './report.js';

type ReportBody = Omit<BenchReport, 'summary'>;

/** The headline table: each Stratus figure next to its same-run baseline and the ratio of the two. */
export function buildSummary(report: ReportBody): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const { warm, burst, coldStart, mixed, billing, warmOtherLayout } = report.scenarios;
  const layout = report.cluster.layout;
  const other = warmOtherLayout !== undefined && !('skipped' in warmOtherLayout) ? warmOtherLayout : undefined;
  warmRows(rows, warm, other === undefined || layout === undefined ? '' : ` (${layout})`);
  if (other !== undefined) warmRows(rows, other.levels, ` (${other.layout})`);
  const { openLoop } = report.scenarios;
  for (const level of openLoop.levels) {
    const s = level.stratus.run;
    const e = level.echo.run;
    const lost = (r: typeof s): string => (r.dropped > 0 || r.late > 0 ? `, ${r.late} late, ${r.dropped} dropped` : '');
    rows.push({
      metric: `open loop ${fmtRate(level.ratePerSec)} (×${level.fraction} closed-loop peak): p50 / p99 / p99.9 from schedule`,
      stratus: `${fmtMs(s.latency.p50Ms)} / ${fmtMs(s.latency.p99Ms)} / ${fmtMs(s.latency.p999Ms)} (${fmtRate(s.achievedRatePerSec)} sent${lost(s)})`,
      baseline: `${fmtMs(e.latency.p50Ms)} / ${fmtMs(e.latency.p99Ms)} / ${fmtMs(e.latency.p999Ms)} (gRPC echo${lost(e)})`,
      ratio: `${fmtRatio(level.ratios.p50)} / ${fmtRatio(level.ratios.p99)} / ${fmtRatio(level.ratios.p999)}`,
    });
  }
  const b = burst.stratus.stats;
  rows.push({
    metric: `cold burst of ${burst.size}: time until all done`,
    stratus: `${fmtMs(b.elapsedMs)} (${b.coldStarts} cold, ${b.errorCount} errors, ${b.throttles} throttled)`,
    baseline: `${fmtMs(burst.echo.stats.elapsedMs)} (gRPC echo)`,
    ratio: fmtRatio(burst.completionRatio),
  });
  rows.push({
    metric: `cold start (${coldStart.functions} new functions): first call p50`,
    stratus: fmtMs(coldStart.firstCall.p50Ms),
    baseline: `${fmtMs(coldStart.warmCall.p50Ms)} (same functions, warm)`,
    ratio: fmtRatio(coldStart.ratios.coldToWarm),
  });
  rows.push({
    metric: 'cold start: reported init p50',
    stratus: fmtMs(coldStart.init.p50Ms),
    baseline: `${fmtMs(report.baselines.ivm.cold.p50Ms)} (raw isolated-vm: isolate + context + compile + call)`,
    ratio: fmtRatio(coldStart.ratios.initToIvmCold),
  });
  const warmC1 = warm.find((l) => l.concurrency === 1);
  rows.push({
    metric: 'warm call p50 (c=1)',
    stratus: fmtMs(warmC1?.stratus.stats.latency.p50Ms),
    baseline: `${fmtMs(report.baselines.ivm.warm.p50Ms)} (raw isolated-vm warm call)`,
    ratio: fmtRatio(
      warmC1 && report.baselines.ivm.warm.p50Ms > 0 ? warmC1.stratus.stats.latency.p50Ms / report.baselines.ivm.warm.p50Ms : null,
    ),
  });
  rows.push({
    metric: `mixed c=${mixed.concurrency}: CPU-bound / 50 ms timer throughput`,
    stratus: `${fmtRate(mixed.cpuBound.stats.throughputPerSec)} / ${fmtRate(mixed.waiting.stats.throughputPerSec)}`,
    baseline: '–',
    ratio: '–',
  });
  rows.push({
    metric: 'mixed: peak isolates, back to 0 after load',
    stratus: `${mixed.peakIsolates}, ${mixed.scaleDownMs === null ? 'not within the watch' : fmtMs(mixed.scaleDownMs)}`,
    baseline: `keep-warm ${fmtMs(mixed.keepWarmMs)}`,
    ratio: '–',
  });
  rows.push({
    metric: 'billing: aggregator = results',
    stratus: `${billing.exact ? 'exact' : billing.passed ? `passed, ${billing.callsWithoutResult} calls without a result` : 'FAILED'} (${billing.aggregatorRequests}/${billing.invocationsMade} requests, ${billing.aggregatorBilledMs}/${billing.billedMsFromResults} billed ms)`,
    baseline: '–',
    ratio: '–',
  });
  rows.push({
    metric: 'billing: usage lag at peak',
    stratus: `${fmtMs(billing.usageLagAtPeakMs)} (${billing.usageBacklogAtPeak ?? '–'} calls behind)`,
    baseline: '–',
    ratio: '–',
  });
  const generatorCpu = Math.max(
    0,
    ...warm.flatMap((l) => [l.stratus.stats.clientCpuPct, l.echo.stats.clientCpuPct]),
  );
  rows.push({ metric: 'load generator CPU, busiest run', stratus: fmtPct(generatorCpu), baseline: `${report.machine.cpus} cores`, ratio: '–' });
  const ours = (concurrency: number) => warm.find((l) => l.concurrency === concurrency)?.stratus.stats;
  if (!('skipped' in report.peers)) {
    for (const peer of report.peers.results) {
      if (peer.skipped !== null && peer.levels.length === 0) {
        rows.push({ metric: `peer ${peer.name}`, stratus: 'not measured', baseline: peer.skipped, ratio: '–' });
        continue;
      }
      for (const level of peer.levels) {
        const s = ours(level.concurrency);
        const p = level.measurement.stats;
        rows.push({
          metric: `peer ${peer.name} c=${level.concurrency}: throughput, p50 / p99`,
          stratus: `${fmtRate(s?.throughputPerSec)}, ${fmtMs(s?.latency.p50Ms)} / ${fmtMs(s?.latency.p99Ms)} (gRPC frontend)`,
          baseline:
            `${fmtRate(p.throughputPerSec)}, ${fmtMs(p.latency.p50Ms)} / ${fmtMs(p.latency.p99Ms)} (${peer.name}, HTTP${p.errorCount > 0 ? `, ${p.errorCount} errors` : ''}); ` +
            `÷ gRPC echo ${fmtRatio(level.toEcho.throughput)}, ${fmtRatio(level.toEcho.p50)} / ${fmtRatio(level.toEcho.p99)}`,
          ratio: `${fmtRatio(level.stratusToPeer.throughput)}, ${fmtRatio(level.stratusToPeer.p50)} / ${fmtRatio(level.stratusToPeer.p99)}`,
        });
      }
      if (peer.skipped !== null) rows.push({ metric: `peer ${peer.name}: stopped early`, stratus: '–', baseline: peer.skipped, ratio: '–' });
    }
  }
  const asyncResult = report.scenarios.async;
  if (!('skipped' in asyncResult)) {
    rows.push({
      metric: `async c=${asyncResult.concurrency}: events accepted/s`,
      stratus: `${fmtRate(asyncResult.accepted.perSec)} (${asyncResult.accepted.ok}/${asyncResult.events})`,
      baseline: `${fmtRate(asyncResult.sync.perSec)} (synchronous calls, same loop)`,
      ratio: fmtRatio(asyncResult.acceptedToSync),
    });
    rows.push({
      metric: `async: ${asyncResult.events} events, acceptance to finish p50 / p99; drain`,
      stratus: `${fmtMs(asyncResult.endToEnd.p50Ms)} / ${fmtMs(asyncResult.endToEnd.p99Ms)}; ${fmtMs(asyncResult.drainMs)}${asyncResult.unfinished > 0 ? ` (${asyncResult.unfinished} unfinished)` : ''}`,
      baseline: `${fmtMs(asyncResult.sync.elapsedMs)} (the same calls synchronously)`,
      ratio: fmtRatio(asyncResult.drainToSync),
    });
  }
  httpRows(rows, report);
  const noisy = report.scenarios.noisy;
  rows.push({
    metric: `noisy neighbour: hello p50 / p99 beside ${noisy.busyConcurrency} busy calls`,
    stratus: `${fmtMs(noisy.helloBeside.stats.latency.p50Ms)} / ${fmtMs(noisy.helloBeside.stats.latency.p99Ms)}`,
    baseline: `${fmtMs(noisy.helloAlone.stats.latency.p50Ms)} / ${fmtMs(noisy.helloAlone.stats.latency.p99Ms)} (hello alone)`,
    ratio: `${fmtRatio(noisy.ratios.p50)} / ${fmtRatio(noisy.ratios.p99)}`,
  });
  rows.push({
    metric: `noisy neighbour: billed ms per ${noisy.busyWorkMs} ms busy call`,
    stratus: fmtMs(noisy.billedMsPerBusyCall),
    baseline: `${noisy.busyWorkMs} ms of work`,
    ratio: fmtRatio(ratio(noisy.billedMsPerBusyCall, noisy.busyWorkMs)),
  });
  return rows;
}

/** Scenario 6: the function URL at each concurrency beside the gRPC frontend, then beside each peer of the same run. */
function httpRows(rows: SummaryRow[], report: ReportBody): void {
  const http = report.scenarios.http;
  if ('skipped' in http) return;
  const figures = (stats: { throughputPerSec: number; latency: { p50Ms: number; p99Ms: number }; errorCount: number }): string =>
    `${fmtRate(stats.throughputPerSec)}, ${fmtMs(stats.latency.p50Ms)} / ${fmtMs(stats.latency.p99Ms)}${stats.errorCount > 0 ? `, ${stats.errorCount} errors` : ''}`;
  const peers = 'skipped' in report.peers ? [] : report.peers.results;
  for (const level of http.levels) {
    const u = level.measurement.stats;
    const grpc = report.scenarios.warm.find((l) => l.concurrency === level.concurrency)?.stratus.stats;
    rows.push({
      metric: `function URL c=${level.concurrency}: throughput, p50 / p99`,
      stratus: `${figures(u)} (HTTP)`,
      baseline: grpc === undefined ? '–' : `${figures(grpc)} (gRPC frontend)`,
      ratio: `${fmtRatio(level.toGrpc.throughput)}, ${fmtRatio(level.toGrpc.p50)} / ${fmtRatio(level.toGrpc.p99)}`,
    });
    for (const peer of peers) {
      const same = peer.levels.find((l) => l.concurrency === level.concurrency);
      const r = level.toPeers[peer.name];
      if (same === undefined || r === undefined) continue;
      rows.push({
        metric: `function URL vs ${peer.name} c=${level.concurrency}: throughput, p50 / p99`,
        stratus: `${figures(u)} (function URL)`,
        baseline: `${figures(same.measurement.stats)} (${peer.name}, HTTP)`,
        ratio: `${fmtRatio(r.throughput)}, ${fmtRatio(r.p50)} / ${fmtRatio(r.p99)}`,
      });
    }
  }
}

function warmRows(rows: SummaryRow[], warm: readonly WarmLevel[], layoutNote: string): void {
  for (const level of warm) {
    const s = level.stratus.stats;
    const e = level.echo.stats;
    rows.push({
      metric: `warm c=${level.concurrency}${layoutNote}: throughput`,
      stratus: fmtRate(s.throughputPerSec),
      baseline: `${fmtRate(e.throughputPerSec)} (gRPC echo)`,
      ratio: fmtRatio(level.ratios.throughput),
    });
    rows.push({
      metric: `warm c=${level.concurrency}${layoutNote}: p50 / p99 latency`,
      stratus: `${fmtMs(s.latency.p50Ms)} / ${fmtMs(s.latency.p99Ms)}`,
      baseline: `${fmtMs(e.latency.p50Ms)} / ${fmtMs(e.latency.p99Ms)} (gRPC echo)`,
      ratio: `${fmtRatio(level.ratios.p50)} / ${fmtRatio(level.ratios.p99)}`,
    });
    const stratusCpu = cpuPerCall(level.stratus.cpu, level.stratus.stats.ok, 'stratus');
    const echoCpu = cpuPerCall(level.echo.cpu, level.echo.stats.ok, 'echo');
    rows.push({
      metric: `warm c=${level.concurrency}${layoutNote}: server-side CPU per call`,
      stratus: stratusCpu ? `${stratusCpu.serverSideUs.toFixed(0)} µs` : '–',
      baseline: echoCpu ? `${echoCpu.serverSideUs.toFixed(0)} µs (gRPC echo server)` : '–',
      ratio: fmtRatio(stratusCpu && echoCpu ? ratio(stratusCpu.serverSideUs, echoCpu.serverSideUs) : null),
    });
  }
}
