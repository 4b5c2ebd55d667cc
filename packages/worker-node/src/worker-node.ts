import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Etcd3 } from 'etcd3';
import { Events, type Msg, type NatsConnection, type Status, type Subscription } from 'nats';
import type { Logger } from 'pino';
import { StratusError, toStratusError, type ErrorCode } from '@stratus/errors';
import {
  TARGET_WANTED_REPLY,
  callStatusRequestSchema,
  decodeInvokeRequest,
  decodeJson,
  encodeErrorReply,
  encodeJson,
  encodeResultReply,
  encodeStreamChunk,
  invocationTargetFromWire,
  resultReplyBytes,
  type EnvironmentHeld,
  type InvocationResultMetadata,
  type InvocationTarget,
  type LocalOutlook,
  type Namespace,
  type NodeHeartbeat,
  type NodeInvokeReply,
  type NodeInvokeRequest,
  type NodeState,
  type UsageRecord,
} from '@stratus/contracts';
import { CodeStore, NodeRegistration, type LeaseRegistration } from '@stratus/registry';
import {
  createExecutionEnvironment,
  createIsolateGate,
  createHashPool,
  createShellPool,
  type ExecutionEnvironment,
  type HashPool,
  type InvocationOutcome,
  type ShellPool,
  type ClusterEndpoint,
} from '@stratus/runtime';
import { resolveClusterEndpoints } from './cluster-endpoints.js';
import { createUsagePublisher, ensureUsageStream, type UsagePublisher } from '@stratus/usage';
import { createLogPublisher, ensureLogsStream, type LogPublisher, type LogsStreamOptions } from '@stratus/logs';
import { CodeCache } from './code-cache.js';
import { EnvironmentPool, type Lease } from './environment-pool.js';
import { NodeMetrics } from './metrics.js';
import { SentReplies, type SentRepliesOptions } from './sent-replies.js';
import { Provisioner } from './provisioner.js';
import { TargetCache } from './target-cache.js';
// prom-client's metrics registry, not @stratus/registry (etcd and the object store).
import { Registry as MetricsRegistry } from 'prom-client';
import type { NodeConfig } from './config.js';

/** The node's settings, resolved: what each means and its default is in `./config.ts`, their one home. */
export type WorkerNodeSettings = Pick<
  NodeConfig,
  | 'nodeId'
  | 'memoryBudgetMb'
  | 'maxInFlight'
  | 'maxRunningIsolates'
  | 'lightIsolateSlots'
  | 'spareIsolatesPerMemorySize'
  | 'spareEnvironmentsPercent'
  | 'leaseTtlSec'
  | 'keepWarmMs'
  | 'drainGraceMs'
  | 'codeCacheDir'
  | 'dataDir'
  | 'usageFlushIntervalMs'
>;

export interface WorkerNodeOptions extends WorkerNodeSettings {
  readonly nc: NatsConnection;
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Heartbeat period. Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Region reported to functions (AWS_REGION, ARNs). Default "local". */
  readonly region?: string;
  /** Where the node's Prometheus metrics are registered. Default: a registry of its own. */
  readonly metricsRegistry?: MetricsRegistry;
  /** Retention of the invocation logs stream (see LogsStreamOptions). Default 7 days, 1 GiB. */
  readonly logsStream?: LogsStreamOptions;
  /** Replicas of the code bucket, the usage stream and the logs stream when this node creates them. Default 1. */
  readonly jetStreamReplicas?: number;
  /** Bounds of the replies kept for frontends that lost them (see SentReplies). Default 64 MiB, 100 000 replies. */
  readonly sentReplies?: SentRepliesOptions;
  /**
   * The cluster's own services (etcd endpoints, NATS servers, frontends' addresses), as URLs or `host:port`:
   * functions are refused them unless their egress allow list names one's address and port. The NATS server
   * the node is connected to is always added. Default none.
   */
  readonly clusterEndpoints?: readonly string[];
}

/** One invocation taken from NATS: who asked, and until when its reply is worth keeping. */
interface AcceptedCall {
  readonly requestId: string;
  readonly replySubject: string;
  /** When the frontend stops waiting: the function's timeout plus the init limit and a margin, by this node's clock. */
  readonly replyWindowEndMs: number;
}

/**
 * A call's answer before it is encoded for NATS or handed to a caller in this
 * process: the result's payload is still the runtime's JSON text, so it is
 * written once, straight into the bytes that carry it.
 */
type Answer =
  | {
      readonly ok: true;
      readonly result: InvocationResultMetadata;
      readonly resultJson: string;
      /** A streaming handler's bytes, the payload in place of `resultJson` when it succeeded. */
      readonly streamedPayload?: Uint8Array;
      readonly environmentHeld: EnvironmentHeld;
    }
  | Extract<NodeInvokeReply, { ok: false }>;

/** How long a node remembers telling a frontend it never received a call, refusing the call should it arrive after all. */
const NEVER_RECEIVED_KEPT_MS = 60_000;
/** Room kept in a call-status reply for its own JSON around the replies it carries. */
const CALL_STATUS_ENVELOPE_BYTES = 64 * 1024;

/**
 * A worker node: takes invocations addressed to it over NATS, runs each in
 * an execution environment from its pool, answers, and emits one usage
 * record per invocation. Lifecycle: `create` (subscribed, heartbeating, then
 * registered in etcd) → running → `drain` (leave the registry, refuse new
 * calls, finish those in flight) → `close`.
 */
export class WorkerNode {
  readonly nodeId: string;
  /** Random per process: frontends trust a "never received" only from the process their call went to. */
  readonly instanceId = randomUUID();
  readonly #options: WorkerNodeOptions;
  readonly #log: Logger;
  readonly #pool: EnvironmentPool<ExecutionEnvironment>;
  readonly #shells: ShellPool;
  /** Whether a function's calls wait for an isolate slot (the gate's queue), by function name. */
  readonly #slotsQueued: (functionName: string) => boolean;
  readonly #hashPool: HashPool;
  readonly #codeCache: CodeCache;
  readonly #usage: UsagePublisher;
  readonly #logs: LogPublisher;
  readonly #maxInFlight: number;
  readonly #memoryBudgetMb: number;
  readonly #metrics: NodeMetrics;
  readonly #inFlightDone = new Set<Promise<void>>();
  /** Request id → the reply subject of each call taken and not yet answered, for call-status questions. */
  readonly #unanswered = new Map<string, string>();
  readonly #sentReplies: SentReplies;
  readonly #targets = new TargetCache();
  /** When the last call accepted so far must have ended, by its own timeout. */
  #latestDeadlineMs = 0;
  #subscription: Subscription | undefined;
  #statusSubscription: Subscription | undefined;
  #natsStatus: AsyncIterable<Status> | undefined;
  #natsReconnects = 0;
  #registration: LeaseRegistration | undefined;
  #provisioner: Provisioner | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  /** The last heartbeat's number (`NodeHeartbeat.seq`): replies say between which heartbeats a call held its environment. */
  #heartbeatSeq = 0;
  #state: NodeState | 'closed' = 'running';
  #drained: Promise<void> | undefined;
  #closed: Promise<void> | undefined;
  /** The cluster's own services, which functions here may not reach (see WorkerNodeOptions.clusterEndpoints). */
  readonly #clusterEndpoints: ClusterEndpoint[];

  private constructor(
    options: WorkerNodeOptions,
    codeStore: CodeStore,
    usage: UsagePublisher,
    logs: LogPublisher,
    clusterEndpoints: ClusterEndpoint[],
  ) {
    this.#clusterEndpoints = clusterEndpoints;
    this.nodeId = options.nodeId;
    this.#options = options;
    this.#log = options.log.child({ component: 'node', nodeId: options.nodeId });
    this.#maxInFlight = options.maxInFlight;
    this.#memoryBudgetMb = options.memoryBudgetMb;
    this.#usage = usage;
    this.#logs = logs;
    this.#sentReplies = new SentReplies(options.sentReplies);
    this.#codeCache = new CodeCache({
      codeStore,
      log: this.#log,
      ...(options.codeCacheDir ? { dir: options.codeCacheDir } : {}),
    });
    const region = options.region ?? 'local';
    const isolateGate = createIsolateGate({
      maxRunningIsolates: options.maxRunningIsolates,
      onOwnerCaughtUp: (functionName) => this.#pool.functionCaughtUp(functionName),
      ...(options.lightIsolateSlots === undefined ? {} : { lightSlots: options.lightIsolateSlots }),
    });
    this.#slotsQueued = (functionName) => isolateGate.waitingOf(functionName) > 0;
    // Functions' large hashes run on worker threads: on the main thread they stalled heartbeats and every other call.
    const hashPool = createHashPool();
    this.#hashPool = hashPool;
    // Spares are made in cold-start slots no call wants, through the same
    // gate, so they never delay a call. They are not charged to the memory
    // budget: a shell holds a few MB, whatever its memory limit.
    this.#shells = createShellPool({
      isolateGate,
      sparesPerMemorySize: options.spareIsolatesPerMemorySize,
      idleMs: options.keepWarmMs,
      schedule: (task) => this.#pool.runBackground(task),
      onError: (err) => this.#log.warn({ err }, 'could not make a spare isolate'),
      hashPool,
    });
    this.#pool = new EnvironmentPool<ExecutionEnvironment>({
      memoryBudgetMb: this.#memoryBudgetMb,
      keepWarmMs: options.keepWarmMs,
      spareEnvironmentsPercent: options.spareEnvironmentsPercent,
      callsWaitingForSlot: (target) => isolateGate.waitingOf(target.name) > 0,
      log: this.#log,
      create: async (target) => {
        const code = await this.#codeCache.get(target.codeSha256);
        return createExecutionEnvironment({
          script: code.script,
          ...(code.files !== undefined ? { files: code.files } : {}),
          ...(code.sourceMap !== undefined ? { sourceMap: code.sourceMap } : {}),
          ephemeralStorageMb: target.ephemeralStorageMb,
          handler: target.handler,
          functionName: target.name,
          functionVersion: target.version,
          memoryMb: target.memoryMb,
          timeoutMs: target.timeoutSec * 1000,
          environment: target.environment,
          logFormat: target.logging.logFormat,
          ...(target.logging.applicationLogLevel !== undefined ? { applicationLogLevel: target.logging.applicationLogLevel } : {}),
          ...(target.logging.systemLogLevel !== undefined ? { systemLogLevel: target.logging.systemLogLevel } : {}),
          ...(target.logging.logGroup !== undefined ? { logGroupName: target.logging.logGroup } : {}),
          egress: target.egress,
          clusterEndpoints: this.#clusterEndpoints,
          region,
          isolateGate,
          shells: this.#shells,
          hashPool,
        });
      },
    });
    this.#metrics = new NodeMetrics(options.metricsRegistry ?? new MetricsRegistry(), {
      inFlight: () => this.#inFlightDone.size,
      memoryUsedMb: () => this.#pool.memoryUsedMb,
      memoryBudgetMb: this.#memoryBudgetMb,
      pools: () => this.#pool.stats().functions,
      churn: () => {
        const shells = this.#shells.stats;
        return { ...this.#pool.churn, shells: shells.misses + shells.made };
      },
      outboxes: () => ({ usage: this.#usage.stats(), logs: this.#logs.stats() }),
    });
  }

  /**
   * More of the cluster's services functions here must not reach, for environments created from now on (the
   * combined role adds its frontend's address once it listens, before any call).
   */
  async addClusterEndpoints(endpoints: readonly string[]): Promise<void> {
    this.#clusterEndpoints.push(...(await resolveClusterEndpoints(endpoints)));
  }

  static async create(options: WorkerNodeOptions): Promise<WorkerNode> {
    const { nc, ns } = options;
    const replicas = options.jetStreamReplicas ?? 1;
    const codeStore = await CodeStore.open({ nc, ns, replicas });
    await ensureUsageStream(await nc.jetstreamManager(), ns, { replicas });
    const usage = createUsagePublisher({
      nc,
      ns,
      nodeId: options.nodeId,
      log: options.log.child({ component: 'usage', nodeId: options.nodeId }),
      flushIntervalMs: options.usageFlushIntervalMs,
      ...(options.dataDir === undefined ? {} : { spoolDir: options.dataDir }),
    });
    await ensureLogsStream(await nc.jetstreamManager(), ns, { ...options.logsStream, replicas });
    const logs = createLogPublisher({ nc, ns, nodeId: options.nodeId, log: options.log.child({ component: 'logs', nodeId: options.nodeId }) });
    const clusterEndpoints = await resolveClusterEndpoints([...(options.clusterEndpoints ?? []), nc.getServer()]);
    const node = new WorkerNode(options, codeStore, usage, logs, clusterEndpoints);
    try {
      await node.#start();
    } catch (err) {
      // etcd or NATS refused part of the start: release what did start (subscription, heartbeat timer), or the process never exits.
      await node.close().catch(() => {});
      throw err;
    }
    return node;
  }

  get state(): NodeState | 'closed' {
    return this.#state;
  }

  get inFlight(): number {
    return this.#inFlightDone.size;
  }

  async #start(): Promise<void> {
    const { nc, ns, etcd } = this.#options;
    this.#subscription = nc.subscribe(ns.subjects.nodeInvoke(this.nodeId), {
      callback: (err, msg) => {
        if (err) {
          this.#log.error({ err }, 'invocation subscription failed');
          return;
        }
        this.#accept(msg);
      },
    });
    this.#statusSubscription = nc.subscribe(ns.subjects.nodeCallStatus(this.nodeId), {
      callback: (err, msg) => {
        if (err) {
          this.#log.error({ err }, 'call-status subscription failed');
          return;
        }
        this.#answerCallStatus(msg);
      },
    });
    // The subscription must be live on the server before etcd lists the node, or early calls see no responders.
    await nc.flush();
    this.#followNatsReconnects(nc);
    this.#publishHeartbeat();
    this.#heartbeatTimer = setInterval(() => this.#publishHeartbeat(), this.#options.heartbeatIntervalMs ?? 1000);
    this.#registration = await NodeRegistration.register({
      etcd,
      ns,
      log: this.#log,
      leaseTtlSec: this.#options.leaseTtlSec,
      record: {
        nodeId: this.nodeId,
        host: hostname(),
        pid: process.pid,
        memoryBudgetMb: this.#memoryBudgetMb,
        maxInFlight: this.#maxInFlight,
        registeredAtMs: Date.now(),
        version: '0.1.0',
      },
    });
    this.#provisioner = await Provisioner.start({
      etcd,
      ns,
      log: this.#log,
      nodeId: this.nodeId,
      apply: (floors) => this.#pool.setProvisioned(floors),
    });
    this.#log.info({ memoryBudgetMb: this.#memoryBudgetMb, maxInFlight: this.#maxInFlight }, 'worker node running');
  }

  #accept(msg: Msg): void {
    let wire;
    try {
      wire = decodeInvokeRequest(msg.data);
    } catch (err) {
      this.#log.warn({ err }, 'malformed invocation request');
      // started: true, so the frontend does not send the same bad request to every other node.
      this.#respondBytes(msg, encodeErrorReply(true, new StratusError('INTERNAL', toStratusError(err).message).toWire()));
      return;
    }
    const earlier = this.#sentReplies.get(wire.requestId);
    if (earlier !== undefined && earlier.data === undefined) {
      // A frontend was told this call never arrived and has placed it elsewhere: it arrived late, and must not run twice.
      this.#respond(msg, refuse('NODE_UNAVAILABLE', `node ${this.nodeId} told the frontend this invocation never arrived`));
      return;
    }
    let target = this.#targets.get(wire.digest);
    if (target === undefined) {
      if (wire.target === undefined) {
        // Not accepted yet, so nothing is remembered: the frontend sends the call again at once, with the target.
        this.#respondBytes(msg, TARGET_WANTED_REPLY);
        return;
      }
      try {
        target = invocationTargetFromWire(wire.target, wire.digest);
      } catch (err) {
        this.#log.warn({ err, digest: wire.digest }, 'refused an invocation target');
        this.#respond(msg, { ok: false, started: true, error: toStratusError(err).toWire() });
        return;
      }
      this.#targets.add(target);
    }
    const request: NodeInvokeRequest = {
      requestId: wire.requestId,
      target,
      payload: wire.payload,
      tailLogs: wire.tailLogs,
      invokedQualifier: wire.invokedQualifier,
      attempt: wire.attempt,
      clientContext: wire.clientContext,
      ...(wire.responseStream !== undefined ? { responseStream: wire.responseStream } : {}),
    };
    // Timeout, plus the runtime's 10 s init limit on a cold start, plus a margin for the reply.
    const call: AcceptedCall = {
      requestId: request.requestId,
      replySubject: msg.reply ?? '',
      replyWindowEndMs: Date.now() + target.timeoutSec * 1000 + 15_000,
    };
    const refusal = this.#refusal();
    if (refusal !== undefined) {
      this.#respond(msg, refusal, call);
      return;
    }
    this.#unanswered.set(call.requestId, call.replySubject);
    this.#track(request, (replyOnce) => this.#run(request, replyOnce), (answer) => this.#respond(msg, answer, call));
  }

  /** Why a call arriving now is refused before it starts, if it is. */
  #refusal(): Extract<NodeInvokeReply, { ok: false }> | undefined {
    if (this.#state !== 'running') return refuse('SHUTTING_DOWN', `node ${this.nodeId} is draining`);
    if (this.#inFlightDone.size >= this.#maxInFlight) {
      return refuse('NO_CAPACITY', `node ${this.nodeId} is running its maximum of ${this.#maxInFlight} invocations`);
    }
    // Usage is never dropped: while JetStream does not take it, the node takes no more calls (others may).
    if (this.#usage.full) return refuse('NO_CAPACITY', `node ${this.nodeId} holds too many usage records not yet stored`);
    return undefined;
  }

  /**
   * Runs a call from a frontend in this same process that placement chose
   * this node for, exactly as one taken from the node's subject (refused
   * while draining or full, else queued for an environment or started cold),
   * without the NATS request to itself.
   */
  invokeLocal(request: NodeInvokeRequest): Promise<NodeInvokeReply> {
    const refusal = this.#refusal();
    if (refusal !== undefined) return Promise.resolve(refusal);
    this.#metrics.invokedLocally(request.target.name);
    return new Promise<NodeInvokeReply>((resolve) => {
      this.#track(
        request,
        (replyOnce) => this.#run(request, replyOnce),
        (answer) => resolve(this.#localReply(answer)),
      );
    });
  }

  /** What this node could do with a call of the target's function now (see `LocalInvoker.outlook`); takes nothing. */
  outlook(target: InvocationTarget): LocalOutlook {
    return {
      accepting: this.#state === 'running' && this.#inFlightDone.size < this.#maxInFlight && !this.#usage.full,
      ...this.#pool.outlook(target),
      slotsQueued: this.#slotsQueued(target.name),
    };
  }

  /**
   * Runs a call that arrived through a frontend in this same process (the
   * `combined` role), skipping the NATS hop and its JSON, but only when it can
   * start at once: this node is running, below its in-flight limit, and holds
   * an idle warm environment of the function. Otherwise `undefined`, and the
   * frontend places the call over NATS as usual. Once started, the call is
   * counted, billed, logged and drained exactly as one taken from the subject.
   */
  tryInvokeLocal(request: NodeInvokeRequest): Promise<NodeInvokeReply> | undefined {
    if (this.#state !== 'running' || this.#inFlightDone.size >= this.#maxInFlight || this.#usage.full) return undefined;
    const lease = this.#pool.tryAcquireWarm(request.target);
    if (lease === undefined) return undefined;
    this.#metrics.invokedLocally(request.target.name);
    return new Promise<NodeInvokeReply>((resolve) => {
      this.#track(
        request,
        (replyOnce) => this.#runLeased(request, lease, replyOnce),
        (answer) => resolve(this.#localReply(answer)),
      );
    });
  }

  /** The answer as a caller in this process gets it: never encoded, but held to the size limit a reply over NATS has, so where a call ran never changes its result. */
  #localReply(answer: Answer): NodeInvokeReply {
    if (!answer.ok) return answer;
    const fitted = this.#withinPayloadLimit(answer);
    return { ok: true, result: { ...fitted.result, payload: fitted.streamedPayload ?? Buffer.from(fitted.resultJson, 'utf8') }, environmentHeld: fitted.environmentHeld };
  }

  /** The answer, or Lambda's ResponseSizeTooLarge when its reply would not fit NATS's payload limit. */
  #withinPayloadLimit(answer: Extract<Answer, { ok: true }>): Extract<Answer, { ok: true }> {
    const maxPayload = this.#options.nc.info?.max_payload;
    if (maxPayload === undefined) return answer;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: most results are measured without a scan.
    const { result, resultJson, streamedPayload } = answer;
    const streamedBytes = (streamedPayload?.byteLength ?? 0) + (result.streamed?.bytesBeforeError.byteLength ?? 0);
    if (3 * (resultJson.length + result.report.length + (result.logTail?.length ?? 0)) + streamedBytes + 4096 <= maxPayload) return answer;
    const bytes = resultReplyBytes(result, streamedPayload?.byteLength ?? Buffer.byteLength(resultJson));
    return bytes > maxPayload ? responseTooLarge(answer, bytes) : answer;
  }

  /** Counts a started call in flight until its bookkeeping is done, and answers it exactly once, whatever happens. */
  #track(
    request: NodeInvokeRequest,
    run: (reply: (answer: Answer) => void) => Promise<Answer | undefined | void>,
    send: (answer: Answer) => void,
  ): void {
    // Timeout, plus the runtime's 10 s init limit on a cold start, plus a margin for the reply.
    this.#latestDeadlineMs = Math.max(this.#latestDeadlineMs, Date.now() + request.target.timeoutSec * 1000 + 15_000);
    let replied = false;
    const replyOnce = (reply: Answer): void => {
      if (replied) return;
      replied = true;
      send(reply);
    };
    const done = run(replyOnce).then(
      (reply) => {
        if (reply !== undefined) replyOnce(reply);
      },
      (err: unknown) => {
        const error = toStratusError(err);
        // An event that is not JSON is the caller's mistake, answered as such (the isolate found it); anything else is the node's.
        if (error.code !== 'INVALID_PAYLOAD') this.#log.error({ err, requestId: request.requestId }, 'invocation failed inside the node');
        replyOnce({ ok: false, started: true, error: error.toWire() });
      },
    );
    this.#inFlightDone.add(done);
    void done.finally(() => this.#inFlightDone.delete(done));
  }

  /**
   * Runs the call. Its usage record is written to the spool (one synchronous
   * write at the end of the loop turn, shared by the calls answered in it),
   * then the result is handed to `reply`, before logs are published and
   * before any usage leaves for JetStream, so the caller waits for no network
   * bookkeeping; a call that never ran resolves to the reply to send.
   */
  async #run(request: NodeInvokeRequest, reply: (answer: Answer) => void): Promise<Answer | undefined> {
    const { target } = request;
    let lease;
    try {
      lease = await this.#pool.acquire(target);
    } catch (err) {
      const error = toStratusError(err);
      // Nothing of the user's code has run: another node may take it.
      if (error.code === 'INTERNAL') this.#log.error({ err, fn: target.name }, 'could not start an execution environment');
      return { ok: false, started: false, error: error.toWire() };
    }
    await this.#runLeased(request, lease, reply);
    return undefined;
  }

  /** Runs the call in the environment it holds, then hands the environment back and records usage, logs and metrics. */
  async #runLeased(request: NodeInvokeRequest, lease: Lease<ExecutionEnvironment>, reply: (answer: Answer) => void): Promise<void> {
    const { target } = request;
    const startTimeMs = Date.now();
    const fromSeq = this.#heartbeatSeq;
    const stream = request.responseStream === undefined ? undefined : this.#streamPublisher(request.responseStream);
    let outcome: InvocationOutcome;
    try {
      // The event's one decoding on the host: the isolate gets it as text and parses it there.
      outcome = await lease.environment.invoke({
        requestId: request.requestId,
        eventJson: utf8Text(request.payload),
        tailLogs: request.tailLogs,
        ...(request.invokedQualifier ? { invokedQualifier: request.invokedQualifier } : {}),
        attempt: request.attempt ?? 1,
        ...(request.clientContext ? { clientContextJson: request.clientContext } : {}),
        ...(stream !== undefined ? { onResponseChunk: stream.publish } : {}),
      });
    } finally {
      this.#pool.release(target, lease);
    }
    this.#usage.publish(usageRecord(this.nodeId, request, target, startTimeMs, outcome, lease.cold));
    const { streamed } = outcome;
    const answer: Answer = {
      ok: true,
      environmentHeld: { fromSeq, toSeq: this.#heartbeatSeq },
      resultJson: outcome.resultJson,
      // Published chunks are not sent again: the payload of a streamed success is then empty.
      ...(streamed !== undefined && !outcome.functionError ? { streamedPayload: streamed.bytes } : {}),
      result: {
        requestId: request.requestId,
        nodeId: this.nodeId,
        executedVersion: target.version,
        ...(outcome.functionError ? { functionError: outcome.functionError } : {}),
        ...(streamed !== undefined
          ? {
              streamed: {
                contentType: streamed.contentType,
                bytesBeforeError: outcome.functionError ? streamed.bytes : NOTHING_STREAMED,
                chunksSent: stream?.chunksSent() ?? 0,
              },
            }
          : {}),
        ...(outcome.logTail !== undefined ? { logTail: outcome.logTail } : {}),
        durationMs: outcome.durationMs,
        billedMs: outcome.billedMs,
        initMs: outcome.initDurationMs ?? 0,
        cold: lease.cold,
        maxMemoryUsedMb: outcome.maxMemoryUsedMb,
        report: outcome.report,
      },
    };
    // The record in the spool before the answer leaves: once the caller has it, a kill can no longer lose the call's
    // usage. With other calls in flight, one write at the end of this loop turn for every call answered in it, the
    // answers sent together right after it. Alone, the call writes its own at once: there is nothing to share the
    // write with, and waiting for the turn's end would cost it a loop iteration (HTTP/2 then sends the answer only
    // in the next one).
    if (this.#inFlightDone.size > 1) await this.#usage.spooled();
    else this.#usage.commit();
    reply(answer);
    this.#metrics.invoked(target.name, outcome.outcome, lease.cold, outcome.queuedMs);
    this.#logs.publish({
      requestId: request.requestId,
      functionName: target.name,
      version: target.version,
      nodeId: this.nodeId,
      timestampMs: startTimeMs,
      message: outcome.logs,
      ...(outcome.logEventSpans !== undefined ? { eventSpans: outcome.logEventSpans } : {}),
    });
  }

  /**
   * Publishes a streaming handler's bytes to the frontend as they arrive, in order, in chunks of at most 256 KiB
   * (a single write may be 20 MB, more than a NATS message holds); the first carries the content type. A publish
   * that fails (the connection is closing) loses the chunk: the frontend counts chunks against the reply's
   * `chunksSent` and ends the stream with an error rather than a gap.
   */
  #streamPublisher(subject: string): { publish: (bytes: Buffer, contentType: string) => void; chunksSent: () => number } {
    const nc = this.#options.nc;
    let index = 0;
    return {
      publish: (bytes, contentType) => {
        let at = 0;
        do {
          const piece = bytes.subarray(at, Math.min(bytes.byteLength, at + STREAM_CHUNK_MAX_BYTES));
          try {
            nc.publish(subject, encodeStreamChunk(index, index === 0 ? contentType : undefined, piece));
          } catch (err) {
            this.#log.warn({ err, subject }, 'could not publish a response stream chunk');
          }
          index += 1;
          at += STREAM_CHUNK_MAX_BYTES;
        } while (at < bytes.byteLength);
      },
      chunksSent: () => index,
    };
  }

  /**
   * Answers the frontend. Never throws: a reply that cannot be sent must not
   * take the node (and every call on it) down. A result whose reply would be
   * larger than NATS carries becomes Lambda's ResponseSizeTooLarge error. The
   * reply is kept (the same bytes) while the frontend may still wait for it:
   * if a nats-server on the way dies with it, the frontend asks for it again.
   */
  #respond(msg: Msg, answer: Answer, call?: AcceptedCall): void {
    let data: Uint8Array;
    if (answer.ok) {
      const fitted = this.#withinPayloadLimit(answer);
      data = encodeResultReply(fitted.result, fitted.streamedPayload ?? fitted.resultJson, fitted.environmentHeld);
    } else {
      data = encodeErrorReply(answer.started, answer.error);
    }
    if (call) {
      this.#unanswered.delete(call.requestId);
      this.#sentReplies.remember(call.requestId, call.replySubject, data, call.replyWindowEndMs);
    }
    this.#respondBytes(msg, data);
  }

  #respondBytes(msg: Msg, data: Uint8Array): void {
    try {
      msg.respond(data);
    } catch (err) {
      this.#log.error({ err, bytes: data.byteLength }, 'could not send an invocation reply');
    }
  }

  /**
   * Tells a frontend what became of calls it sent here, after a NATS
   * connection on the way dropped: running, done (with the reply sent, as
   * long as the answer stays within NATS's payload limit), or unknown. Only
   * the connection that made a call hears about it: its reply subject and the
   * question's share the connection's inbox. An id never received here is
   * remembered, so the call is refused should it arrive late: the frontend
   * may place it on another node.
   */
  #answerCallStatus(msg: Msg): void {
    const parsed = callStatusRequestSchema.safeParse(safeDecodeJson(msg.data));
    if (!parsed.success) {
      this.#log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed call-status request');
      this.#respondStatus(msg, encodeJson({ ok: false, error: new StratusError('INVALID_ARGUMENT', 'malformed call-status request').toWire() }));
      return;
    }
    const asker = inboxOf(msg.reply ?? '');
    const nowMs = Date.now();
    const encoder = new TextEncoder();
    // Each entry is its parts in order; a reply goes as base64 of the bytes kept, never re-encoded.
    const entries: Uint8Array[][] = [];
    const done: { readonly requestId: string; readonly data: Uint8Array }[] = [];
    for (const requestId of parsed.data.requestIds) {
      const unanswered = this.#unanswered.get(requestId);
      const sent = unanswered === undefined ? this.#sentReplies.get(requestId) : undefined;
      let status: 'running' | 'unknown' | 'done' = 'unknown';
      if (unanswered !== undefined) {
        if (inboxOf(unanswered) === asker) status = 'running';
      } else if (sent !== undefined) {
        if (sent.data !== undefined && inboxOf(sent.replySubject) === asker) {
          status = 'done';
          done.push({ requestId, data: sent.data });
        }
      } else {
        this.#sentReplies.remember(requestId, '', undefined, nowMs + NEVER_RECEIVED_KEPT_MS);
      }
      if (status !== 'done') entries.push([encoder.encode(JSON.stringify({ requestId, status }))]);
    }
    // Replies that do not fit beside the others are announced as done without one: the frontend asks for them alone.
    const budget = (this.#options.nc.info?.max_payload ?? 1024 * 1024) - CALL_STATUS_ENVELOPE_BYTES;
    let used = 0;
    for (const { requestId, data } of done) {
      const head = `{"requestId":${JSON.stringify(requestId)},"status":"done"`;
      const base64Bytes = 4 * Math.ceil(data.byteLength / 3);
      if (used + base64Bytes <= budget) {
        used += base64Bytes;
        entries.push([encoder.encode(`${head},"reply":"${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}"}`)]);
      } else {
        entries.push([encoder.encode(`${head}}`)]);
      }
    }
    const comma = encoder.encode(',');
    const parts: Uint8Array[] = [encoder.encode(`{"ok":true,"instanceId":${JSON.stringify(this.instanceId)},"calls":[`)];
    entries.forEach((entry, i) => {
      if (i > 0) parts.push(comma);
      parts.push(...entry);
    });
    parts.push(encoder.encode(']}'));
    this.#respondStatus(msg, Buffer.concat(parts));
  }

  #respondStatus(msg: Msg, data: Uint8Array): void {
    try {
      msg.respond(data);
    } catch (err) {
      this.#log.warn({ err }, 'could not answer a call-status request');
    }
  }

  #publishHeartbeat(): void {
    if (this.#state === 'closed') return;
    const { warmIsolates, functions } = this.#pool.stats();
    const heartbeat: NodeHeartbeat = {
      nodeId: this.nodeId,
      atMs: Date.now(),
      state: this.#state,
      inFlight: this.#inFlightDone.size,
      memoryUsedMb: this.#pool.memoryUsedMb,
      warmIsolates,
      functions,
      instanceId: this.instanceId,
      natsReconnects: this.#natsReconnects,
      // Taken with the snapshot above, synchronously, so a call's environmentHeld orders against it exactly.
      seq: ++this.#heartbeatSeq,
    };
    // Once a second is often enough to let go of replies no frontend can still be waiting for.
    this.#sentReplies.sweep();
    try {
      this.#options.nc.publish(this.#options.ns.subjects.nodeHeartbeat(this.nodeId), encodeJson(heartbeat));
    } catch (err) {
      this.#log.warn({ err }, 'could not publish a heartbeat');
    }
  }

  /**
   * Leaves the registry first so no frontend picks this node again, then
   * refuses new calls, lets those in flight finish (up to the grace period)
   * and flushes their usage records. Idempotent.
   */
  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<void> {
    if (this.#state === 'running') this.#state = 'draining';
    this.#publishHeartbeat();
    await this.#provisioner?.close();
    this.#pool.setProvisioned([]);
    await this.#registration?.revoke();
    // At least the grace period, and longer when a call in flight may still run: until the latest
    // call's own deadline (its timeout, plus the init limit and a margin), which the runtime
    // enforces, so no started call loses its reply or usage record.
    const graceMs = Math.max(this.#options.drainGraceMs, this.#latestDeadlineMs - Date.now());
    if (this.#inFlightDone.size > 0) {
      this.#log.info({ inFlight: this.#inFlightDone.size, graceMs }, 'waiting for invocations in flight');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.#inFlightDone]), grace]);
      clearTimeout(timer);
      if (this.#inFlightDone.size > 0) this.#log.warn({ inFlight: this.#inFlightDone.size }, 'invocations still running after the grace period');
    }
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#statusSubscription?.unsubscribe();
    this.#statusSubscription = undefined;
    await this.#usage.close();
    await this.#logs.close();
  }

  /**
   * Counts the connection coming back in the heartbeat, sent at once: a
   * request or reply on its way through the server it lost may have been
   * dropped, and frontends ask this node about their calls when they see it.
   */
  #followNatsReconnects(nc: NatsConnection): void {
    const status = nc.status();
    this.#natsStatus = status;
    void (async () => {
      for await (const s of status) {
        if (s.type !== Events.Reconnect) continue;
        this.#natsReconnects += 1;
        this.#publishHeartbeat();
      }
    })();
  }

  /** Drains, then disposes every execution environment and stops heartbeats. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.drain();
      this.#state = 'closed';
      clearInterval(this.#heartbeatTimer);
      // The iterator nats.js hands out is a QueuedIterator; stop() ends the loop in #followNatsReconnects.
      (this.#natsStatus as { stop?: () => void } | undefined)?.stop?.();
      this.#sentReplies.clear();
      this.#pool.close();
      this.#shells.close();
      await this.#hashPool.close();
      this.#log.info('worker node stopped');
    })();
    return this.#closed;
  }
}

/** The event's JSON text from its bytes; invalid UTF-8 becomes U+FFFD, as the frontend's decoding of it did before. */
function utf8Text(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return '';
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
}

/** The connection a reply subject belongs to: nats.js sends every request of a connection from one inbox, `<inbox>.<token>`. */
function inboxOf(replySubject: string): string {
  return replySubject.slice(0, replySubject.lastIndexOf('.'));
}

function safeDecodeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}

function refuse(code: ErrorCode, message: string): Extract<NodeInvokeReply, { ok: false }> {
  return { ok: false, started: false, error: new StratusError(code, message).toWire() };
}

/** A response stream's chunks on NATS are at most this large (NATS carries 8 MB by default; smaller keeps the frontend's writes steady). */
const STREAM_CHUNK_MAX_BYTES = 256 * 1024;

/** What a streaming handler that succeeded sent before an error: nothing (its bytes are the payload). */
const NOTHING_STREAMED = new Uint8Array(0);

/** Lambda's error for a result too large to return, as the function's own error. */
function responseTooLarge(answer: Extract<Answer, { ok: true }>, bytes: number): Extract<Answer, { ok: true }> {
  const { streamed } = answer.result;
  const result: InvocationResultMetadata = {
    ...answer.result,
    functionError: 'Unhandled',
    // The error replaces the stream: none of it fits the reply.
    ...(streamed !== undefined ? { streamed: { contentType: streamed.contentType, bytesBeforeError: NOTHING_STREAMED, chunksSent: streamed.chunksSent } } : {}),
  };
  delete (result as { logTail?: string }).logTail;
  return {
    ok: true,
    environmentHeld: answer.environmentHeld,
    resultJson: JSON.stringify({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${bytes} bytes encoded).`,
    }),
    result,
  };
}

function usageRecord(
  nodeId: string,
  request: NodeInvokeRequest,
  target: InvocationTarget,
  startTimeMs: number,
  outcome: InvocationOutcome,
  cold: boolean,
): UsageRecord {
  return {
    requestId: request.requestId,
    functionName: target.name,
    functionVersion: target.version,
    nodeId,
    startTimeMs,
    durationMs: outcome.durationMs,
    billedMs: outcome.billedMs,
    initMs: outcome.initDurationMs ?? 0,
    memoryMb: target.memoryMb,
    maxMemoryUsedMb: outcome.maxMemoryUsedMb,
    cpuMs: outcome.cpuMs,
    queuedMs: outcome.queuedMs,
    outcome: outcome.outcome,
    cold,
  };
}
