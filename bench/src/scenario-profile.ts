import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStratusClient } from '@stratus/client';
import { startLocalCluster, type LocalClusterOptions } from '@stratus/local-cluster';
import { Ledger, measure, type BenchContext } from './bench-context.js';
import { mainThreadProfileOf, summarizeCpuProfile, type CpuProfile, type ProfileSummary, type SampleWindow } from './cpu-profile.js';
import { TRIVIAL_HANDLER, URL_HANDLER, zipIndexJs, BENCH_PAYLOAD } from './functions.js';
import { URL_FUNCTION, createFunctionUrl } from './scenario-http.js';
import { clusterProcessTable } from './process-cpu.js';
import type { ProfilesReport } from './report.js';
import { nodeMetricsOf, startChurnMeter, type EnvironmentChurn } from './node-churn.js';
import { WARM_FUNCTION, warmUp } from './scenario-warm.js';

/** The warm level that is profiled: the one where the frontend is busiest without the queueing of c=1000. */
export const PROFILED_CONCURRENCY = 100;

export const PROFILES_NOTE =
  `Warm c=${PROFILED_CONCURRENCY} again, on a cluster of its own (same layout and settings) started after the main one stopped, ` +
  'its frontend and worker nodes run with `--cpu-prof`: the profiler slows what it watches, so it touches no other figure of this report. ' +
  'Every node is profiled, not one, so both are slowed alike and placement stays even. `--cpu-prof` writes when a process exits, so the files ' +
  'cover each process from start to stop; the tables count only the samples taken during the measured run (the profiles and the harness ' +
  'read the same monotonic clock), not startup, the warm-up or shutdown. Self % is the share of the sampled time with the function on top ' +
  'of the stack, total % with it anywhere on the stack; idle is the event loop waiting. Isolates run in V8 isolates of their own, which ' +
  'the profiler does not see: a node\'s time inside a handler shows as isolated-vm\'s native call.';

/**
 * `--profile`: starts a cluster whose frontend and nodes run with
 * `--cpu-prof --cpu-prof-dir <run dir>/profiles`, runs warm c=100 on it
 * (after an unmeasured warm-up), stops it so the profiles are written, and
 * summarises each process's main-thread profile over the measured run.
 */
export async function runProfileScenario(
  ctx: Pick<BenchContext, 'sizes' | 'progress' | 'threads' | 'keepWarmMs'>,
  options: {
    readonly clusterOptions: LocalClusterOptions;
    readonly runDir: string;
    /** What is called: the gRPC frontend (scenario 1's function), or a function URL on the HTTP listener (scenario 6's). Default grpc. */
    readonly through?: 'grpc' | 'url';
    /** Calls in flight. Default {@link PROFILED_CONCURRENCY}. */
    readonly concurrency?: number;
  },
): Promise<ProfilesReport> {
  const throughUrl = options.through === 'url';
  const concurrency = options.concurrency ?? PROFILED_CONCURRENCY;
  const dir = join(options.runDir, 'profiles');
  await mkdir(dir, { recursive: true });
  ctx.progress.phase('profile: starting a cluster with --cpu-prof', 1, 'steps');
  const flags = ['--cpu-prof', '--cpu-prof-dir', dir];
  const cluster = await startLocalCluster({
    ...options.clusterOptions,
    ...(throughUrl ? { httpAddress: '127.0.0.1:0' } : {}),
    nodeArgs: { frontend: flags, node: flags, combined: flags },
  });
  const roles: Record<string, number> = {};
  let window: SampleWindow;
  let measurement: ProfilesReport['measurement'];
  let churn: EnvironmentChurn | null = null;
  try {
    const client = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey });
    try {
      await client.waitForReady(10_000);
      const functionName = throughUrl ? URL_FUNCTION : WARM_FUNCTION;
      await client.createFunction({ functionName, zipFile: zipIndexJs(throughUrl ? URL_HANDLER : TRIVIAL_HANDLER) });
      const processes = { ...clusterProcessTable(cluster.processes), client: process.pid };
      for (const f of cluster.processes.frontends) roles[f.name] = f.pid;
      for (const n of cluster.processes.nodes) roles[n.nodeId] = n.pid;
      // Its calls are billed by its own aggregator, which the billing check does not read.
      const profileCtx: BenchContext = {
        ...ctx,
        client,
        endpoint: cluster.grpcAddress,
        apiKey: cluster.apiKey,
        echoEndpoint: '',
        processes,
        nodeMetrics: nodeMetricsOf(cluster.processes),
        ledger: new Ledger(),
      };
      const target = throughUrl
        ? ({ kind: 'http', url: await createFunctionUrl(cluster.httpAddress ?? '', cluster.apiKey, functionName), payload: BENCH_PAYLOAD } as const)
        : ({ kind: 'stratus', endpoint: cluster.grpcAddress, functionName, payload: BENCH_PAYLOAD } as const);
      // Warm until the nodes make no environment in a round, so the profile shows warm calls rather than isolate creation.
      await warmUp(profileCtx, `profile: warm-up c=${concurrency}`, { target, concurrency, durationMs: ctx.sizes.warmupMs }, !throughUrl);
      const stopChurn = await startChurnMeter(profileCtx.nodeMetrics);
      const fromUs = monotonicUs();
      ({ measurement } = await measure(profileCtx, `profiled ${throughUrl ? 'function URL' : 'warm'} c=${concurrency}`, {
        target,
        concurrency,
        durationMs: ctx.sizes.warmDurationMs,
      }));
      window = { fromUs, toUs: monotonicUs() };
      churn = await stopChurn();
    } finally {
      await client.close();
    }
  } finally {
    ctx.progress.phase('profile: stopping the cluster (the profiles are written as each process exits)', 1, 'steps');
    await cluster.stop();
  }

  const files = await readdir(dir);
  const summaries: ProfileSummary[] = [];
  const missing: string[] = [];
  for (const [role, pid] of Object.entries(roles)) {
    const file = mainThreadProfileOf(files, pid);
    if (file === undefined) {
      missing.push(role);
      continue;
    }
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    summaries.push(summarizeCpuProfile(profile, { process: role, file: `profiles/${file}`, window }));
  }
  const note = PROFILES_NOTE.replace(`Warm c=${PROFILED_CONCURRENCY} again`, throughUrl ? `Scenario 6's function URL at c=${concurrency}` : `Warm c=${concurrency} again`);
  return { dir, note, measurement, churn, processes: summaries, missing };
}

/** µs on the monotonic clock, as V8's profiler stamps its samples. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
