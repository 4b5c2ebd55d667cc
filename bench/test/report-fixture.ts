import { latencyDistribution, loadStats, summarizeLatencies, type LoadRun, type OpenLoopLatency, type OpenLoopRun } from '@stratus/loadgen';
import { cpuPerCallRows } from '../src/cpu-per-call.js';
import type { BenchReport, Measurement, OpenLoopMeasurement, ProfilesReport } from '../src/report.js';
import { buildSummary } from '../src/summary.js';

const cpu = {
  wallMs: 1000,
  processes: { frontend: { cpuMs: 800, pctOfCore: 80 }, 'node-1': { cpuMs: 300, pctOfCore: 30 }, client: { cpuMs: 200, pctOfCore: 20 } },
};

export function measurement(label: string, latencies: number[], extra: Partial<LoadRun> = {}): Measurement {
  const run: LoadRun = {
    latenciesMs: Float64Array.from(latencies),
    initMs: new Float64Array(),
    ok: latencies.length,
    functionErrors: 0,
    coldStarts: 0,
    throttles: 0,
    errors: {},
    billedMs: latencies.length,
    elapsedMs: 1000,
    clientCpuMs: 200,
    ...extra,
  };
  return { label, stats: loadStats(run, { concurrency: 10, threads: 1, channels: 1 }), cpu, distribution: latencyDistribution(run.latenciesMs) };
}

function openLoopMeasurement(label: string, p50Ms: number): OpenLoopMeasurement {
  const latency: OpenLoopLatency = { count: 100, meanMs: p50Ms, p50Ms, p90Ms: p50Ms * 2, p99Ms: p50Ms * 4, p999Ms: p50Ms * 8, maxMs: p50Ms * 9 };
  const run: OpenLoopRun = {
    ratePerSec: 100,
    durationMs: 1000,
    maxOutstanding: 1000,
    threads: 1,
    channels: 1,
    scheduled: 100,
    sent: 100,
    late: 3,
    dropped: 0,
    achievedRatePerSec: 100,
    throughputPerSec: 99,
    ok: 100,
    functionErrors: 0,
    coldStarts: 0,
    throttles: 0,
    errors: {},
    billedMs: 100,
    elapsedMs: 1010,
    latency,
    serviceLatency: { ...latency, p99Ms: p50Ms * 2 },
    latencyHistogram: '',
    clientCpuMs: 100,
  };
  return { label, run, cpu };
}

/** What `--profile` adds to a report: one process's top functions. */
export function sampleProfiles(): ProfilesReport {
  return {
    dir: '/tmp/run/profiles',
    note: 'profiled on a cluster of its own',
    measurement: measurement('profiled warm c=100', Array.from({ length: 50 }, (_, i) => 3 + i / 10)),
    missing: [],
    processes: [
      {
        process: 'frontend',
        file: 'profiles/CPU.1.2.3.0.001.cpuprofile',
        sampledMs: 2000,
        samples: 2000,
        windowed: true,
        idlePct: 20,
        groups: [
          { group: '@grpc/grpc-js', selfPct: 45 },
          { group: 'idle', selfPct: 20 },
        ],
        top: [{ functionName: 'sendMessage', location: '@grpc/grpc-js/build/src/call.js:12', group: '@grpc/grpc-js', selfPct: 12.5, totalPct: 30 }],
      },
    ],
  };
}

/** A small but complete report, as the harness would write it. */
export function sampleReport(): BenchReport {
  const ms = (base: number): number[] => Array.from({ length: 50 }, (_, i) => base + i / 10);
  const stratus = measurement('1 warm c=10', ms(2));
  const echo = measurement('1 echo baseline c=10', ms(1));
  const body: Omit<BenchReport, 'summary'> = {
    schema: 1,
    mode: 'quick',
    command: 'npm run bench -- --quick',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    machine: { cpus: 2, cpuModel: 'test cpu', memoryMb: 4096, os: 'Linux', loadAverageAtStart: [0.5, 0.4, 0.3] },
    versions: { node: 'v20.0.0', stratus: '0.1.0' },
    git: { commit: '0123456789abcdef', dirty: false },
    cluster: { nodes: 2, keepWarmMs: 2000, clientThreads: 1 },
    baselines: { ivm: { cold: summarizeLatencies([5, 6, 7]), warm: summarizeLatencies([0.04, 0.05]) } },
    scenarios: {
      warm: [{ concurrency: 10, stratus, echo, ratios: { throughput: 1, p50: 1.5, p99: 1.2 } }],
      openLoop: {
        closedLoopPeakPerSec: 200,
        closedLoopPeakConcurrency: 10,
        durationMs: 1000,
        levels: [
          {
            fraction: 0.5,
            ratePerSec: 100,
            stratus: openLoopMeasurement('1b warm open loop 100/s', 3),
            echo: openLoopMeasurement('1b echo open loop 100/s', 1),
            ratios: { p50: 3, p99: 3, p999: 3 },
          },
        ],
      },
      burst: {
        size: 100,
        stratus: measurement('2 cold burst of 100', ms(20), { coldStarts: 12 }),
        echo: measurement('2 echo burst of 100', ms(5)),
        completionRatio: 3,
        init: summarizeLatencies([10, 12]),
      },
      coldStart: {
        functions: 3,
        deployMs: summarizeLatencies([40, 50, 60]),
        firstCall: summarizeLatencies([20, 25, 30]),
        warmCall: summarizeLatencies([2, 3, 4]),
        init: summarizeLatencies([10, 11, 12]),
        coldCalls: 3,
        errors: 0,
        ratios: { coldToWarm: 8.3, initToIvmCold: 1.8, warmToEcho: 2 },
        cpu,
      },
      mixed: {
        concurrency: 10,
        loadMs: 1000,
        keepWarmMs: 2000,
        cpuBound: measurement('4 mixed: CPU-bound', ms(5)),
        waiting: measurement('4 mixed: 50 ms timer', ms(50), { errors: { INVOCATION_LOST: 2 } }),
        isolates: [
          { tMs: 0, warmIsolates: 0, totalWarmIsolates: 1, busy: 0, byFunction: {} },
          { tMs: 500, warmIsolates: 8, totalWarmIsolates: 9, busy: 6, byFunction: { a: 4, b: 4 } },
          { tMs: 3500, warmIsolates: 0, totalWarmIsolates: 1, busy: 0, byFunction: {} },
        ],
        peakIsolates: 8,
        scaleDownMs: 2500,
      },
      noisy: {
        busyConcurrency: 50,
        busyWorkMs: 200,
        helloAlone: measurement('8 noisy: hello alone', ms(5)),
        helloBeside: measurement('8 noisy: hello beside busy calls', ms(8)),
        busy: measurement('8 noisy: 50 busy calls (200 ms each)', ms(2000)),
        ratios: { p50: 1.6, p99: 2.1 },
        billedMsPerBusyCall: 204,
        logFlood: {
          calls: 10,
          helloBeside: measurement('8 noisy: hello beside the log flood', ms(9)),
          errors: {},
          rss: { beforeMb: 200, peakMb: 260, afterMb: 210 },
        },
        wasmGrowth: { calls: 10, outOfMemory: 10, errors: {}, rss: { beforeMb: 210, peakMb: 900, afterMb: 215 } },
      },
      async: { skipped: true, reason: 'no async yet' },
      http: { skipped: true, reason: 'no HTTP trigger yet' },
      billing: {
        passed: true,
        exact: true,
        callsWithoutResult: 0,
        invocationsMade: 300,
        aggregatorRequests: 300,
        billedMsFromResults: 300,
        aggregatorBilledMs: 300,
        usageLagAtPeakMs: 40,
        usageBacklogAtPeak: 3,
        notes: [],
      },
    },
    peers: { skipped: true, reason: 'not asked for' },
    profiles: { skipped: true, reason: 'not asked for' },
    cpuPerCall: [],
  };
  const withCpu = { ...body, cpuPerCall: cpuPerCallRows(body.scenarios, body.profiles) };
  return { ...withCpu, summary: buildSummary(withCpu) };
}
