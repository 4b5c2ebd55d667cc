import { z } from 'zod';
import type { WireError } from '@stratus/errors';
import type { InvocationTarget } from './invocation-target.js';

/** A worker node's registration, kept in etcd under the node's lease. */
export const nodeRecordSchema = z.object({
  nodeId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  /** Sum of function memory sizes the node will host at once. */
  memoryBudgetMb: z.number().int().positive(),
  /** Invocations the node runs at once, whatever their memory. */
  maxInFlight: z.number().int().positive(),
  registeredAtMs: z.number(),
  version: z.string(),
});
export type NodeRecord = z.infer<typeof nodeRecordSchema>;

export const warmFunctionSchema = z.object({
  functionName: z.string(),
  version: z.string(),
  idle: z.number().int().nonnegative(),
  busy: z.number().int().nonnegative(),
  /** Environments of the function's provisioned concurrency on this node (counted in idle and busy too). */
  provisioned: z.number().int().nonnegative().default(0),
});
export type WarmFunction = z.infer<typeof warmFunctionSchema>;

export const nodeStateSchema = z.enum(['running', 'draining']);
export type NodeState = z.infer<typeof nodeStateSchema>;

/** A node's live load, published over NATS several times a second. */
export const nodeHeartbeatSchema = z.object({
  nodeId: z.string(),
  atMs: z.number(),
  state: nodeStateSchema,
  inFlight: z.number().int().nonnegative(),
  memoryUsedMb: z.number().nonnegative(),
  warmIsolates: z.number().int().nonnegative(),
  functions: z.array(warmFunctionSchema),
  /**
   * Random per node process. A call sent while one process had the node's id
   * cannot be vouched for by another: only the process that took it knows
   * whether it did. Absent from nodes older than call reconciliation.
   */
  instanceId: z.string().min(1).max(64).optional(),
  /**
   * How many times the node's NATS connection came back. When it changes, a
   * request or reply on its way through the server the node lost may have
   * been dropped, so frontends ask the node about their calls in flight there.
   */
  natsReconnects: z.number().int().nonnegative().default(0),
  /**
   * This node process's heartbeat number, from 1: an ordering on the node's
   * side only (replies say between which heartbeats a call held its
   * environment), never compared with another machine's clock. 0 from nodes
   * older than the warm view.
   */
  seq: z.number().int().nonnegative().default(0),
});
export type NodeHeartbeat = z.infer<typeof nodeHeartbeatSchema>;

/**
 * One invocation as placement hands it to a node: over NATS it travels as
 * the compact envelope of `node-invoke-wire.ts`; to a node in the same
 * process (the combined role) as this object, never encoded.
 */
export interface NodeInvokeRequest {
  readonly requestId: string;
  readonly target: InvocationTarget;
  /** The event's JSON bytes as the client sent them, not yet parsed (the isolate parses them; empty means `{}`). */
  readonly payload: Uint8Array;
  readonly tailLogs: boolean;
  /**
   * The qualifier the caller named (`$LATEST`, a version, an alias), which the
   * context's invokedFunctionArn ends with; absent or '' for an unqualified call.
   * Not part of the target: aliases of one version share its environments.
   */
  readonly invokedQualifier?: string;
  /**
   * Which attempt of an asynchronous invocation this is: 1 for the first
   * (and for every synchronous call), 2 and 3 for retries, all under the same
   * request id. The handler sees it as `context.attempt`. Default 1.
   */
  readonly attempt?: number;
  /**
   * Lambda's ClientContext of a RequestResponse call, as the JSON text of one
   * object (the frontend decoded and checked it); the handler sees it parsed as
   * `context.clientContext`. Absent or '' for none.
   */
  readonly clientContext?: string;
  /**
   * The subject (`subjects.responseStream`) a streaming handler's bytes are published to as it writes them, in
   * chunks (`encodeStreamChunk`), instead of travelling in the reply; absent: the reply carries them.
   */
  readonly responseStream?: string;
}

/** The outcome of an invocation that ran, whether or not the handler succeeded. */
export interface InvocationResult {
  readonly requestId: string;
  readonly nodeId: string;
  readonly executedVersion: string;
  /**
   * JSON bytes: the handler's result, or Lambda's error object when functionError is set
   * (`resultJson`, text, in the runtime); for a streaming handler that succeeded, the bytes it streamed.
   */
  readonly payload: Uint8Array;
  readonly functionError?: 'Unhandled';
  /** Set when the handler streams its response (`awslambda.streamifyResponse`). */
  readonly streamed?: StreamedResult;
  /** Base64 of the last 4 KB of the log, when asked for. */
  readonly logTail?: string;
  readonly durationMs: number;
  readonly billedMs: number;
  readonly initMs: number;
  readonly cold: boolean;
  readonly maxMemoryUsedMb: number;
  /** Lambda's REPORT line. */
  readonly report: string;
}

/** What a streaming handler's result carries beside its payload. */
export interface StreamedResult {
  /** The content type its stream set: `application/octet-stream` by default, Lambda's prelude type after `HttpResponseStream.from`. */
  readonly contentType: string;
  /**
   * When the call failed (functionError set, the payload is the error): what the handler streamed before, which a
   * streaming caller gets ahead of the error, as Lambda sends it. Empty on success.
   */
  readonly bytesBeforeError: Uint8Array;
  /**
   * Chunks published to the request's `responseStream` (its bytes are then in neither the payload nor
   * `bytesBeforeError`): the frontend waits for that many before it ends the stream. 0 when none was asked for.
   */
  readonly chunksSent: number;
}

/** Everything about a result but its payload: what travels beside the payload bytes. */
export type InvocationResultMetadata = Omit<InvocationResult, 'payload'>;

/**
 * When a call held its execution environment, as the node's heartbeat
 * numbers (`NodeHeartbeat.seq`) then: `fromSeq` the last heartbeat taken
 * before it took the environment, `toSeq` the last before it gave it back.
 * So heartbeat H counted the environment busy when fromSeq < H <= toSeq,
 * idle again when toSeq < H, and not at all when H <= fromSeq: the frontend
 * merges its own calls into the heartbeats' warm counts without counting
 * one twice.
 */
export interface EnvironmentHeld {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/**
 * A node's answer. `started: false` on an error means the invocation never
 * began, so the frontend may safely try another node.
 */
export type NodeInvokeReply =
  | { readonly ok: true; readonly result: InvocationResult; readonly environmentHeld?: EnvironmentHeld }
  | { readonly ok: false; readonly started: boolean; readonly error: WireError };

/**
 * A worker node in the same process as a frontend (the `combined` role),
 * offering to run a call without the NATS hop. The frontend admits the call
 * first (limits, client tokens), exactly as for a call sent over NATS; the
 * node runs it as it runs a call taken from its subject (its in-flight limit,
 * usage record, logs and metrics).
 */
export interface LocalInvoker {
  readonly nodeId: string;
  /**
   * What this node could do with a call of the target's function now, read
   * synchronously and without taking anything: the frontend decides from it
   * whether the call runs here or goes over NATS (see the placement
   * package's `chooseLocal`).
   */
  outlook(target: InvocationTarget): LocalOutlook;
  /**
   * Starts the call at once when this node has an idle warm environment of
   * its function and room for one more call in flight, and resolves with the
   * reply a NATS caller would get; `undefined`, decided synchronously, when
   * it cannot, so nothing waits locally and the caller places the call over
   * NATS as usual.
   */
  tryInvokeLocal(request: NodeInvokeRequest): Promise<NodeInvokeReply> | undefined;
  /**
   * Runs the call as if it had arrived on this node's NATS subject (refused,
   * `started: false`, while draining or at its in-flight limit; otherwise it
   * waits for an environment or starts a cold one), for when placement chose
   * this node, or the frontend chose to queue the call here (its `outlook`
   * said a busy environment comes back soon): a process never sends a
   * request to itself over NATS.
   */
  invokeLocal(request: NodeInvokeRequest): Promise<NodeInvokeReply>;
}

/** A node's state for one function, as its combined-role frontend sees it before placing a call (`LocalInvoker.outlook`). */
export interface LocalOutlook {
  /** Running, below its in-flight limit, and not holding back calls for usage JetStream has not taken: a call given to it now is started or queued, not refused. */
  readonly accepting: boolean;
  /** Idle warm environments of the function: a call takes one at once. */
  readonly idle: number;
  /** Environments of the function running a call (or being made for one): each comes back when its call ends. */
  readonly busy: number;
  /** Calls of the function on this node waiting for an environment (held back for a busy one, or for a cold-start slot). */
  readonly waiting: number;
  /**
   * Whether the function's calls queue here for isolate slots: while they do, a call that finds no idle
   * environment waits for a busy one (at most 1 s) rather than starting another, which would only queue too.
   */
  readonly slotsQueued: boolean;
  /** Recent mean time a call of the function held its environment, in ms (isolate-slot wait included); undefined before one came back. */
  readonly meanHoldMs: number | undefined;
}

/** Most request ids one call-status request may name; a frontend with more in flight on one node asks in batches. */
export const CALL_STATUS_MAX_IDS = 256;

/** A frontend asks a node what became of calls it sent there (see `subjects.nodeCallStatus`). */
export const callStatusRequestSchema = z.strictObject({
  requestIds: z
    .array(
      z
        .string()
        .min(1)
        .max(128)
        .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    )
    .min(1)
    .max(CALL_STATUS_MAX_IDS),
});
export type CallStatusRequest = z.infer<typeof callStatusRequestSchema>;

/**
 * What a node knows of one call: `running` (its reply will come to the
 * caller's inbox), `done` with the reply it sent (absent when it would not
 * fit beside the others: ask for that id alone), or `unknown` (never
 * received here, or not from the asking connection; once a node has said so
 * for an id, it refuses that id if it arrives late, so it never runs).
 */
export const callStatusSchema = z.discriminatedUnion('status', [
  z.object({ requestId: z.string(), status: z.literal('running') }),
  z.object({ requestId: z.string(), status: z.literal('unknown') }),
  /** `reply`: base64 of the reply's bytes as the node sent them. */
  z.object({ requestId: z.string(), status: z.literal('done'), reply: z.string().optional() }),
]);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const callStatusReplySchema = z.discriminatedUnion('ok', [
  /** `instanceId`: the answering node process (see the heartbeat's). */
  z.object({ ok: z.literal(true), instanceId: z.string(), calls: z.array(callStatusSchema) }),
  z.object({ ok: z.literal(false), error: z.unknown() }),
]);
export type CallStatusReply = z.infer<typeof callStatusReplySchema>;

export const usageQuerySchema = z.object({
  functionName: z.string().optional(),
  startTimeMs: z.number().optional(),
  endTimeMs: z.number().optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface FunctionUsage {
  readonly functionName: string;
  readonly requests: number;
  readonly billedMs: number;
  readonly durationMs: number;
  readonly gbSeconds: number;
  readonly costUsd: number;
  readonly errors: number;
  readonly coldStarts: number;
}

export interface UsageReport {
  readonly functions: readonly FunctionUsage[];
  readonly total: FunctionUsage;
  readonly appliedThroughSequence: number;
}

export type UsageQueryReply =
  | { readonly ok: true; readonly report: UsageReport }
  | { readonly ok: false; readonly error: WireError };
