import type ivm from 'isolated-vm';
import { StratusError, hasCode } from '@stratus/errors';
import { LIMITS, billedMsFor, parseHandler } from '@stratus/contracts';
import type { UsageOutcome } from '@stratus/contracts';
import type { GatePriority, GateTicket } from './isolate-gate.js';
import { FUNCTION_SPECIFIER, HOST_SPECIFIER, RUNTIME_SPECIFIER } from './isolate-runtime.js';
import { FILES_SPECIFIER, PackageFiles } from './package-files.js';
import { IsolateShell } from './isolate-shell.js';
import type { FlushFn, InvokeFn, ShellSink, TickFn } from './isolate-shell.js';
import {
  fromCopiedError,
  loadError,
  runtimeError,
  syntaxError,
  timeoutError,
  timeoutText,
  unhandledRejection,
} from './lambda-error.js';
import type { LambdaErrorObject } from './lambda-error.js';
import { LogBuffer, NO_SPANS, consoleLine, isoTime, logTail, newlines, platformJsonLine, shiftedSpans } from './log-buffer.js';
import { resolveOptions } from './options.js';
import type { ExecutionEnvironmentOptions, ResolvedOptions } from './options.js';
import {
  RUNTIME_VERSION,
  initReportLine,
  initStartLine,
  platformErrorType,
  platformReportRecord,
  platformStartRecord,
  reportLine,
  runtimeDoneRecord,
  runtimeVersionArn,
} from './report.js';
import { EgressBridge } from './egress/egress-bridge.js';
import { EgressPolicy } from './egress/egress-policy.js';

/** One call of the function. */
export interface InvocationRequest {
  readonly requestId: string;
  /** The event as JSON text; '' means {} (an invoke without a payload). */
  readonly eventJson: string;
  /** Return the last 4 KB of the log as `logTail` (Lambda's LogType: Tail). Default false. */
  readonly tailLogs?: boolean;
  /**
   * The qualifier the call named (`$LATEST`, a version, an alias): the
   * context's invokedFunctionArn ends with `:<qualifier>`, as Lambda's does.
   * Default '' (an unqualified call: the function's own ARN).
   */
  readonly invokedQualifier?: string;
  /** Which attempt of an asynchronous invocation this is (retries share the request id); the handler sees it as `context.attempt`. Default 1. */
  readonly attempt?: number;
  /** Lambda's ClientContext as the JSON text of one object (checked by the frontend); the handler sees it parsed as `context.clientContext`. Default none. */
  readonly clientContextJson?: string;
  /**
   * Given each batch of a streaming handler's bytes as it arrives from the isolate (in order, with the stream's
   * content type as of then), instead of keeping them for the outcome: `streamed.bytes` is then empty. Default none.
   */
  readonly onResponseChunk?: (bytes: Buffer, contentType: string) => void;
}

/** What one invocation did, in the terms Lambda reports. */
export interface InvocationOutcome {
  readonly outcome: UsageOutcome;
  /** JSON text: the handler's result, or Lambda's error object ({errorType, errorMessage, trace}). */
  readonly resultJson: string;
  /** Set whenever resultJson is an error object. */
  readonly functionError?: 'Unhandled';
  /**
   * Wall-clock time of the handler, from when it started to its answer,
   * less the time its isolate waited for a slot of the process's gate.
   */
  readonly durationMs: number;
  /** Math.ceil(durationMs), at least 1. */
  readonly billedMs: number;
  /** Time the invocation waited for a gate slot (not billed, not in durationMs). */
  readonly queuedMs: number;
  /** Set on the first invocation of an environment (a cold start). */
  readonly initDurationMs?: number;
  /**
   * Peak isolate heap (V8's total heap size plus isolated-vm's count of
   * ArrayBuffer memory) seen at this environment's memory samples so far:
   * after init, after each of its first invocations, after any invocation
   * that used a millisecond of CPU or more or did not end in a result, and
   * otherwise after every 16th invocation or once a second of invocations.
   * A trivial invocation between samples reports the peak of the last sample.
   * The function's memory size when the invocation ran out of memory.
   */
  readonly maxMemoryUsedMb: number;
  /** CPU time the isolate spent on this invocation. */
  readonly cpuMs: number;
  /** This invocation's log text in Lambda's format, from START to REPORT (init output first on a cold start). */
  readonly logs: string;
  /**
   * The events of `logs` that cover several lines (a console call whose
   * message has newlines), as flat pairs `[firstLine, lineCount, …]`, 0-based,
   * in order; absent when every line is an event of its own.
   */
  readonly logEventSpans?: readonly number[];
  /** The REPORT line alone. */
  readonly report: string;
  /** Base64 of the last 4 KB of `logs`, when the request asked for it. */
  readonly logTail?: string;
  /**
   * Set when the handler streams its response (`awslambda.streamifyResponse`): the content type it set and the
   * bytes it streamed. On success they are the response and `resultJson` is ''; otherwise `resultJson` is the
   * error and these are what the handler streamed before it (Lambda has sent them to a streaming caller by then).
   */
  readonly streamed?: StreamedResponse;
}

/** What a streaming handler wrote to its response stream. */
export interface StreamedResponse {
  /** `application/octet-stream` unless the handler set another (HttpResponseStream.from sets Lambda's prelude type). */
  readonly contentType: string;
  readonly bytes: Buffer;
}

/**
 * One Lambda execution environment: an isolate holding one function's
 * initialized code, running one invocation at a time.
 */
export interface ExecutionEnvironment {
  /** Time to create the isolate and evaluate the function's module. */
  readonly initDurationMs: number;
  /**
   * False once the environment cannot take another invocation (after a
   * timeout, running out of memory, a crash, a reported init error, or
   * dispose): the pool must discard it and create a fresh one.
   */
  readonly usable: boolean;
  /**
   * Runs the handler once. User-code failures are outcomes, not exceptions.
   * Throws StratusError INVALID_PAYLOAD when the event is not JSON (the
   * environment stays usable), INTERNAL when called on an unusable or busy
   * environment.
   */
  invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  /** Frees the isolate; an invocation in flight ends as 'crashed'. Idempotent. */
  dispose(): void;
}

/**
 * Creates an isolate and initializes the function in it (Lambda's init
 * phase). Problems in the user's code (syntax, imports, a missing handler, a
 * throw at module scope) do not throw: the first invoke() reports them as
 * Lambda does. Throws StratusError INVALID_ARGUMENT for bad options and
 * INTERNAL when the isolate itself cannot be set up.
 */
export async function createExecutionEnvironment(options: ExecutionEnvironmentOptions): Promise<ExecutionEnvironment> {
  const env = new IsolateEnvironment(resolveOptions(options));
  await env.initialize();
  return env;
}

type State = 'initializing' | 'ready' | 'busy' | 'init-failed' | 'broken' | 'disposed';

/** How a phase (init or one invocation) ended; the first ending wins. */
type Ending =
  | { readonly kind: 'init'; readonly error: LambdaErrorObject | undefined }
  | { readonly kind: 'result'; readonly ok: boolean; readonly resultJson: string }
  /** An uncaught exception or unhandled rejection: Lambda's runtime reports it and restarts. */
  | { readonly kind: 'fatal'; readonly error: LambdaErrorObject }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'oom' }
  | { readonly kind: 'crash'; readonly reason: string }
  /** process.exit(status): Lambda's Runtime.ExitError, and the environment is discarded. */
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'bad-event'; readonly reason: string }
  /** Init can never finish: top-level await on something that no timer will settle. */
  | { readonly kind: 'stuck' };

interface Phase {
  readonly kind: 'init' | 'invoke';
  readonly seq: number;
  /** Wall-clock deadline (epoch ms); caps the sync run time of every task of this phase. */
  readonly deadlineMs: number;
  readonly requestId: string;
  readonly logs: LogBuffer;
  /** A streaming handler's response so far (invocations of a streaming handler only). */
  readonly stream: StreamState | undefined;
  readonly done: Promise<Ending>;
  ending: Ending | undefined;
  settle(ending: Ending): void;
}

interface StreamState {
  contentType: string;
  readonly chunks: Buffer[];
  bytes: number;
  readonly sink: ((bytes: Buffer, contentType: string) => void) | undefined;
}

interface InitFailure {
  readonly outcome: UsageOutcome;
  readonly error: LambdaErrorObject;
}


const MiB = 1024 * 1024;
/** Lambda's limit on a synchronous response, and the number its error message gives. */
const RESPONSE_MAX_BYTES = 6_291_556;
/** Lambda's limit on a streamed response (the isolate holds its handler to it too; this is the host's own count). */
const STREAM_MAX_BYTES = 20 * MiB;
const STREAM_DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/**
 * Memory is sampled after an invocation when one of these says so: reading
 * heap statistics locks the isolate from the main thread (it waits while the
 * isolate's thread still holds it), which every warm call paid for a figure
 * that trivial calls hardly move. Enforcing the memory limit does not depend
 * on the samples (isolated-vm and the runtime's guards do that).
 */
const MEMORY_SAMPLE_FIRST_CALLS = 4;
const MEMORY_SAMPLE_EVERY_CALLS = 16;
const MEMORY_SAMPLE_EVERY_MS = 1000;
/** An invocation that used this much isolate CPU may have allocated much: sample after it. */
const MEMORY_SAMPLE_CPU_MS = 1;
/** Node's largest timer delay; isolated-vm's timeout option is an int32 too. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// isolated-vm reports these conditions only through error messages.
const IVM_TIMED_OUT = 'Script execution timed out.';
const IVM_OUT_OF_MEMORY = 'Isolate was disposed during execution due to memory limit';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function wallClockMs(): number {
  return Date.now();
}

/**
 * An invocation that used less isolate CPU than this makes the next one into
 * the same environment light: it may take one of the gate's light slots.
 */
const LIGHT_CPU_MS = 1;

/** What a gate entry returns when its isolate went away while it waited. */
const NOTHING_RAN: Promise<unknown> = Promise.resolve();

/** An asynchronous isolated-vm call (apply, evaluate) bound to its receiver and arguments. */
type IsolateCall = () => Promise<unknown>;

const SETTLED: Promise<void> = Promise.resolve();

/**
 * Starts `call` from a promise job, with no JavaScript frame below it.
 * isolated-vm captures the caller's stack on every asynchronous call (up
 * to 10 frames with source positions, each optimized frame translated as
 * for a deoptimization) for the errors it may reject with; from the gate's
 * release path that capture was a tenth of the main thread's time per warm
 * call. The errors' messages, which is all the runtime reads, are the same.
 */
function fromPromiseJob(call: IsolateCall): Promise<unknown> {
  return SETTLED.then(call);
}

/** isolated-vm's timeout for a task that may run until `deadlineMs` (it needs a positive int32). */
function remainingMs(deadlineMs: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadlineMs - wallClockMs())));
}

class IsolateEnvironment implements ExecutionEnvironment, ShellSink {
  initDurationMs = 0;
  private state: State = 'initializing';
  private isolate: ivm.Isolate | undefined;
  private invokeRef: ivm.Reference<InvokeFn> | undefined;
  private tickRef: ivm.Reference<TickFn> | undefined;
  private flushRef: ivm.Reference<FlushFn> | undefined;
  /** Set when the host disposed the isolate on purpose: failures that follow are expected. */
  private isolateReleased = false;
  private phase: Phase | undefined;
  private seq = 0;
  /** The function's handler streams its response (the isolate said so at init). */
  private streamingHandler = false;
  private initFailure: InitFailure | undefined;
  private initLogText = '';
  /** The multi-line events of initLogText, and its lines. */
  private initEventSpans: readonly number[] = [];
  private initLogLines = 0;
  private coldStart = true;
  /** Whether timers may fire: only while init or an invocation runs (Lambda freezes in between). */
  private timersLive = false;
  /** The earliest time the isolate asked to be woken at; kept across a freeze. */
  private wakeAtMs: number | undefined;
  private alarm: { cancel(): void } | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** Isolate tasks started or waiting for the gate; finishPhase() waits for them. */
  private tasksInFlight = 0;
  /** Entries still waiting for a gate slot: dropped when the isolate goes away. */
  private readonly waitingEntries = new Set<GateTicket>();
  /** A timer tick waiting for a gate slot; one is enough, it runs whatever is due when it starts. */
  private waitingTick: GateTicket | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly gateQueue = new QueueClock();
  private peakMemoryMb = 0;
  private invocationsSinceSample = 0;
  /** Whether the last invocation used under LIGHT_CPU_MS of isolate CPU: the next one may take a light gate slot. */
  private lastInvocationLight = false;
  private lastSampleMs = 0;
  private lastCpuNs = 0n;
  /** The name the bundle is compiled under, which its stack frames carry; set once compiling starts. */
  private bundleUrl: string | undefined;
  private sourceMapGiven = false;
  /** Outbound HTTP performed for the function; its requests belong to the phase that started them. */
  private readonly egress: EgressBridge;

  constructor(private readonly options: ResolvedOptions) {
    this.egress = new EgressBridge({
      policy: new EgressPolicy(options.egress, options.clusterEndpoints),
      maxConcurrentRequests: options.egressMaxConcurrentRequests,
      maxBytesPerInvocation: options.egressMaxBytesPerInvocation,
      ...(options.egressLookup !== undefined ? { lookup: options.egressLookup } : {}),
      // Completions reach the isolate in a tick, through the gate, and only while it is thawed.
      onEvents: () => this.onWake(wallClockMs()),
    });
  }

  get usable(): boolean {
    return this.state === 'ready' || this.state === 'init-failed';
  }

  async initialize(): Promise<void> {
    const started = performance.now();
    const startedAtMs = wallClockMs();
    const queuedBefore = this.gateQueue.queuedMs();
    const logs = new LogBuffer(this.options.logLimitBytes);
    const failure = await this.loadFunction(logs);
    this.initDurationMs = performance.now() - started - (this.gateQueue.queuedMs() - queuedBefore);
    this.sampleMemory();
    // Where the first invocation's CPU time starts (see invoke).
    this.readCpuNs();
    let initReport = '';
    if (failure !== undefined) {
      const errorLine = this.errorRecord(wallClockMs(), 'undefined', 'Uncaught Exception', failure.error);
      if (errorLine !== undefined) logs.add(errorLine);
      this.initFailure = failure;
      this.releaseIsolate();
      initReport = this.initReportLines(failure);
    }
    const initStart = this.initStartLine(startedAtMs);
    this.initLogText = initStart + logs.text() + initReport;
    this.initEventSpans = shiftedSpans(logs.eventSpans(), newlines(initStart));
    // Once per environment: the first invocation's console lines come after these.
    this.initLogLines = newlines(this.initLogText);
    if (this.state === 'initializing') this.state = failure === undefined ? 'ready' : 'init-failed';
  }

  /** Lambda's INIT_START, first line of a cold start's log. */
  private initStartLine(timeMs: number): string {
    const o = this.options;
    if (o.logFormat === 'Text') return `${initStartLine(o.region)}\n`;
    return this.platformEvent(timeMs, 'platform.initStart', {
      initializationType: 'on-demand',
      phase: 'init',
      runtimeVersion: RUNTIME_VERSION,
      runtimeVersionArn: runtimeVersionArn(o.region),
      functionName: o.functionName,
      functionVersion: o.functionVersion,
    });
  }

  /** INIT_REPORT (and, in JSON at DEBUG, platform.initRuntimeDone) for an init that failed. */
  private initReportLines(failure: InitFailure): string {
    const status = failure.outcome === 'timeout' ? 'timeout' : 'error';
    const errorType = status === 'error' ? platformErrorType(failure.error.errorType) : undefined;
    if (this.options.logFormat === 'Text') return `${initReportLine(this.initDurationMs, status, errorType)}\n`;
    const now = wallClockMs();
    const outcome = { initializationType: 'on-demand', phase: 'init', status, ...(errorType !== undefined ? { errorType } : {}) };
    return (
      this.platformEvent(now, 'platform.initRuntimeDone', outcome) +
      this.platformEvent(now, 'platform.initReport', { ...outcome, metrics: { durationMs: round2(this.initDurationMs) } })
    );
  }

  /**
   * One platform event in Lambda's JSON format with its newline, or '' when
   * the function's system log level leaves it out (runtimeDone events are
   * DEBUG, logsDropped WARN, the others INFO).
   */
  private platformEvent(timeMs: number, type: string, record: Record<string, unknown> | string): string {
    if (!this.logsPlatformEvent(type)) return '';
    return `${platformJsonLine(timeMs, type, typeof record === 'string' ? record : JSON.stringify(record))}\n`;
  }

  private logsPlatformEvent(type: string): boolean {
    const level = type === 'platform.runtimeDone' || type === 'platform.initRuntimeDone' ? 'DEBUG' : type === 'platform.logsDropped' ? 'WARN' : 'INFO';
    return systemLevelKeeps(this.options.systemLogLevel, level);
  }

  /**
   * How Lambda's runtime client logs an error it caught: in Text, "<label> \t" and
   * the error as JSON (trace under "stack"); in JSON, a record whose message is
   * the error ({errorType, errorMessage, stackTrace}). Undefined when the
   * application log level leaves ERROR out (FATAL).
   */
  private errorRecord(timeMs: number, requestId: string, label: string, error: LambdaErrorObject): string | undefined {
    if (this.options.logFormat === 'Text') return this.consoleLine(timeMs, requestId, 'ERROR', `${label} \t${lambdaLogJson(error)}`);
    if (this.options.applicationLogLevel === 'FATAL') return undefined;
    const message = { errorType: error.errorType, errorMessage: error.errorMessage, stackTrace: error.trace ?? [] };
    return JSON.stringify({
      timestamp: isoTime(timeMs),
      level: 'ERROR',
      ...(requestId === 'undefined' ? {} : { requestId }),
      message,
    });
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    if (this.state === 'init-failed') return this.reportInitFailure(request);
    if (this.state !== 'ready') {
      throw new StratusError('INTERNAL', `execution environment for ${this.options.functionName} is ${this.state}`);
    }
    const invokeRef = this.invokeRef;
    if (invokeRef === undefined) throw new StratusError('INTERNAL', 'execution environment has no isolate');
    this.state = 'busy';
    const { requestId } = request;
    const seq = ++this.seq;
    const started = performance.now();
    const queuedBefore = this.gateQueue.queuedMs();
    // Read when the last invocation (or init, or a memory sample) ended:
    // nothing runs in the isolate between invocations (timers are frozen),
    // so a second read of the isolate's clock here would give the same value.
    const cpuStartNs = this.lastCpuNs;
    const deadlineMs = wallClockMs() + this.options.timeoutMs;
    const phase = this.beginPhase('invoke', seq, requestId, deadlineMs, this.options.timeoutMs, undefined, request.onResponseChunk);
    // The deadline counts from now, as Lambda's does: time spent waiting for
    // the gate is part of the invocation's duration and of its timeout.
    // The phase's deadline timer alone enforces it, a synchronous loop too:
    // the isolate runs on its own thread, so the timer fires on time and
    // disposing the isolate stops the loop. No isolated-vm `timeout` here: it
    // made a timer per call on isolated-vm's one timer thread, which woke once
    // per call (when that call's timer came due, long after it ended) and
    // held the lock the next call's isolate thread needed to start its own.
    this.track(
      () =>
        invokeRef.apply.bind(invokeRef, undefined, [seq, requestId, request.eventJson, deadlineMs, invokedArn(this.options.invokedFunctionArn, request.invokedQualifier), request.attempt ?? 1, request.clientContextJson ?? '']),
      (status) => {
        // Timers stay frozen until the handler has started; if it already
        // finished (a synchronous result), they stay frozen until next time.
        if (status === '') {
          if (phase.ending === undefined) this.thaw();
        } else if (typeof status === 'string' && status.startsWith('P')) this.end({ kind: 'bad-event', reason: status.slice(1) });
        else this.end({ kind: 'crash', reason: `the runtime refused the invocation: ${String(status)}` });
      },
      'new',
      this.lastInvocationLight,
    );
    const ending = await phase.done;
    // Billed time is the handler's: time spent waiting for a gate slot (before
    // it started, or before a timer tick could run) is reported, not billed.
    const queuedMs = this.gateQueue.queuedMs() - queuedBefore;
    const durationMs = Math.max(0, performance.now() - started - queuedMs);
    await this.finishPhase(ending, deadlineMs);
    const cpuMs = Number(this.readCpuNs() - cpuStartNs) / 1e6;
    this.lastInvocationLight = cpuMs < LIGHT_CPU_MS;
    if (this.memorySampleDue(ending, cpuMs)) {
      this.sampleMemory();
      // The sample locks the isolate, on its clock: not the next invocation's time.
      this.readCpuNs();
    }

    if (ending.kind === 'bad-event') {
      this.phase = undefined;
      if (this.state === 'busy') this.state = 'ready';
      // The frontend no longer parses the event: this is the only check, worded as the frontend's was (and as Lambda's).
      throw new StratusError('INVALID_PAYLOAD', `Could not parse request body into json: ${ending.reason}`);
    }

    const result = this.describeEnding(ending, requestId);
    if (result.logLine !== undefined) phase.logs.add(result.logLine);
    this.phase = undefined;
    if (!result.reusable || this.state !== 'busy') this.markBroken();
    else this.state = 'ready';

    return this.buildOutcome({
      request,
      outcome: result.outcome,
      resultJson: result.resultJson,
      ...(phase.stream !== undefined ? { stream: phase.stream } : {}),
      durationMs,
      queuedMs,
      cpuMs,
      consoleText: phase.logs.text(),
      consoleEventSpans: phase.logs.eventSpans(),
      timedOut: ending.kind === 'timeout',
      errorType: result.reportErrorType,
    });
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.end({ kind: 'crash', reason: 'the execution environment was disposed' });
    this.releaseIsolate();
  }

  private consoleLine(timeMs: number, requestId: string, level: string, message: string): string {
    return consoleLine(timeMs, requestId, level, message, this.options.logFormat);
  }

  // --- init ----------------------------------------------------------------------

  private async loadFunction(logs: LogBuffer): Promise<InitFailure | undefined> {
    let exportPath: readonly string[];
    let modulePath: string;
    try {
      const parsed = parseHandler(this.options.handler);
      exportPath = parsed.exportPath;
      modulePath = parsed.modulePath;
    } catch (err) {
      if (!hasCode(err, 'INVALID_ARGUMENT')) throw err;
      // Lambda's runtime client's exact words, whatever is wrong with the string.
      return { outcome: 'function_error', error: runtimeError('Runtime.MalformedHandlerName', 'Bad handler') };
    }

    // Compiling and linking run on isolated-vm's threads like any other
    // isolate work, so they hold a gate slot too (timers cannot run yet).
    this.gateQueue.enter();
    const prepared = await this.options.gate
      .run(
        () => {
          this.gateQueue.start();
          return this.prepareModules(exportPath, modulePath);
        },
        'new',
        this.options.functionName,
      )
      .finally(() => this.gateQueue.leave());
    if (!('wrapper' in prepared)) return prepared;
    const { wrapper, functionModule } = prepared;

    // Evaluation is the only step that runs user code: timers are live, and a
    // top-level await finishes when the wrapper calls ready() (signal 'init').
    const deadlineMs = wallClockMs() + this.options.initTimeoutMs;
    const phase = this.beginPhase('init', 0, 'undefined', deadlineMs, this.options.initTimeoutMs, logs);
    this.thaw();
    this.track(() => wrapper.evaluate.bind(wrapper, { timeout: remainingMs(deadlineMs) }));
    const ending = await phase.done;
    await this.finishPhase(ending);
    this.phase = undefined;
    wrapper.release();
    functionModule.release();
    return this.initFailureFor(ending);
  }

  private async prepareModules(
    exportPath: readonly string[],
    modulePath: string,
  ): Promise<InitFailure | { wrapper: ivm.Module; functionModule: ivm.Module }> {
    const { isolate, context, runtimeModule, hostModule, wrapperModule: wrapper } = await this.startIsolate(exportPath);

    let functionModule: ivm.Module;
    try {
      this.bundleUrl = `file:///var/task/${modulePath}.mjs`;
      functionModule = await isolate.compileModule(this.options.script, { filename: this.bundleUrl });
    } catch (err) {
      const failure = this.isolateFailure(err);
      if (failure !== undefined) return failure;
      if (err instanceof Error && err.name === 'SyntaxError') return { outcome: 'function_error', error: syntaxError(err) };
      return { outcome: 'function_error', error: fromCopiedError(err) };
    }
    // The bundle has no imports left; anything that remains is a module Stratus cannot provide.
    const missing = functionModule.dependencySpecifiers.find((specifier) => specifier !== HOST_SPECIFIER && specifier !== FILES_SPECIFIER);
    if (missing !== undefined) {
      return {
        outcome: 'function_error',
        error: runtimeError(
          'Runtime.ImportModuleError',
          `Error: Cannot find module '${missing}'. Stratus runs only the function's bundle: ` +
            'Node.js built-in modules and packages outside the bundle are not available.',
        ),
      };
    }

    try {
      // Only a function that uses `fs` (the bundler's shim imports it) pays for its files module.
      const filesModule = functionModule.dependencySpecifiers.includes(FILES_SPECIFIER)
        ? await PackageFiles.link(isolate, context, this.options.files, this.options)
        : undefined;
      // The function may import only the host and files modules; only the wrapper and
      // the host module may import the runtime (its exports drive invocations).
      await wrapper.instantiate(context, (specifier, referrer) => {
        if (specifier === HOST_SPECIFIER) return hostModule;
        if (specifier === FILES_SPECIFIER && filesModule !== undefined) return filesModule;
        if (referrer === functionModule) throw new Error(`Cannot find module '${specifier}'`);
        if (specifier === FUNCTION_SPECIFIER) return functionModule;
        if (specifier === RUNTIME_SPECIFIER) return runtimeModule;
        throw new Error(`Cannot find module '${specifier}'`);
      });
    } catch (err) {
      const failure = this.isolateFailure(err);
      if (failure !== undefined) return failure;
      return { outcome: 'function_error', error: fromCopiedError(err) };
    }
    return { wrapper, functionModule };
  }

  /** A spare shell when the pool has one for this memory size, else a new one; either way configured for this function. */
  private async startIsolate(exportPath: readonly string[]): Promise<IsolateShell> {
    const o = this.options;
    try {
      const shell = o.shells?.take(o.memoryMb) ?? (await IsolateShell.create(o.memoryMb, o.onCatastrophicError, o.hashPool));
      this.isolate = shell.isolate;
      shell.claim(this);
      this.invokeRef = shell.invokeRef;
      this.tickRef = shell.tickRef;
      this.flushRef = shell.flushRef;
      const config = JSON.stringify({
        handler: o.handler,
        exportPath,
        functionName: o.functionName,
        functionVersion: o.functionVersion,
        memoryLimitInMB: String(o.memoryMb),
        invokedFunctionArn: o.invokedFunctionArn,
        logGroupName: o.logGroupName,
        logStreamName: o.logStreamName,
        logFormat: o.logFormat,
        ...(o.applicationLogLevel !== undefined ? { applicationLogLevel: o.applicationLogLevel } : {}),
        logLimitBytes: o.logLimitBytes,
        env: o.env,
      });
      shell.configure(config, o.initTimeoutMs);
      return shell;
    } catch (err) {
      this.releaseIsolate();
      throw new StratusError('INTERNAL', `could not start an isolate for ${o.functionName}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private initFailureFor(ending: Ending): InitFailure | undefined {
    switch (ending.kind) {
      case 'init':
        return ending.error === undefined ? undefined : { outcome: 'function_error', error: ending.error };
      case 'fatal':
        return { outcome: 'function_error', error: ending.error };
      case 'timeout':
        return { outcome: 'timeout', error: timeoutError(this.options.initTimeoutMs) };
      case 'oom':
        return { outcome: 'crashed', error: this.outOfMemoryError('init') };
      case 'stuck':
        return {
          outcome: 'function_error',
          error: runtimeError(
            'Runtime.ExitError',
            'Runtime exited with error: exit status 13: the module awaits a promise that nothing will settle (unsettled top-level await)',
          ),
        };
      case 'crash':
        return { outcome: 'crashed', error: runtimeError('Runtime.ExitError', `Runtime exited during init: ${ending.reason}`) };
      case 'exit':
        return { outcome: 'function_error', error: runtimeError('Runtime.ExitError', exitMessage(ending.status)) };
      case 'result':
      case 'bad-event':
        return { outcome: 'crashed', error: runtimeError('Runtime.ExitError', `unexpected ${ending.kind} during init`) };
    }
  }

  /** Failures of the isolate itself (not of user code) while compiling or linking. */
  private isolateFailure(err: unknown): InitFailure | undefined {
    const message = errorMessage(err);
    if (message === IVM_OUT_OF_MEMORY) return { outcome: 'crashed', error: this.outOfMemoryError('init') };
    if (this.isolate?.isDisposed === true) return { outcome: 'crashed', error: runtimeError('Runtime.ExitError', `Runtime exited during init: ${message}`) };
    return undefined;
  }

  private reportInitFailure(request: InvocationRequest): InvocationOutcome {
    const failure = this.initFailure;
    this.markBroken();
    if (failure === undefined) throw new StratusError('INTERNAL', 'init failed without an error');
    return this.buildOutcome({
      request,
      outcome: failure.outcome,
      resultJson: JSON.stringify(failure.error),
      durationMs: 0,
      queuedMs: 0,
      cpuMs: 0,
      consoleText: '',
      consoleEventSpans: [],
      timedOut: failure.outcome === 'timeout',
      errorType: failure.outcome === 'timeout' ? undefined : platformErrorType(failure.error.errorType),
      initFailed: true,
    });
  }

  // --- phases --------------------------------------------------------------------

  private beginPhase(
    kind: Phase['kind'],
    seq: number,
    requestId: string,
    deadlineMs: number,
    timeoutMs: number,
    logs?: LogBuffer,
    sink?: (bytes: Buffer, contentType: string) => void,
  ): Phase {
    let settle: (ending: Ending) => void = () => undefined;
    const done = new Promise<Ending>((resolve) => {
      settle = resolve;
    });
    const phase: Phase = {
      kind,
      seq,
      deadlineMs,
      requestId,
      logs: logs ?? new LogBuffer(this.options.logLimitBytes),
      stream: kind === 'invoke' && this.streamingHandler ? { contentType: STREAM_DEFAULT_CONTENT_TYPE, chunks: [], bytes: 0, sink } : undefined,
      done,
      ending: undefined,
      settle,
    };
    this.phase = phase;
    this.deadlineTimer = setTimeout(() => this.end({ kind: 'timeout' }), timeoutMs);
    return phase;
  }

  /** Ends the current phase unless it already ended. */
  private end(ending: Ending): void {
    const phase = this.phase;
    if (phase === undefined || phase.ending !== undefined) return;
    phase.ending = ending;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.freeze();
    // Lambda freezes the sandbox; Stratus also stops what the invocation asked of the network. Requests made
    // during init may run on into the first invocation (a module-scope fetch the handler awaits), as on Lambda.
    if (phase.kind === 'invoke') this.egress.endPhase();
    // Disposing is the only way to stop code that is still running (an async
    // timeout, a loop that outran the sync timeout) and frees the memory now.
    if (ending.kind === 'timeout' || ending.kind === 'oom' || ending.kind === 'crash' || ending.kind === 'exit') this.releaseIsolate();
    phase.settle(ending);
  }

  /**
   * Waits for isolate tasks still in flight (the task that produced the
   * result, a timer that was already running) so their logs and failures
   * belong to this phase, not to the next.
   */
  private async finishPhase(ending: Ending, deadlineMs?: number): Promise<void> {
    if (ending.kind === 'timeout' || ending.kind === 'oom' || ending.kind === 'crash' || ending.kind === 'exit') return;
    if (deadlineMs !== undefined && this.tasksInFlight > 0) {
      // The invocation's apply has no isolated-vm timeout (see invoke): a task
      // still running at the deadline (a handler that answered while its
      // microtasks never end) is stopped here, and its environment not reused.
      const guard = setTimeout(() => this.markBroken(), Math.max(0, deadlineMs - wallClockMs()));
      await this.tasksIdle();
      clearTimeout(guard);
    }
    await this.tasksIdle();
    // The isolate sends its console lines in batches, before every signal; a
    // throw that no signal reported (at module scope, or a rejected task) can
    // leave a batch behind, and these are the lines that explain it.
    const flushRef = this.flushRef;
    if ((ending.kind === 'fatal' || (ending.kind === 'init' && ending.error !== undefined)) && flushRef !== undefined && !this.isolateReleased) {
      this.track(() => flushRef.apply.bind(flushRef, undefined, [], { timeout: remainingMs(wallClockMs() + 1000) }), undefined, 'continuation');
      await this.tasksIdle();
    }
  }

  private async tasksIdle(): Promise<void> {
    if (this.tasksInFlight === 0) return;
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
    });
  }

  private describeEnding(
    ending: Ending,
    requestId: string,
  ): { outcome: UsageOutcome; resultJson: string; reusable: boolean; logLine?: string; reportErrorType?: string } {
    const now = wallClockMs();
    switch (ending.kind) {
      case 'result': {
        if (this.streamingHandler && ending.ok) return { outcome: 'success', resultJson: '', reusable: true };
        if (Buffer.byteLength(ending.resultJson) > RESPONSE_MAX_BYTES) {
          const error = {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_MAX_BYTES} bytes).`,
          };
          return { outcome: 'function_error', resultJson: JSON.stringify(error), reusable: true, reportErrorType: error.errorType };
        }
        return ending.ok
          ? { outcome: 'success', resultJson: ending.resultJson, reusable: true }
          : { outcome: 'function_error', resultJson: ending.resultJson, reusable: true };
      }
      case 'fatal': {
        const label = ending.error.errorType === 'Runtime.UnhandledPromiseRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception';
        const logLine = this.errorRecord(now, requestId, label, ending.error);
        return {
          outcome: 'function_error',
          resultJson: JSON.stringify(ending.error),
          reusable: false,
          ...(logLine !== undefined ? { logLine } : {}),
          reportErrorType: platformErrorType(ending.error.errorType),
        };
      }
      case 'timeout': {
        const error = timeoutError(this.options.timeoutMs, requestId);
        return {
          outcome: 'timeout',
          resultJson: JSON.stringify(error),
          reusable: false,
          logLine: `${isoTime(now)} ${requestId} ${timeoutText(this.options.timeoutMs)}`,
        };
      }
      case 'oom': {
        const error = this.outOfMemoryError(requestId);
        return {
          outcome: 'crashed',
          resultJson: JSON.stringify(error),
          reusable: false,
          logLine: this.consoleLine(now, requestId, 'ERROR', `${error.errorType}: ${error.errorMessage}`),
          reportErrorType: error.errorType,
        };
      }
      case 'exit': {
        const error = runtimeError('Runtime.ExitError', `RequestId: ${requestId} Error: ${exitMessage(ending.status)}`);
        return {
          outcome: 'function_error',
          resultJson: JSON.stringify(error),
          reusable: false,
          logLine: this.consoleLine(now, requestId, 'ERROR', `${error.errorType}: ${error.errorMessage}`),
          reportErrorType: error.errorType,
        };
      }
      case 'crash':
      case 'init':
      case 'stuck':
      case 'bad-event': {
        const reason = ending.kind === 'crash' ? ending.reason : `unexpected ${ending.kind} during an invocation`;
        const error = runtimeError('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited: ${reason}`);
        return {
          outcome: 'crashed',
          resultJson: JSON.stringify(error),
          reusable: false,
          logLine: this.consoleLine(now, requestId, 'ERROR', `${error.errorType}: ${error.errorMessage}`),
          reportErrorType: error.errorType,
        };
      }
    }
  }

  private outOfMemoryError(requestId: string): LambdaErrorObject {
    return runtimeError(
      'Runtime.OutOfMemory',
      `RequestId: ${requestId} Error: Runtime exited: the function used more than its memory limit of ${this.options.memoryMb} MB`,
    );
  }

  private buildOutcome(parts: {
    request: InvocationRequest;
    outcome: UsageOutcome;
    resultJson: string;
    durationMs: number;
    queuedMs: number;
    cpuMs: number;
    consoleText: string;
    /** Multi-line events of consoleText (LogBuffer.eventSpans). */
    consoleEventSpans: readonly number[];
    timedOut: boolean;
    errorType: string | undefined;
    /** The environment never initialised: Lambda reports no Init Duration, the INIT_REPORT line did. */
    initFailed?: boolean;
    stream?: StreamState;
  }): InvocationOutcome {
    const { requestId } = parts.request;
    const cold = this.coldStart;
    this.coldStart = false;
    // Refilling spares only after the cold start's first invocation keeps
    // them from competing with it for the CPU they are meant to save.
    if (cold) this.options.shells?.prepare(this.options.memoryMb);
    const billed = billedMsFor(parts.durationMs);
    const maxMemoryUsedMb = parts.outcome === 'crashed' && parts.errorType === 'Runtime.OutOfMemory' ? this.options.memoryMb : this.peakMemoryMb;
    const report = reportLine({
      requestId,
      durationMs: parts.durationMs,
      billedMs: billed,
      memoryMb: this.options.memoryMb,
      maxMemoryUsedMb,
      initDurationMs: cold && parts.initFailed !== true ? this.initDurationMs : undefined,
      // An error type makes the status "error" even after a timeout.
      status: parts.errorType !== undefined ? 'error' : parts.timedOut ? 'timeout' : undefined,
      errorType: parts.errorType,
    });
    const isError = parts.outcome !== 'success';
    const platform = this.platformLines(requestId, parts, report, billed, maxMemoryUsedMb, cold && parts.initFailed !== true);
    let logs = (cold ? this.initLogText : '') + platform.text;
    const logEventSpans = this.logEventSpans(cold, platform.consoleFirstLine, parts.consoleEventSpans);
    let resultJson = parts.resultJson;
    // Traces name the user's files, not the bundle: mapped only where a bundle position appears (an error's trace, a
    // logged stack), so a call that succeeds and logs no stack pays one substring search of its log.
    const sourceMap = this.options.sourceMap;
    const bundleUrl = this.bundleUrl;
    if (sourceMap !== undefined && bundleUrl !== undefined) {
      if (isError) resultJson = sourceMap.mapText(resultJson, bundleUrl, true);
      logs = sourceMap.mapText(logs, bundleUrl, this.options.logFormat === 'JSON');
    }
    return {
      outcome: parts.outcome,
      resultJson,
      ...(isError ? { functionError: 'Unhandled' as const } : {}),
      durationMs: parts.durationMs,
      billedMs: billed,
      queuedMs: parts.queuedMs,
      ...(cold ? { initDurationMs: this.initDurationMs } : {}),
      maxMemoryUsedMb,
      cpuMs: parts.cpuMs,
      logs,
      ...(logEventSpans.length > 0 ? { logEventSpans } : {}),
      report,
      ...(parts.request.tailLogs === true ? { logTail: logTail(logs, LIMITS.logTailBytes) } : {}),
      ...(parts.stream !== undefined
        ? { streamed: { contentType: parts.stream.contentType, bytes: parts.stream.chunks.length === 1 ? (parts.stream.chunks[0] as Buffer) : Buffer.concat(parts.stream.chunks, parts.stream.bytes) } }
        : {}),
    };
  }

  /** The multi-line events of an invocation's whole log: init's on a cold start, then the console's after START. */
  private logEventSpans(cold: boolean, consoleFirstLine: number, consoleSpans: readonly number[]): readonly number[] {
    const initSpans = cold ? this.initEventSpans : NO_SPANS;
    if (consoleSpans.length === 0) return initSpans;
    const moved = shiftedSpans(consoleSpans, (cold ? this.initLogLines : 0) + consoleFirstLine);
    return initSpans.length === 0 ? moved : [...initSpans, ...moved];
  }

  /** START, the console lines, END and REPORT, in the function's log format, and the line the console's begin on. */
  private platformLines(
    requestId: string,
    parts: { consoleText: string; durationMs: number; timedOut: boolean; errorType: string | undefined },
    report: string,
    billed: number,
    maxMemoryUsedMb: number,
    cold: boolean,
  ): { readonly text: string; readonly consoleFirstLine: number } {
    const version = this.options.functionVersion;
    if (this.options.logFormat === 'Text') {
      return { text: `START RequestId: ${requestId} Version: ${version}\n${parts.consoleText}END RequestId: ${requestId}\n${report}\n`, consoleFirstLine: 1 };
    }
    const now = wallClockMs();
    const status = parts.timedOut ? 'timeout' : parts.errorType !== undefined ? 'error' : 'success';
    const start = this.platformEvent(now - parts.durationMs, 'platform.start', platformStartRecord(requestId, version));
    const done = this.logsPlatformEvent('platform.runtimeDone') ? this.platformEvent(now, 'platform.runtimeDone', runtimeDoneRecord(requestId, status, parts.errorType)) : '';
    const reportJson = this.platformEvent(
      now,
      'platform.report',
      platformReportRecord({
        requestId,
        durationMs: round2(parts.durationMs),
        billedDurationMs: billed,
        memorySizeMB: this.options.memoryMb,
        maxMemoryUsedMB: maxMemoryUsedMb,
        initDurationMs: cold ? round2(this.initDurationMs) : undefined,
        status,
        errorType: parts.errorType,
      }),
    );
    return { text: `${start}${parts.consoleText}${done}${reportJson}`, consoleFirstLine: start === '' ? 0 : 1 };
  }

  // --- isolate tasks -------------------------------------------------------------

  /**
   * Every host->isolate call goes through here: it waits for a slot in the
   * process's gate, and finishPhase() can wait for all of them. `prepare`
   * runs once the slot is granted and returns the isolated-vm call, bound to
   * its arguments, which is then started from a promise job (see
   * fromPromiseJob). Returns the entry's ticket while it waits, undefined
   * once it started.
   */
  private track(prepare: () => IsolateCall, onValue?: (value: unknown) => void, priority: GatePriority = 'new', light = false): GateTicket | undefined {
    this.tasksInFlight += 1;
    this.gateQueue.enter();
    const cancelled = (): void => {
      this.gateQueue.cancel();
      this.tasksInFlight -= 1;
      this.afterTask();
    };
    const settle = (): void => {
      this.gateQueue.leave();
      this.tasksInFlight -= 1;
      this.afterTask();
    };
    let started = false;
    const ticket = this.options.gate.enter(
      (self) => {
        started = true;
        this.gateQueue.start();
        this.waitingEntries.delete(self);
        if (this.isolateReleased) {
          settle();
          return NOTHING_RAN;
        }
        let task: Promise<unknown>;
        try {
          task = fromPromiseJob(prepare());
        } catch (err) {
          task = Promise.reject(err);
        }
        void task.then(onValue, (err: unknown) => this.onTaskError(err)).finally(settle);
        return task;
      },
      cancelled,
      priority,
      this.options.functionName,
      light,
    );
    if (started) return undefined;
    this.waitingEntries.add(ticket);
    return ticket;
  }

  private afterTask(): void {
    if (this.tasksInFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    // Every callback a task made arrives before the task's own completion
    // (isolated-vm delivers both through the same queue), so with nothing in
    // flight and no wake requested, no timer can ever finish init.
    const phase = this.phase;
    if (phase?.kind === 'init' && phase.ending === undefined && this.wakeAtMs === undefined) this.end({ kind: 'stuck' });
  }

  private onTaskError(err: unknown): void {
    if (this.isolateReleased) return;
    const message = errorMessage(err);
    // A user could reject with these exact messages; that only ends their own invocation.
    if (message === IVM_TIMED_OUT) return this.failTask({ kind: 'timeout' });
    if (message === IVM_OUT_OF_MEMORY) return this.failTask({ kind: 'oom' });
    if (this.isolate?.isDisposed !== false) return this.failTask({ kind: 'crash', reason: message });
    // The task itself never throws: isolated-vm rejects a task with a promise
    // rejection nobody handled by the end of it.
    const reason = fromCopiedError(err);
    const phase = this.phase;
    this.failTask({ kind: 'fatal', error: phase?.kind === 'init' ? loadError(reason, () => this.handlerTypeModulePackageJson()) : unhandledRejection(reason) });
  }

  /**
   * The package.json that makes the handler's module an ES module when it is a `.js` file (Lambda tries `.js`
   * first, so a `.js` the bundle holds is the handler's), which Node's ReferenceError for a CommonJS global names.
   */
  private handlerTypeModulePackageJson(): string | undefined {
    const { handler, files, sourceMap } = this.options;
    const slash = handler.lastIndexOf('/');
    const dir = slash === -1 ? '' : handler.slice(0, slash);
    const base = handler.slice(slash + 1);
    const dot = base.indexOf('.');
    if (dot <= 0 || files === undefined || sourceMap === undefined) return undefined;
    const moduleFile = `${dir === '' ? '' : `${dir}/`}${base.slice(0, dot)}.js`;
    return sourceMap.hasSource(moduleFile) ? files.typeModulePackageJson(dir) : undefined;
  }

  /** A failure after the phase already ended still breaks the environment (Lambda would restart the runtime). */
  private failTask(ending: Ending): void {
    const phase = this.phase;
    if (phase !== undefined && phase.ending === undefined) {
      this.end(ending);
      return;
    }
    if (phase !== undefined && ending.kind === 'fatal') {
      const line = this.errorRecord(wallClockMs(), phase.requestId, 'Unhandled Promise Rejection', ending.error);
      if (line !== undefined) phase.logs.add(line);
    }
    this.markBroken();
  }

  // --- callbacks from the isolate (arguments are untrusted copies) ------------------

  onLog(text: unknown, droppedLines: unknown, eventSpans: unknown): void {
    const phase = this.phase;
    if (phase === undefined || typeof text !== 'string') return;
    phase.logs.addChunk(text, typeof droppedLines === 'number' ? droppedLines : 0, typeof eventSpans === 'string' ? eventSpans : '');
  }

  onSignal(kind: unknown, seq: unknown, json: unknown): void {
    const phase = this.phase;
    if (kind === 'chunk') {
      if (phase?.stream !== undefined && phase.seq === seq && phase.ending === undefined && json instanceof ArrayBuffer) this.onChunk(phase.stream, json);
      return;
    }
    if (typeof json !== 'string') return;
    switch (kind) {
      case 'streaming':
        if (phase?.kind === 'init') this.streamingHandler = true;
        return;
      case 'stream-type':
        if (phase?.stream !== undefined && phase.seq === seq && json.length > 0 && json.length <= 256) phase.stream.contentType = json;
        return;
      case 'init':
        if (phase?.kind === 'init') this.end({ kind: 'init', error: json === '' ? undefined : parseLambdaError(json) });
        return;
      case 'ok':
      case 'error':
        if (phase?.kind === 'invoke' && phase.seq === seq) this.end({ kind: 'result', ok: kind === 'ok', resultJson: json });
        return;
      case 'fatal':
        this.failTask({ kind: 'fatal', error: parseLambdaError(json) });
        return;
      case 'oom':
        // The isolate refused an allocation past the memory size (WebAssembly memory, a buffer).
        this.failTask({ kind: 'oom' });
        return;
      case 'exit': {
        const status = Number(json);
        this.failTask({ kind: 'exit', status: Number.isInteger(status) && status >= 0 && status <= 255 ? status : 1 });
        return;
      }
    }
  }

  /** A batch of a streaming handler's response; past Lambda's limit the call fails (the isolate should have stopped it first). */
  private onChunk(stream: StreamState, chunk: ArrayBuffer): void {
    if (stream.bytes + chunk.byteLength > STREAM_MAX_BYTES) {
      const error = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${STREAM_MAX_BYTES} bytes).`,
      };
      this.end({ kind: 'result', ok: false, resultJson: JSON.stringify(error) });
      return;
    }
    stream.bytes += chunk.byteLength;
    if (stream.sink === undefined) {
      stream.chunks.push(Buffer.from(chunk));
      return;
    }
    try {
      stream.sink(Buffer.from(chunk), stream.contentType);
    } catch {
      // The receiver's failure is not the function's: the call runs on, and its outcome says what was sent.
    }
  }

  onSourceMap(): string {
    // Asked once per environment; a second ask (there is none in the runtime's code) gets nothing.
    if (this.sourceMapGiven) return '';
    this.sourceMapGiven = true;
    const { sourceMap } = this.options;
    return sourceMap === undefined || this.bundleUrl === undefined ? '' : sourceMap.isolatePayload(this.bundleUrl);
  }

  onEgress(op: unknown, a: unknown, b: unknown): unknown {
    if (this.isolateReleased) return undefined;
    return this.egress.call(op, a, b);
  }

  onWake(atMs: unknown): void {
    if (typeof atMs !== 'number' || Number.isNaN(atMs)) return;
    if (this.wakeAtMs !== undefined && this.wakeAtMs <= atMs) return;
    this.wakeAtMs = atMs;
    if (this.timersLive) this.armAlarm();
  }

  // --- timers: one host alarm per isolate, frozen between invocations ----------------

  private armAlarm(): void {
    this.alarm?.cancel();
    this.alarm = undefined;
    const atMs = this.wakeAtMs;
    if (atMs === undefined) return;
    const delayMs = atMs - wallClockMs();
    if (delayMs <= 0) {
      const immediate = setImmediate(() => this.fireAlarm());
      this.alarm = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(() => this.fireAlarm(), Math.min(delayMs, MAX_TIMER_MS));
      this.alarm = { cancel: () => clearTimeout(timer) };
    }
  }

  private fireAlarm(): void {
    this.alarm = undefined;
    const phase = this.phase;
    const tickRef = this.tickRef;
    if (!this.timersLive || phase === undefined || tickRef === undefined || this.waitingTick !== undefined) return;
    if (this.wakeAtMs !== undefined && this.wakeAtMs > wallClockMs()) {
      // setTimeout fired early (Node rounds to whole ms): sleep the rest.
      this.armAlarm();
      return;
    }
    this.waitingTick = this.track(() => {
      this.waitingTick = undefined;
      // Cleared only now: a tick dropped at a freeze leaves the wake-up for the next thaw.
      this.wakeAtMs = undefined;
      // An invocation's deadline timer (and, once it answered, finishPhase's
      // guard) stops a tick that runs too long, as it does the invocation's
      // own entry: an isolated-vm timeout would add a timer on its timer
      // thread per tick, which a handler that calls back or uses timers pays
      // on every call. Init has no such guard after it ends, so its ticks keep
      // isolated-vm's timeout.
      return phase.kind === 'init'
        ? tickRef.apply.bind(tickRef, undefined, [], { timeout: remainingMs(phase.deadlineMs) })
        : tickRef.apply.bind(tickRef, undefined, []);
    }, undefined, 'continuation');
  }

  /** Lambda freezes the sandbox between invocations: pending timers wait, then fire late. */
  private freeze(): void {
    this.timersLive = false;
    this.alarm?.cancel();
    this.alarm = undefined;
    const tick = this.waitingTick;
    this.waitingTick = undefined;
    tick?.cancel();
  }

  private thaw(): void {
    if (this.isolateReleased) return;
    this.timersLive = true;
    if (this.wakeAtMs !== undefined) this.armAlarm();
  }

  // --- resources -------------------------------------------------------------------

  private markBroken(): void {
    if (this.state !== 'disposed') this.state = 'broken';
    this.releaseIsolate();
  }

  private releaseIsolate(): void {
    this.freeze();
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.wakeAtMs = undefined;
    if (this.isolateReleased) return;
    this.isolateReleased = true;
    this.egress.close();
    const waiting = [...this.waitingEntries];
    this.waitingEntries.clear();
    for (const ticket of waiting) ticket.cancel();
    this.readCpuNs();
    this.invokeRef?.release();
    this.tickRef?.release();
    this.flushRef?.release();
    this.invokeRef = undefined;
    this.tickRef = undefined;
    this.flushRef = undefined;
    const isolate = this.isolate;
    if (isolate !== undefined && !isolate.isDisposed) isolate.dispose();
  }

  private readCpuNs(): bigint {
    const isolate = this.isolate;
    if (isolate !== undefined && !isolate.isDisposed) {
      try {
        this.lastCpuNs = isolate.cpuTime;
      } catch {
        // Disposed between the check and the read: keep the last value.
      }
    }
    return this.lastCpuNs;
  }

  private memorySampleDue(ending: Ending, cpuMs: number): boolean {
    this.invocationsSinceSample += 1;
    return (
      this.seq <= MEMORY_SAMPLE_FIRST_CALLS ||
      this.invocationsSinceSample >= MEMORY_SAMPLE_EVERY_CALLS ||
      ending.kind !== 'result' ||
      cpuMs >= MEMORY_SAMPLE_CPU_MS ||
      performance.now() - this.lastSampleMs >= MEMORY_SAMPLE_EVERY_MS
    );
  }

  private sampleMemory(): void {
    this.invocationsSinceSample = 0;
    this.lastSampleMs = performance.now();
    const isolate = this.isolate;
    if (isolate === undefined || isolate.isDisposed) return;
    try {
      const stats = isolate.getHeapStatisticsSync();
      const usedMb = Math.ceil((stats.total_heap_size + stats.externally_allocated_size) / MiB);
      if (usedMb > this.peakMemoryMb) this.peakMemoryMb = usedMb;
    } catch {
      // The isolate died meanwhile; the peak so far stands.
    }
  }
}

/** The runtime serialized this object itself; a malformed one means the runtime was subverted. */
function parseLambdaError(json: string): LambdaErrorObject {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      if (typeof v['errorType'] === 'string' && typeof v['errorMessage'] === 'string') {
        const trace = Array.isArray(v['trace']) ? v['trace'].filter((line): line is string => typeof line === 'string') : undefined;
        return { errorType: v['errorType'], errorMessage: v['errorMessage'], ...(trace ? { trace } : {}) };
      }
    }
  } catch {
    // fall through
  }
  return runtimeError('Runtime.ExitError', 'the runtime reported an unreadable error');
}

const SYSTEM_LEVEL_ORDER = ['DEBUG', 'INFO', 'WARN'] as const;

/** Whether a platform event of `level` is kept under the function's system log level (Text keeps everything). */
function systemLevelKeeps(systemLogLevel: ResolvedOptions['systemLogLevel'], level: (typeof SYSTEM_LEVEL_ORDER)[number]): boolean {
  return systemLogLevel === undefined || SYSTEM_LEVEL_ORDER.indexOf(level) >= SYSTEM_LEVEL_ORDER.indexOf(systemLogLevel);
}

function round2(ms: number): number {
  return Number(ms.toFixed(2));
}

/** Lambda logs errors with the trace under "stack". */
function lambdaLogJson(error: LambdaErrorObject): string {
  return JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace ?? [] });
}

/**
 * Time an environment spent waiting for the gate with none of its own work
 * running: while one of its tasks runs, a waiting timer tick is not what
 * holds the invocation up.
 */
class QueueClock {
  private waiting = 0;
  private running = 0;
  private since: number | undefined;
  private totalMs = 0;

  enter(): void {
    this.waiting += 1;
    this.update();
  }

  start(): void {
    this.waiting -= 1;
    this.running += 1;
    this.update();
  }

  cancel(): void {
    this.waiting -= 1;
    this.update();
  }

  leave(): void {
    this.running -= 1;
    this.update();
  }

  /** Total queued time so far, the current wait included. */
  queuedMs(): number {
    return this.totalMs + (this.since === undefined ? 0 : performance.now() - this.since);
  }

  private update(): void {
    const queued = this.waiting > 0 && this.running === 0;
    if (queued && this.since === undefined) this.since = performance.now();
    else if (!queued && this.since !== undefined) {
      this.totalMs += performance.now() - this.since;
      this.since = undefined;
    }
  }
}

/** Lambda's words for a runtime that exited: process.exit(0) gives no reason, any other status is an error. */
function exitMessage(status: number): string {
  return status === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${status}`;
}

/** The ARN a call was made through: the function's, qualified as the call named it. */
function invokedArn(functionArn: string, qualifier: string | undefined): string {
  return qualifier === undefined || qualifier === '' ? functionArn : `${functionArn}:${qualifier}`;
}
