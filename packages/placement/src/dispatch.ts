import { ErrorCode as NatsErrorCode, type NatsConnection, type NatsError } from 'nats';
import type { Logger } from 'pino';
import { StratusError, parseWireError, type ErrorCode } from '@stratus/errors';
import {
  decodeJson,
  encodeJson,
  type InvocationResult,
  type LocalInvoker,
  type Namespace,
  type NodeInvokeReply,
  type NodeInvokeRequest,
} from '@stratus/contracts';
import { rankNodes } from './choose.js';
import { RendezvousScores } from './rendezvous-scores.js';
import type { NodeView } from './node-view.js';
import type { NatsLink } from './nats-link.js';

export interface DispatcherOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly view: NodeView;
  /** Whether NATS is reachable: a call is not sent while it is not. */
  readonly link: NatsLink;
  readonly log: Logger;
  /**
   * Time allowed beyond the function's own timeout for the node to answer
   * (code fetch, a cold start, the reply's trip). Default 10000 ms.
   */
  readonly replyMarginMs?: number;
  /**
   * A worker node in this process (the combined role): a call it can start
   * at once on an idle warm environment runs there without the NATS hop,
   * counted in the node view as this node's call in flight. Default: none.
   */
  readonly local?: LocalInvoker | undefined;
}

/**
 * Sends an invocation to a worker node over NATS request-reply, trying the
 * ranked candidates in turn while a node has not started the call (no
 * responders, no capacity, shutting down). Once a node has started a call it
 * is never sent anywhere else: a lost node means a failed call, not a
 * second run.
 */
export class Dispatcher {
  readonly #nc: NatsConnection;
  readonly #ns: Namespace;
  readonly #view: NodeView;
  readonly #link: NatsLink;
  readonly #log: Logger;
  readonly #replyMarginMs: number;
  readonly #local: LocalInvoker | undefined;
  readonly #scores = new RendezvousScores();
  readonly #score = this.#scores.score.bind(this.#scores);

  constructor(options: DispatcherOptions) {
    this.#nc = options.nc;
    this.#ns = options.ns;
    this.#view = options.view;
    this.#link = options.link;
    this.#log = options.log;
    this.#replyMarginMs = options.replyMarginMs ?? 10_000;
    this.#local = options.local;
  }

  /** How long a call to a function with this timeout may take to be answered before it counts as lost. */
  replyTimeoutMs(functionTimeoutSec: number): number {
    return functionTimeoutSec * 1000 + this.#replyMarginMs;
  }

  async dispatch(request: NodeInvokeRequest): Promise<InvocationResult> {
    // Also for a local call: its usage record and logs go out over NATS.
    this.#link.assertConnected('the invocation');
    const local = this.#local;
    const running = local !== undefined && this.#fitsNats(request) ? local.tryInvokeLocal(request) : undefined;
    if (local !== undefined && running !== undefined) {
      const reply = await this.#awaitLocal(local.nodeId, running);
      if (reply.ok) return reply.result;
      if (reply.started) throw StratusError.fromWire(reply.error);
    }
    const candidates = rankNodes(this.#view.nodes(), request.target, { score: this.#score });
    if (candidates.length === 0) {
      throw new StratusError('NO_CAPACITY', 'no worker nodes are registered; start one and try again');
    }
    const body = encodeJson(request);
    const maxPayload = this.#nc.info?.max_payload;
    if (maxPayload !== undefined && body.byteLength > maxPayload) {
      // JSON escaping can grow an event under 6 MB past what NATS carries.
      throw new StratusError(
        'PAYLOAD_TOO_LARGE',
        `the request encodes to ${body.byteLength} bytes, over the ${maxPayload} bytes the cluster's NATS carries; send a smaller or less escaped event`,
      );
    }
    const timeoutMs = this.replyTimeoutMs(request.target.timeoutSec);
    const refusals: string[] = [];
    const codes = new Set<ErrorCode>();
    for (const nodeId of candidates) {
      // The connection may have dropped while an earlier candidate refused.
      this.#link.assertConnected('the invocation');
      const reply = await this.#sendTo(nodeId, body, timeoutMs, request.requestId);
      if (reply.ok) return reply.result;
      if (reply.started) throw StratusError.fromWire(reply.error);
      refusals.push(`${nodeId}: ${reply.error.code}`);
      codes.add(reply.error.code);
    }
    // When every node gave the same reason (the code is unavailable, all are draining), that reason is the answer.
    const [only] = codes;
    const code = codes.size === 1 && only !== undefined && only !== 'NODE_UNAVAILABLE' ? only : 'NO_CAPACITY';
    throw new StratusError(code, `no worker node could take the invocation (${refusals.join(', ')})`);
  }

  /**
   * Whether the request surely encodes within NATS's payload limit (JSON
   * escaping at most sextuples a string), without encoding it: one that might
   * not goes the NATS way, which measures it and refuses it as it always has,
   * so where a call would run never changes whether it is accepted.
   */
  #fitsNats(request: NodeInvokeRequest): boolean {
    const maxPayload = this.#nc.info?.max_payload;
    return maxPayload === undefined || 6 * request.payload.length + 64 * 1024 <= maxPayload;
  }

  /** Counts the local call as its node's in the view, as a call sent over NATS is, so placement sees the node's load. */
  async #awaitLocal(nodeId: string, reply: Promise<NodeInvokeReply>): Promise<NodeInvokeReply> {
    const release = this.#view.track(nodeId);
    try {
      return await reply;
    } finally {
      release();
    }
  }

  async #sendTo(nodeId: string, body: Uint8Array, timeoutMs: number, requestId: string): Promise<NodeInvokeReply> {
    const release = this.#view.track(nodeId);
    let stopWatching = (): void => {};
    const nodeGone = new Promise<never>((_, reject) => {
      stopWatching = this.#view.onNodeDead(nodeId, () =>
        reject(
          new StratusError('INVOCATION_LOST', `worker node ${nodeId} died while running the invocation`, {
            details: { nodeId },
          }),
        ),
      );
    });
    nodeGone.catch(() => {});
    try {
      const msg = await Promise.race([this.#nc.request(this.#ns.subjects.nodeInvoke(nodeId), body, { timeout: timeoutMs }), nodeGone]);
      return parseReply(decodeJson(msg.data), nodeId);
    } catch (err) {
      if (isNatsError(err, NatsErrorCode.NoResponders)) {
        return notStarted('NODE_UNAVAILABLE', `worker node ${nodeId} is not listening`);
      }
      if (isNatsError(err, NatsErrorCode.Timeout)) {
        this.#log.warn({ nodeId, requestId, timeoutMs }, 'worker node did not answer in time');
        throw new StratusError('INVOCATION_LOST', `worker node ${nodeId} did not answer within ${timeoutMs} ms; the invocation may have run`, {
          details: { nodeId },
        });
      }
      throw err;
    } finally {
      stopWatching();
      release();
    }
  }
}

function notStarted(code: 'NODE_UNAVAILABLE', message: string): NodeInvokeReply {
  return { ok: false, started: false, error: { code, message, retryable: true } };
}

function parseReply(value: unknown, nodeId: string): NodeInvokeReply {
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (v['ok'] === true && typeof v['result'] === 'object' && v['result'] !== null) {
      return { ok: true, result: v['result'] as InvocationResult };
    }
    const error = parseWireError(v['error']);
    if (v['ok'] === false && error) return { ok: false, started: v['started'] !== false, error };
  }
  throw new StratusError('INTERNAL', `worker node ${nodeId} sent a malformed reply`);
}

function isNatsError(err: unknown, code: NatsErrorCode): err is NatsError {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
