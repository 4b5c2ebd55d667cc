import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { nodeConfig } from '@stratus/worker-node/config';
import { locateServerBinaries, startLocalCluster, type LocalCluster, type LocalClusterOptions } from '@stratus/local-cluster';
import { Ledger, type BenchContext } from './bench-context.js';
import { startEchoProcess, type EchoProcess } from './echo-server.js';
import { gitInfo, machineInfo, versions } from './environment-info.js';
import { BENCH_PAYLOAD, TRIVIAL_SCRIPT } from './functions.js';
import { measureIvmBaseline } from './ivm-baseline.js';
import { cpuPerCallRows } from './cpu-per-call.js';
import { clusterProcessTable, type ProcessTable } from './process-cpu.js';
import type { Progress } from './progress.js';
import { PEERS } from './peers.js';
import type { BenchReport, ClusterLayout, PeersReport, ProfilesReport, SkippedScenario, WarmOtherLayout } from './report.js';
import { runAsyncScenario } from './scenario-async.js';
import { runBillingCheck, measurePeakLag, type PeakLag } from './scenario-billing.js';
import { runBurstScenario } from './scenario-burst.js';
import { runColdStartScenario } from './scenario-cold-start.js';
import { runMixedScenario } from './scenario-mixed.js';
import { runNoisyNeighbourScenario } from './scenario-noisy.js';
import { runOpenLoopScenario } from './scenario-open-loop.js';
import { runHttpScenario } from './scenario-http.js';
import { runPeersScenario } from './scenario-peers.js';
import { PROFILED_CONCURRENCY, runProfileScenario } from './scenario-profile.js';
import { nodeMetricsOf } from './node-churn.js';
import { runWarmScenario } from './scenario-warm.js';
import { BENCH_NODE_MEMORY_MB, FULL_SIZES, QUICK_SIZES } from './sizes.js';
import { buildSummary } from './summary.js';
import { timestampDirName, writeReport } from './write-report.js';

export interface BenchOptions {
  /** 'quick' (about a minute on two cores) or 'full' (about ten). */
  readonly mode: 'quick' | 'full';
  /** The run's folder goes under this one, named by its start time. Default: bench/results. */
  readonly resultsDir?: string;
  /** Worker nodes in the cluster. Default 2. */
  readonly nodes?: number;
  /** How the cluster runs its frontend and nodes (see LocalClusterOptions.layout). Default 'combined', as `npm start` runs it. */
  readonly layout?: ClusterLayout;
  /** Also run scenario 1 on a cluster of the other layout, started once the first is done with it. Default true. */
  readonly compareLayouts?: boolean;
  /** Load generator threads. Default 1 (on two cores another thread only takes CPU from the cluster). */
  readonly threads?: number;
  /** Also install (into bench/.peers/, on demand) and measure workerd and serverless-offline. Default false. */
  readonly peers?: boolean;
  /**
   * Also run warm c=100 on a cluster of its own whose frontend and nodes run
   * with --cpu-prof, and put each one's top functions in the report. Default false.
   */
  readonly profile?: boolean;
  /** What the profiled run calls: the gRPC frontend, or scenario 6's function URL. Default grpc. */
  readonly profileThrough?: 'grpc' | 'url';
  /** Calls in flight in the profiled run. Default {@link PROFILED_CONCURRENCY} (100). */
  readonly profileConcurrency?: number;
  /** The command line, as the report shows it. */
  readonly command: string;
  /** Gets the cluster's log lines at warn and above. */
  readonly log: Logger;
  readonly progress: Progress;
}

export interface BenchOutcome {
  readonly report: BenchReport;
  readonly dir: string;
  readonly files: readonly string[];
}

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts a local cluster (the code `npm start` runs: nats-server, etcd and
 * the services) in a temp dir, runs every scenario and the baselines, writes
 * the report and stops everything, also when a scenario fails.
 */
export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const sizes = options.mode === 'quick' ? QUICK_SIZES : FULL_SIZES;
  const nodes = options.nodes ?? 2;
  const layout = options.layout ?? 'combined';
  const threads = options.threads ?? 1;
  const startedAt = new Date();
  const machine = machineInfo();
  const progress = options.progress;
  const cleanups: Array<() => Promise<void>> = [];
  const dir = join(options.resultsDir ?? join(PACKAGE_DIR, 'results'), timestampDirName(startedAt));
  try {
    progress.phase('starting nats-server, etcd and the cluster', 1, 'steps');
    // The report names the servers' versions.
    const binaries = await locateServerBinaries({ install: true, log: (line) => options.log.info(line) });
    const clusterOptions: LocalClusterOptions = {
      log: options.log,
      temporaryDataDir: true,
      grpcAddress: '127.0.0.1:0',
      // Scenario 6 calls a function URL on the first frontend's HTTP listener.
      httpAddress: '127.0.0.1:0',
      nodes,
      layout,
      namespace: 'bench',
      env: { node: { [nodeConfig.env.keepWarmMs]: String(sizes.keepWarmMs) } },
      // The bench's handlers are trivial (an idle isolate holds under 1 MiB), so each node may overcommit
      // to hold every environment of the highest concurrency at 128 MB, rather than the machine's memory.
      nodeMemoryMb: BENCH_NODE_MEMORY_MB,
      drainGraceMs: 2_000,
    };
    const cluster: LocalCluster = await startLocalCluster(clusterOptions);
    cleanups.push(() => cluster.stop());
    const client: StratusClient = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey });
    cleanups.push(() => client.close());
    await client.waitForReady(10_000);
    const echo: EchoProcess = await startEchoProcess();
    cleanups.push(() => echo.stop());
    const started = cluster.processes;
    const processes: ProcessTable = { ...clusterProcessTable(started), client: process.pid, 'echo server': echo.pid };
    const ctx: BenchContext = {
      client,
      endpoint: cluster.grpcAddress,
      apiKey: cluster.apiKey,
      echoEndpoint: echo.endpoint,
      processes,
      nodeMetrics: nodeMetricsOf(started),
      sizes,
      ledger: new Ledger(),
      progress,
      threads,
      keepWarmMs: sizes.keepWarmMs,
    };

    progress.phase('baseline: raw isolated-vm', 1, 'runs');
    const ivm = await measureIvmBaseline({
      source: TRIVIAL_SCRIPT,
      payload: BENCH_PAYLOAD,
      coldSamples: sizes.ivmColdSamples,
      warmSamples: sizes.ivmWarmSamples,
    });

    let peakLag: PeakLag | undefined;
    const warm = await runWarmScenario(ctx, async (mark) => {
      peakLag = await measurePeakLag(client, mark);
    });
    const openLoop = await runOpenLoopScenario(ctx, warm);
    const warmOtherLayout: WarmOtherLayout | SkippedScenario =
      options.compareLayouts === false
        ? { skipped: true, reason: 'not asked for (runs unless --one-layout).' }
        : await runWarmOnOtherLayout(ctx, { ...clusterOptions, layout: layout === 'combined' ? 'split' : 'combined' }, echo);
    const burst = await runBurstScenario(ctx);
    const coldStart = await runColdStartScenario(ctx, {
      ivmCold: ivm.cold,
      echoC1P50Ms: warm.find((l) => l.concurrency === 1)?.echo.stats.latency.p50Ms ?? null,
    });
    const mixed = await runMixedScenario(ctx);
    const noisy = await runNoisyNeighbourScenario(ctx, started.nodes.map((n) => n.pid));
    const billing = await runBillingCheck(ctx, peakLag);
    const peers: PeersReport | SkippedScenario = options.peers
      ? await runPeersScenario(ctx, warm, { peersDir: join(PACKAGE_DIR, '.peers'), peers: PEERS })
      : { skipped: true, reason: 'not asked for (run with --peers to measure workerd and serverless-offline).' };
    // After the billing check: the HTTP client sees no billed ms, so these calls are not in the ledger.
    const http = await runHttpScenario(ctx, warm, peers, cluster.httpAddress);
    // After the billing check too: its events are billed, but not in the ledger.
    const asyncScenario = await runAsyncScenario(ctx);
    let profiles: ProfilesReport | SkippedScenario = { skipped: true, reason: 'not asked for (run with --profile for CPU profiles of warm c=100).' };
    if (options.profile) {
      // The main cluster and the echo stop first, so the profiled cluster has the machine to itself.
      await stopAll(cleanups.splice(0), options);
      profiles = await runProfileScenario(ctx, { clusterOptions, runDir: dir, through: options.profileThrough ?? 'grpc', concurrency: options.profileConcurrency ?? PROFILED_CONCURRENCY });
    }

    const body: Omit<BenchReport, 'summary'> = {
      schema: 1,
      mode: options.mode,
      command: options.command,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      versions: await versions(binaries),
      git: await gitInfo(REPO_DIR),
      cluster: { nodes, layout, keepWarmMs: sizes.keepWarmMs, clientThreads: threads },
      baselines: { ivm },
      scenarios: { warm, warmOtherLayout, openLoop, burst, coldStart, mixed, noisy, async: asyncScenario, http, billing },
      peers,
      profiles,
      cpuPerCall: cpuPerCallRows({ warm, warmOtherLayout, openLoop, burst, coldStart, mixed, noisy, http }, profiles),
    };
    const report: BenchReport = { ...body, summary: buildSummary(body) };
    progress.phase('writing the report', 1, 'steps');
    const files = await writeReport(dir, report);
    return { report, dir, files };
  } finally {
    await stopAll(cleanups, options);
    progress.stop();
  }
}

/**
 * Scenario 1 on a second cluster of the other layout, started now and
 * stopped before the next scenario, so both layouts are measured in one run,
 * each level beside an echo run of its own. Its calls are not in the first
 * cluster's ledger.
 */
async function runWarmOnOtherLayout(first: BenchContext, clusterOptions: LocalClusterOptions, echo: EchoProcess): Promise<WarmOtherLayout> {
  const layout = clusterOptions.layout ?? 'split';
  first.progress.phase(`starting a ${layout} cluster`, 1, 'steps');
  const cluster = await startLocalCluster(clusterOptions);
  try {
    const client = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey });
    try {
      await client.waitForReady(10_000);
      const processes: ProcessTable = { ...clusterProcessTable(cluster.processes), client: process.pid, 'echo server': echo.pid };
      const ctx: BenchContext = {
        ...first,
        client,
        endpoint: cluster.grpcAddress,
        apiKey: cluster.apiKey,
        processes,
        nodeMetrics: nodeMetricsOf(cluster.processes),
        ledger: new Ledger(),
      };
      const levels = await runWarmScenario(ctx, async () => {}, ` (${layout})`);
      return { layout, nodes: cluster.nodes.length, levels };
    } finally {
      await client.close();
    }
  } finally {
    await cluster.stop();
  }
}

/** Runs the cleanups, last started first stopped, past failures so nothing is left running. */
async function stopAll(cleanups: ReadonlyArray<() => Promise<void>>, options: Pick<BenchOptions, 'log' | 'progress'>): Promise<void> {
  options.progress.phase('stopping everything', cleanups.length, 'steps');
  for (const [i, cleanup] of [...cleanups].reverse().entries()) {
    try {
      await cleanup();
    } catch (err) {
      options.log.warn({ err }, 'a bench cleanup step failed');
    }
    options.progress.update(i + 1, '');
  }
}
