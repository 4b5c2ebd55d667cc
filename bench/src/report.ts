import type { LatencySummary, LoadStats, OpenLoopRun } from '@stratus/loadgen';
import type { CpuPerCall } from './cpu-per-call.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { CpuUsage } from './process-cpu.js';
import type { EnvironmentChurn } from './node-churn.js';

/** One load run as a report holds it: its figures, where CPU went, and its latency distribution for charts. */
export interface Measurement {
  readonly label: string;
  readonly stats: LoadStats;
  readonly cpu: CpuUsage;
  readonly distribution: ReadonlyArray<{ readonly pct: number; readonly ms: number }>;
}

export interface WarmLevel {
  readonly concurrency: number;
  readonly stratus: Measurement;
  readonly echo: Measurement;
  /** What the nodes made during the measured run (not the warm-up); null when their metrics could not be read, absent in older reports. */
  readonly churn?: EnvironmentChurn | null;
  /** stratus / echo: above 1 for latency means slower, below 1 for throughput means fewer calls. */
  readonly ratios: { readonly throughput: number | null; readonly p50: number | null; readonly p99: number | null };
}

/** One open-loop run as a report holds it: what the generator saw, and where CPU went. */
export interface OpenLoopMeasurement {
  readonly label: string;
  readonly run: OpenLoopRun;
  readonly cpu: CpuUsage;
}

export interface OpenLoopLevel {
  /** The rate as a fraction of the run's best closed-loop warm throughput. */
  readonly fraction: number;
  readonly ratePerSec: number;
  readonly stratus: OpenLoopMeasurement;
  readonly echo: OpenLoopMeasurement;
  /** stratus / echo at the same offered rate, latency from the scheduled send. */
  readonly ratios: { readonly p50: number | null; readonly p99: number | null; readonly p999: number | null };
}

export interface OpenLoopResult {
  /** The best closed-loop warm throughput of this run (calls/s), which the rates are fractions of. */
  readonly closedLoopPeakPerSec: number;
  /** The concurrency that reached it. */
  readonly closedLoopPeakConcurrency: number;
  readonly durationMs: number;
  readonly levels: readonly OpenLoopLevel[];
}

/** CPU µs per successful call of one run, by process, beside the echo's when the scenario has an echo run. */
export interface CpuPerCallRow {
  readonly run: string;
  /** Calls with a result that the CPU is divided by (every load of the interval when several ran at once). */
  readonly calls: number;
  readonly stratus: CpuPerCall;
  readonly echo: CpuPerCall | null;
  /** Stratus's server side ÷ the echo server; Stratus's client ÷ the echo's client. */
  readonly serverToEcho: number | null;
  readonly clientToEcho: number | null;
}

/** The `--profile` run: warm c=100 on a cluster of its own whose frontend and nodes ran with --cpu-prof. */
export interface ProfilesReport {
  /** Where the .cpuprofile files are (open them in Chrome DevTools or speedscope). */
  readonly dir: string;
  readonly note: string;
  readonly measurement: Measurement;
  /** What the nodes made during the profiled run; null when their metrics could not be read, absent in older reports. */
  readonly churn?: EnvironmentChurn | null;
  readonly processes: readonly ProfileSummary[];
  /** Profiled processes that wrote no profile (killed rather than stopped, or crashed). */
  readonly missing: readonly string[];
}

export interface BurstResult {
  readonly size: number;
  readonly stratus: Measurement;
  readonly echo: Measurement;
  /** Time until every call finished, stratus / echo. */
  readonly completionRatio: number | null;
  /** initDurationMs of the cold calls. */
  readonly init: LatencySummary;
}

export interface ColdStartResult {
  readonly functions: number;
  readonly deployMs: LatencySummary;
  readonly firstCall: LatencySummary;
  readonly warmCall: LatencySummary;
  readonly init: LatencySummary;
  readonly coldCalls: number;
  readonly errors: number;
  readonly ratios: {
    /** first call / warm call, both through Stratus. */
    readonly coldToWarm: number | null;
    /** Stratus's reported init / raw isolated-vm new isolate + context + compile + first call. */
    readonly initToIvmCold: number | null;
    /** Stratus warm call / echo at concurrency 1. */
    readonly warmToEcho: number | null;
  };
  readonly cpu: CpuUsage;
}

export interface IsolateSample {
  /** ms since the mixed load started. */
  readonly tMs: number;
  /** Isolates of the two mixed functions, idle or busy. */
  readonly warmIsolates: number;
  /** Every warm isolate the nodes reported, whatever function. */
  readonly totalWarmIsolates: number;
  /** Isolates of the two mixed functions running a call. */
  readonly busy: number;
  readonly byFunction: Readonly<Record<string, number>>;
}

export interface MixedResult {
  readonly concurrency: number;
  readonly loadMs: number;
  readonly keepWarmMs: number;
  readonly cpuBound: Measurement;
  readonly waiting: Measurement;
  readonly isolates: readonly IsolateSample[];
  readonly peakIsolates: number;
  /** ms after the load stopped until the warm isolates were back to 0; null if they did not get there while watched. */
  readonly scaleDownMs: number | null;
}

/** Worker nodes' VmRSS summed (MB): before a load, its peak during it, and a few seconds after it. */
export interface RssSample {
  readonly beforeMb: number;
  readonly peakMb: number;
  afterMb: number;
}

export interface NoisyNeighbourResult {
  readonly busyConcurrency: number;
  /** Wall-clock ms each busy call loops for. */
  readonly busyWorkMs: number;
  readonly helloAlone: Measurement;
  readonly helloBeside: Measurement;
  readonly busy: Measurement;
  /** hello beside the busy calls / hello alone, same run. Goal: p99 at most 3. */
  readonly ratios: { readonly p50: number | null; readonly p99: number | null };
  /** Billed ms per busy call, from the results: near busyWorkMs when queue time is not billed. */
  readonly billedMsPerBusyCall: number | null;
  readonly logFlood: {
    readonly calls: number;
    readonly helloBeside: Measurement;
    readonly errors: Readonly<Record<string, number>>;
    readonly rss: RssSample;
  };
  readonly wasmGrowth: {
    readonly calls: number;
    /** Calls that ended with a function error (Runtime.OutOfMemory expected). */
    readonly outOfMemory: number;
    readonly errors: Readonly<Record<string, number>>;
    readonly rss: RssSample;
  };
}

export interface BillingCheck {
  /** exact, or the aggregator's surplus is covered by calls that ended without a result (they may have run). */
  readonly passed: boolean;
  /** The aggregator's requests and billed ms equal the results' exactly. */
  readonly exact: boolean;
  readonly callsWithoutResult: number;
  readonly invocationsMade: number;
  readonly aggregatorRequests: number;
  readonly billedMsFromResults: number;
  readonly aggregatorBilledMs: number;
  /** ms from the end of the peak (concurrency 1000) run until the aggregator had counted every call of it. */
  readonly usageLagAtPeakMs: number | null;
  /** Calls of the peak run the aggregator had not counted when the run ended. */
  readonly usageBacklogAtPeak: number | null;
  readonly notes: readonly string[];
}

/** One closed loop of scenario 5: `calls` invokes with a fixed number in flight. */
export interface AsyncLoopStats {
  readonly calls: number;
  readonly ok: number;
  /** Failed calls by error code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** Successful calls (sync) or accepted events (async) per second. */
  readonly perSec: number;
  readonly latency: LatencySummary;
}

/** Scenario 5: asynchronous invocations beside synchronous ones of the same function, client and concurrency. */
export interface AsyncScenarioResult {
  readonly functionName: string;
  readonly events: number;
  readonly concurrency: number;
  readonly sync: AsyncLoopStats;
  /** Event invokes: 202 once the event is stored. */
  readonly accepted: AsyncLoopStats;
  /** Accepted events per second ÷ synchronous calls per second. */
  readonly acceptedToSync: number | null;
  /** Per event, from acceptance to finishing (its state's timestamps). */
  readonly endToEnd: LatencySummary;
  /** From the first acceptance to the last finish; null when some had not finished by the scenario's timeout. */
  readonly drainMs: number | null;
  /** drainMs ÷ the synchronous loop's elapsed time. */
  readonly drainToSync: number | null;
  /** Events by final state. */
  readonly states: Readonly<Record<string, number>>;
  /** Attempts started, all events together. */
  readonly attempts: number;
  /** Accepted events not finished by the scenario's timeout. */
  readonly unfinished: number;
  readonly note: string;
}

export interface SkippedScenario {
  readonly skipped: true;
  readonly reason: string;
}

export interface PeerLevel {
  readonly concurrency: number;
  readonly measurement: Measurement;
  /** peer / gRPC echo at the same concurrency in the same run, like Stratus's own ratios. */
  readonly toEcho: { readonly throughput: number | null; readonly p50: number | null; readonly p99: number | null };
  /** Stratus (through its gRPC frontend) / peer: above 1 for latency means Stratus is slower. */
  readonly stratusToPeer: { readonly throughput: number | null; readonly p50: number | null; readonly p99: number | null };
}

export interface PeerResult {
  readonly name: string;
  readonly version: string | null;
  /** How the peer was run. */
  readonly setup: string;
  /** Why it was not measured; null when it was. */
  readonly skipped: string | null;
  /** From starting its process until it answered. */
  readonly startupMs: number | null;
  readonly levels: readonly PeerLevel[];
}

export interface PeersReport {
  /** What the peers are compared with, and over which transport. */
  readonly note: string;
  readonly results: readonly PeerResult[];
}

/** Ratios of a function URL run to another at the same concurrency: above 1 for latency means the URL is slower. */
export interface HttpRatios {
  readonly throughput: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
}

export interface HttpTriggerLevel {
  readonly concurrency: number;
  readonly measurement: Measurement;
  /** URL ÷ the gRPC frontend (scenario 1) at the same concurrency. */
  readonly toGrpc: HttpRatios;
  /** URL ÷ the gRPC echo baseline at the same concurrency. */
  readonly toEcho: HttpRatios;
  /** URL ÷ each peer measured at the same concurrency in this run (with --peers). */
  readonly toPeers: Readonly<Record<string, HttpRatios>>;
}

/** Scenario 6: a trivial function called through its function URL over HTTP/1.1 keep-alive. */
export interface HttpTriggerReport {
  readonly note: string;
  readonly functionUrl: string;
  readonly levels: readonly HttpTriggerLevel[];
}

export interface SummaryRow {
  readonly metric: string;
  readonly stratus: string;
  readonly baseline: string;
  readonly ratio: string;
}

export type ClusterLayout = 'split' | 'combined';

export interface WarmOtherLayout {
  readonly layout: ClusterLayout;
  readonly nodes: number;
  readonly levels: readonly WarmLevel[];
}

export interface BenchReport {
  readonly schema: 1;
  readonly mode: 'quick' | 'full';
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryMb: number;
    readonly os: string;
    readonly loadAverageAtStart: readonly number[];
  };
  readonly versions: Readonly<Record<string, string>>;
  readonly git: { readonly commit: string | null; readonly dirty: boolean | null };
  /** `layout`: how the cluster ran its frontend and nodes (absent in reports from before the combined role). */
  readonly cluster: { readonly nodes: number; readonly layout?: ClusterLayout; readonly keepWarmMs: number; readonly clientThreads: number };
  readonly baselines: {
    readonly ivm: { readonly cold: LatencySummary; readonly warm: LatencySummary };
  };
  readonly scenarios: {
    readonly warm: readonly WarmLevel[];
    /** Scenario 1 again on a cluster of the other layout, started after the first, each level beside its own echo run. */
    readonly warmOtherLayout?: WarmOtherLayout | SkippedScenario;
    readonly openLoop: OpenLoopResult;
    readonly burst: BurstResult;
    readonly coldStart: ColdStartResult;
    readonly mixed: MixedResult;
    readonly noisy: NoisyNeighbourResult;
    readonly async: AsyncScenarioResult | SkippedScenario;
    readonly http: HttpTriggerReport | SkippedScenario;
    readonly billing: BillingCheck;
  };
  readonly peers: PeersReport | SkippedScenario;
  readonly profiles: ProfilesReport | SkippedScenario;
  /** CPU µs per call, by process, of every run where dividing by its calls makes sense. */
  readonly cpuPerCall: readonly CpuPerCallRow[];
  readonly summary: readonly SummaryRow[];
}
