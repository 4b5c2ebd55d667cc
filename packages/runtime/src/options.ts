import { randomBytes } from 'node:crypto';
import { StratusError } from '@stratus/errors';
import { functionArn, LIMITS } from '@stratus/contracts';
import { IsolateGate } from './isolate-gate.js';
import type { ShellPool } from './shell-pool.js';
import type { HashPool } from './hash-pool.js';
import { APPLICATION_LOG_LEVELS, DEFAULT_EGRESS, SYSTEM_LOG_LEVELS, defaultLogGroup, type ApplicationLogLevel, type EgressSettings, type SystemLogLevel } from '@stratus/contracts';
import type { ClusterEndpoint } from './egress/egress-policy.js';
import type { EgressLookup } from './egress/egress-connector.js';
import type { PackageFiles } from './package-files.js';
import type { BundleSourceMap } from './bundle-source-map.js';

/** Lambda's LoggingConfig.LogFormat. */
export type LogFormat = 'Text' | 'JSON';

/** How to run one function's code. */
export interface ExecutionEnvironmentOptions {
  /** The function's code: one self-contained ES module (the bundler's output), imports resolved. */
  readonly script: string;
  /** Lambda handler string, e.g. "index.handler" or "src/app.handlers.get". */
  readonly handler: string;
  readonly functionName: string;
  readonly functionVersion: string;
  /** The function's memory size; also the isolate's memory limit (isolated-vm, at least 8). */
  readonly memoryMb: number;
  /** Per-invocation timeout. */
  readonly timeoutMs: number;
  /** The function's variables for process.env; Lambda's own variables are added and win. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The package's files, readable under /var/task through `fs` (PackageFiles.from;
   * share one per code across environments). Default: none, /var/task is empty.
   */
  readonly files?: PackageFiles;
  /**
   * The bundle's source map (BundleSourceMap.from; share one per code): stack
   * traces in error payloads and logs then name the user's files and lines.
   * Default: none, traces name the bundle.
   */
  readonly sourceMap?: BundleSourceMap;
  /**
   * What /tmp may hold, in MB (Lambda's EphemeralStorage). /tmp lives in the
   * isolate's memory, so the memory size bounds it too. Default 512.
   */
  readonly ephemeralStorageMb?: number;
  /** Region in ARNs and AWS_REGION. Default 'local'. */
  readonly region?: string;
  /** Limit on the init phase (module evaluation, top-level await included). Default 10 000 (Lambda's). */
  readonly initTimeoutMs?: number;
  /** Console output kept per invocation (and for init); later lines are dropped and counted. Default 1 MiB. */
  readonly logLimitBytes?: number;
  /**
   * Lambda's log format: 'Text' (tab-separated lines, START/END/REPORT) or
   * 'JSON' (one JSON object per console call and per platform line). Default 'Text'.
   */
  readonly logFormat?: LogFormat;
  /**
   * With JSON only (Lambda's ApplicationLogLevel): console calls below it are
   * dropped inside the isolate. Default 'INFO' with JSON.
   */
  readonly applicationLogLevel?: ApplicationLogLevel;
  /**
   * With JSON only (Lambda's SystemLogLevel): platform events below it
   * (platform.runtimeDone and platform.initRuntimeDone are DEBUG; the
   * others INFO; platform.logsDropped WARN) are left out. Default 'INFO' with JSON.
   */
  readonly systemLogLevel?: SystemLogLevel;
  /** The log group name the function sees (Lambda's LoggingConfig.LogGroup). Default `/aws/lambda/<functionName>`. */
  readonly logGroupName?: string;
  /**
   * Called when V8 loses control of an isolate; the process should stop taking
   * work and exit soon. Default: none, and isolated-vm aborts the process.
   */
  readonly onCatastrophicError?: (message: string) => void;
  /**
   * The process's gate on isolates executing at once (createIsolateGate);
   * every entry into this environment's isolate waits for a slot in it. A
   * process that runs many environments must share one gate, or busy
   * isolates starve its event loop. Default: a gate of this environment's
   * own with one slot (no bound across environments).
   */
  readonly isolateGate?: IsolateGate;
  /**
   * Spare isolate shells (createShellPool) to start from: the environment
   * takes one of its memory size when there is one, so init only compiles
   * and evaluates the function's code. Share one pool (and its gate) per
   * process. Default: none, every environment makes its own isolate.
   */
  readonly shells?: ShellPool;
  /**
   * Worker threads for the hashes the function asks of the host
   * (createHashPool); inputs over 16 KiB are hashed there, off the process's
   * main thread. Share one per process. Default: none, every hash is
   * computed on the main thread.
   */
  readonly hashPool?: HashPool;
  /** The function's outbound network access (its egress setting). Default: public addresses only. */
  readonly egress?: EgressSettings;
  /** The cluster's own services, refused to the function unless its allow list names one's address and port. Default none. */
  readonly clusterEndpoints?: readonly ClusterEndpoint[];
  /** Outbound requests open at once per invocation (and during init). Default 50. */
  readonly egressMaxConcurrentRequests?: number;
  /** Outbound request and response body bytes per invocation (and during init). Default 256 MiB. */
  readonly egressMaxBytesPerInvocation?: number;
  /** How host names are resolved for egress. Default: the system resolver (`dns.lookup`); tests give their own. */
  readonly egressLookup?: EgressLookup;
}

export interface ResolvedOptions {
  readonly script: string;
  readonly handler: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly initTimeoutMs: number;
  readonly logLimitBytes: number;
  readonly logFormat: LogFormat;
  /** Set only with JSON. */
  readonly applicationLogLevel: ApplicationLogLevel | undefined;
  /** Set only with JSON. */
  readonly systemLogLevel: SystemLogLevel | undefined;
  readonly region: string;
  readonly invokedFunctionArn: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** process.env inside the isolate. */
  readonly env: Readonly<Record<string, string>>;
  readonly onCatastrophicError: ((message: string) => void) | undefined;
  readonly gate: IsolateGate;
  readonly shells: ShellPool | undefined;
  readonly hashPool: HashPool | undefined;
  readonly egress: EgressSettings;
  readonly clusterEndpoints: readonly ClusterEndpoint[];
  readonly egressMaxConcurrentRequests: number;
  readonly egressMaxBytesPerInvocation: number;
  readonly egressLookup: EgressLookup | undefined;
  readonly files: PackageFiles | undefined;
  readonly sourceMap: BundleSourceMap | undefined;
  readonly ephemeralStorageMb: number;
}

const DEFAULT_REGION = 'local';
/** Lambda's Node.js 20 search path for modules (layers, the runtime, the task). */
const LAMBDA_NODE_PATH = '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task';
const LAMBDA_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';
const LAMBDA_LD_LIBRARY_PATH = '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib';
const DEFAULT_INIT_TIMEOUT_MS = 10_000;
const DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;
/** isolated-vm refuses smaller limits. */
const MIN_ISOLATE_MEMORY_MB = 8;

/** Whole milliseconds: isolated-vm's timeouts are integers. */
function requirePositive(value: number, field: string, max: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new StratusError('INVALID_ARGUMENT', `${field}: must be a number in (0, ${max}], got ${value}`);
  }
  return Math.ceil(value);
}

/** Lambda's log stream name shape: 2024/05/01/[$LATEST]<32 hex>. */
function logStreamName(version: string, now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function resolveOptions(options: ExecutionEnvironmentOptions): ResolvedOptions {
  if (typeof options.script !== 'string') throw new StratusError('INVALID_ARGUMENT', 'script: must be a string');
  if (!Number.isInteger(options.memoryMb) || options.memoryMb < MIN_ISOLATE_MEMORY_MB || options.memoryMb > LIMITS.memoryMaxMb) {
    throw new StratusError(
      'INVALID_ARGUMENT',
      `memoryMb: must be an integer in [${MIN_ISOLATE_MEMORY_MB}, ${LIMITS.memoryMaxMb}], got ${options.memoryMb}`,
    );
  }
  const timeoutMs = requirePositive(options.timeoutMs, 'timeoutMs', LIMITS.timeoutMaxSec * 1000);
  const initTimeoutMs = requirePositive(options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS, 'initTimeoutMs', LIMITS.timeoutMaxSec * 1000);
  const logLimitBytes = requirePositive(options.logLimitBytes ?? DEFAULT_LOG_LIMIT_BYTES, 'logLimitBytes', 2 ** 30);
  const region = options.region ?? DEFAULT_REGION;
  const ephemeralStorageMb = options.ephemeralStorageMb ?? LIMITS.ephemeralStorageDefaultMb;
  if (!Number.isInteger(ephemeralStorageMb) || ephemeralStorageMb < LIMITS.ephemeralStorageMinMb || ephemeralStorageMb > LIMITS.ephemeralStorageMaxMb) {
    throw new StratusError(
      'INVALID_ARGUMENT',
      `ephemeralStorageMb: must be an integer in [${LIMITS.ephemeralStorageMinMb}, ${LIMITS.ephemeralStorageMaxMb}], got ${ephemeralStorageMb}`,
    );
  }
  const logFormat = options.logFormat ?? 'Text';
  if (logFormat !== 'Text' && logFormat !== 'JSON') {
    throw new StratusError('INVALID_ARGUMENT', `logFormat: must be 'Text' or 'JSON', got ${String(logFormat)}`);
  }
  if (logFormat === 'Text' && (options.applicationLogLevel !== undefined || options.systemLogLevel !== undefined)) {
    throw new StratusError('INVALID_ARGUMENT', 'applicationLogLevel, systemLogLevel: supported only with logFormat JSON');
  }
  const applicationLogLevel = logFormat === 'JSON' ? (options.applicationLogLevel ?? 'INFO') : undefined;
  const systemLogLevel = logFormat === 'JSON' ? (options.systemLogLevel ?? 'INFO') : undefined;
  if (applicationLogLevel !== undefined && !APPLICATION_LOG_LEVELS.includes(applicationLogLevel)) {
    throw new StratusError('INVALID_ARGUMENT', `applicationLogLevel: must be one of ${APPLICATION_LOG_LEVELS.join(', ')}, got ${String(applicationLogLevel)}`);
  }
  if (systemLogLevel !== undefined && !SYSTEM_LOG_LEVELS.includes(systemLogLevel)) {
    throw new StratusError('INVALID_ARGUMENT', `systemLogLevel: must be one of ${SYSTEM_LOG_LEVELS.join(', ')}, got ${String(systemLogLevel)}`);
  }
  const logGroupName = options.logGroupName ?? defaultLogGroup(options.functionName);
  const streamName = logStreamName(options.functionVersion, new Date());
  // Lambda's unreserved variables are defaults the function may override; the reserved ones below always win.
  const env: Record<string, string> = {
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: LAMBDA_PATH,
    LD_LIBRARY_PATH: LAMBDA_LD_LIBRARY_PATH,
    NODE_PATH: LAMBDA_NODE_PATH,
    ...options.environment,
    ...(logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: applicationLogLevel ?? 'INFO' } : {}),
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: options.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: streamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: options.handler,
  };
  return {
    script: options.script,
    handler: options.handler,
    functionName: options.functionName,
    functionVersion: options.functionVersion,
    memoryMb: options.memoryMb,
    timeoutMs,
    initTimeoutMs,
    logLimitBytes,
    logFormat,
    applicationLogLevel,
    systemLogLevel,
    region,
    invokedFunctionArn: functionArn(options.functionName, region),
    logGroupName,
    logStreamName: streamName,
    env,
    onCatastrophicError: options.onCatastrophicError,
    gate: options.isolateGate ?? new IsolateGate({ maxRunningIsolates: 1 }),
    shells: options.shells,
    hashPool: options.hashPool,
    egress: options.egress ?? DEFAULT_EGRESS,
    clusterEndpoints: options.clusterEndpoints ?? [],
    egressMaxConcurrentRequests: requirePositive(options.egressMaxConcurrentRequests ?? 50, 'egressMaxConcurrentRequests', 10_000),
    egressMaxBytesPerInvocation: requirePositive(options.egressMaxBytesPerInvocation ?? 256 * 1024 * 1024, 'egressMaxBytesPerInvocation', 2 ** 40),
    egressLookup: options.egressLookup,
    files: options.files,
    sourceMap: options.sourceMap,
    ephemeralStorageMb,
  };
}
