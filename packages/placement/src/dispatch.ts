import { ErrorCode as NatsErrorCode, type NatsConnection, type NatsError } from 'nats';
import type { Logger } from 'pino';
import { StratusError, toStratusError, type ErrorCode } from '@stratus/errors';
import {
  CALL_STATUS_MAX_IDS,
  callStatusReplySchema,
  decodeInvokeReply,
  decodeJson,
  encodeInvokeRequest,
  encodeJson,
  invokeRequestBytes,
  type CallStatus,
  type InvocationResult,
  type LocalInvoker,
  type Namespace,
  type NodeInvokeReply,
  type NodeInvokeRequest,
} from '@stratus/contracts';
import { rankNodes } from './choose.js';
import { DEFAULT_MAX_LOCAL_WAIT_MS, DEFAULT_MAX_QUEUED_WAIT_MS, chooseLocal } from './local-choice.js';
import { DEFAULT_SPREAD_MIN_IDLE_MILLICORES, HostIdle } from './host-idle.js';
import { RendezvousOrders } from './rendezvous-orders.js';
import { functionKeyOf } from './warm-view.js';
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
   * A worker node in this process (the combined role): a call runs there
   * without the NATS hop when it has an idle warm environment of the
   * function, or when one of its busy ones is expected back soon (see
   * `maxLocalWaitMs` and `chooseLocal`), and so does any call placement gives
   * this node (it is preferred while it is within the load bound); each is
   * counted in the node view as this node's call in flight. Nothing is ever
   * sent to it over NATS. Default: none.
   */
  readonly local?: LocalInvoker | undefined;
  /**
   * The combined role: how long a call may be expected to wait on the local
   * node for a busy environment of its function before a node with an idle
   * one is worth the NATS hop. The expected wait is (calls waiting + 1) ×
   * the function's recent mean hold time ÷ its busy environments there.
   * Default 20 ms ({@link DEFAULT_MAX_LOCAL_WAIT_MS}).
   */
  readonly maxLocalWaitMs?: number;
  /**
   * The combined role: expected waits longer than `maxLocalWaitMs`, up to
   * this, still stay local while the function's calls queue for isolate
   * slots there and no other node has an idle environment of it. Default
   * 500 ms ({@link DEFAULT_MAX_QUEUED_WAIT_MS}).
   */
  readonly maxQueuedWaitMs?: number;
  /**
   * The combined role: how much of this machine's CPU, in millicores (1000 =
   * one core), must be idle for a call the local node accepts to go to
   * another node on this same machine (same registered host name) rather
   * than wait here. Such a node's CPU is this machine's: the call would cost
   * the hop (its encoding, nats-server, the other process's decoding and
   * reply) on top of the same work, so it gains only while cores sit idle.
   * While fewer are, placement ranks this process's node first and another
   * node's idle environments do not draw the call away (nodes on other
   * machines are untouched by this). 0: nodes on this machine count as
   * others do. Default 500 ({@link DEFAULT_SPREAD_MIN_IDLE_MILLICORES}).
   */
  readonly spreadMinIdleMillicores?: number;
  /** Where this machine's idle CPU is read. Default: a `HostIdle` sampler, started only with `local` and `spreadMinIdleMillicores` above 0. */
  readonly hostIdle?: { readonly idleMillicores: number };
  /** How long a node may take to say what became of calls sent to it (see reconciliation below). Default 2000 ms. */
  readonly callStatusTimeoutMs?: number;
}

/** A call sent to a node and not yet answered. */
interface PendingCall {
  readonly nodeId: string;
  /** The node process that had the node's id when the call was sent, by its last heartbeat; undefined when none came yet. */
  readonly instanceId: string | undefined;
  readonly settle: (reply: NodeInvokeReply) => void;
  readonly fail: (err: StratusError) => void;
}

type CallStatusAnswer = { readonly instanceId: string; readonly calls: readonly CallStatus[] };

/**
 * Sends an invocation to a worker node over NATS request-reply, trying the
 * ranked candidates in turn while a node has not started the call (no
 * responders, no capacity, shutting down). Once a node has started a call it
 * is never sent anywhere else: a lost node means a failed call, not a
 * second run.
 *
 * Reconciliation: a request or reply on its way through a nats-server that
 * dies is dropped, and nats.js does not say so; the call would wait out its
 * whole reply timeout and end INVOCATION_LOST though the node may have
 * answered. When this frontend's connection comes back, or a node's heartbeat
 * says its connection came back (or another process has its id), the
 * dispatcher asks that node about the calls it has in flight there:
 * `running` keeps waiting (the reply comes to the same inbox, which nats.js
 * subscribes again), `done` settles the call with the reply the node sent,
 * and `unknown` from the process the call went to means it never arrived, so
 * it is placed on the next candidate like a node that did not listen (the
 * node refuses it should it arrive late). A node that cannot be asked leaves
 * things as they were: the call waits, and fails when the node is dead.
 */
export class Dispatcher {
  readonly #nc: NatsConnection;
  readonly #ns: Namespace;
  readonly #view: NodeView;
  readonly #link: NatsLink;
  readonly #log: Logger;
  readonly #replyMarginMs: number;
  readonly #local: LocalInvoker | undefined;
  readonly #maxLocalWaitMs: number;
  readonly #maxQueuedWaitMs: number;
  readonly #orders = new RendezvousOrders();
  readonly #spreadMinIdleMillicores: number;
  readonly #hostIdle: { readonly idleMillicores: number } | undefined;
  /** The sampler this dispatcher started, closed with it. */
  readonly #ownHostIdle: HostIdle | undefined;
  readonly #callStatusTimeoutMs: number;
  /** By request id: a call is at one node at a time. */
  readonly #pending = new Map<string, PendingCall>();
  /** Nodes being asked about their calls, and whether to ask again once answered. */
  readonly #reconciling = new Map<string, { again: boolean }>();
  readonly #stopListening: (() => void)[];
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#nc = options.nc;
    this.#ns = options.ns;
    this.#view = options.view;
    this.#link = options.link;
    this.#log = options.log;
    this.#replyMarginMs = options.replyMarginMs ?? 10_000;
    this.#local = options.local;
    this.#maxLocalWaitMs = options.maxLocalWaitMs ?? DEFAULT_MAX_LOCAL_WAIT_MS;
    this.#maxQueuedWaitMs = options.maxQueuedWaitMs ?? DEFAULT_MAX_QUEUED_WAIT_MS;
    this.#callStatusTimeoutMs = options.callStatusTimeoutMs ?? 2000;
    this.#spreadMinIdleMillicores = options.spreadMinIdleMillicores ?? DEFAULT_SPREAD_MIN_IDLE_MILLICORES;
    if (options.hostIdle !== undefined) {
      this.#hostIdle = options.hostIdle;
    } else if (this.#local !== undefined && this.#spreadMinIdleMillicores > 0) {
      this.#ownHostIdle = new HostIdle();
      this.#hostIdle = this.#ownHostIdle;
    }
    this.#stopListening = [
      this.#link.onReconnect(() => {
        for (const nodeId of new Set([...this.#pending.values()].map((call) => call.nodeId))) this.#reconcile(nodeId);
      }),
      this.#view.onNodeReconnected((nodeId) => this.#reconcile(nodeId)),
    ];
  }

  /** Stops reconciling; calls in flight still get their replies. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#stopListening) stop();
    this.#ownHostIdle?.close();
  }

  /** How long a call to a function with this timeout may take to be answered before it counts as lost. */
  replyTimeoutMs(functionTimeoutSec: number): number {
    return functionTimeoutSec * 1000 + this.#replyMarginMs;
  }

  async dispatch(request: NodeInvokeRequest): Promise<InvocationResult> {
    // Also for a local call: its usage record and logs go out over NATS.
    this.#link.assertConnected('the invocation');
    const { target } = request;
    const functionKey = functionKeyOf(target.name, target.version);
    // Measured (not encoded) wherever it will run, so where a call runs never changes whether it is accepted.
    this.#assertFitsNats(request);
    const local = this.#local;
    const view = this.#view;
    // Whether placement puts this process's node first whatever its load (see `spreadMinIdleMillicores`).
    let keepHere = false;
    if (local !== undefined) {
      const localNodeId = local.nodeId;
      const outlook = local.outlook(target);
      // Set while this machine's cores are spent: a node on it gains nothing by a call this one can take.
      const busyHost = this.#busyHost(localNodeId);
      const idleElsewhere = (onOtherMachines: boolean): boolean =>
        view.nodeIds().some((nodeId) => nodeId !== localNodeId && (!onOtherMachines || view.hostOf(nodeId) !== busyHost) && view.warmIdle(nodeId, functionKey) > 0);
      const choice = chooseLocal(outlook, {
        maxLocalWaitMs: this.#maxLocalWaitMs,
        maxQueuedWaitMs: this.#maxQueuedWaitMs,
        // A longer wait here costs less than the hop to a node on the same busy machine.
        idleElsewhere: () => idleElsewhere(busyHost !== undefined),
      });
      // `now` can still find nothing idle (an environment the outlook counted may be unusable): placement decides then.
      const running = choice === 'now' ? local.tryInvokeLocal(request) : choice === 'queue' ? local.invokeLocal(request) : undefined;
      if (running !== undefined) {
        const reply = await this.#awaitLocal(localNodeId, running);
        if (reply.ok) return reply.result;
        if (reply.started) throw StratusError.fromWire(reply.error);
      }
      // Every other node on this busy machine: placement would spread the call past the load bound, or home it
      // there, for the hop's CPU on top of the same work, so this node comes first. Unless the call would start an
      // environment here while another node has an idle one (a cold start costs far more than the hop): a call
      // that would wait here for one of its busy environments (held back, while the function's calls queue for
      // isolate slots) starts none.
      keepHere =
        outlook.accepting &&
        busyHost !== undefined &&
        view.nodeIds().every((nodeId) => nodeId === localNodeId || view.hostOf(nodeId) === busyHost) &&
        ((outlook.busy > 0 && outlook.slotsQueued) || !idleElsewhere(false));
    }
    const localNodeId = local?.nodeId;
    const candidates = rankNodes(view.nodes(), target, {
      order: this.#orders.order(functionKey, target.name, target.version, view.nodeIds(), view.nodeSetVersion),
      // The local node has just said it has no idle warm environment of the function to give: that, not the view, is the truth.
      warmIdle: (node) => (node.record.nodeId === localNodeId ? 0 : view.warmIdle(node.record.nodeId, functionKey)),
      preferNodeId: localNodeId,
    });
    if (candidates.length === 0) {
      throw new StratusError('NO_CAPACITY', 'no worker nodes are registered; start one and try again');
    }
    if (keepHere && localNodeId !== undefined && candidates[0] !== localNodeId) {
      // The others stay behind it, for when the node refuses the call after all (it filled up meanwhile).
      const at = candidates.indexOf(localNodeId);
      if (at > 0) candidates.unshift(...candidates.splice(at, 1));
    }
    const timeoutMs = this.replyTimeoutMs(target.timeoutSec);
    const refusals: string[] = [];
    const codes = new Set<ErrorCode>();
    let body: Uint8Array | undefined;
    for (const nodeId of candidates) {
      // The connection may have dropped while an earlier candidate refused.
      this.#link.assertConnected('the invocation');
      let reply: NodeInvokeReply;
      if (local !== undefined && nodeId === local.nodeId) {
        // Placement chose this process's own node: it runs the call as if it came over NATS, without the request to itself.
        reply = await this.#awaitLocal(nodeId, local.invokeLocal(request));
      } else {
        // Encoded once, for every candidate it goes to.
        body ??= encodeInvokeRequest(request, false);
        reply = await this.#sendTo(nodeId, functionKey, request, body, timeoutMs);
      }
      if (reply.ok) return reply.result;
      if (reply.started) throw StratusError.fromWire(reply.error);
      refusals.push(`${nodeId}: ${reply.error.code}`);
      codes.add(reply.error.code);
    }
    // When every node gave the same reason (the code is unavailable, all are draining), that reason is the answer.
    const [only] = codes;
    if (codes.size === 1 && only === 'UNAVAILABLE') {
      throw new StratusError('UNAVAILABLE', `the invocation never reached a worker node (${refusals.join(', ')}): a NATS server on the way went down; it did not run, retry`);
    }
    const code = codes.size === 1 && only !== undefined && only !== 'NODE_UNAVAILABLE' ? only : 'NO_CAPACITY';
    throw new StratusError(code, `no worker node could take the invocation (${refusals.join(', ')})`);
  }

  /** The local node's machine (its registered host name) while fewer of its cores are idle than spreading needs; undefined otherwise. */
  #busyHost(localNodeId: string): string | undefined {
    const hostIdle = this.#hostIdle;
    if (hostIdle === undefined || hostIdle.idleMillicores >= this.#spreadMinIdleMillicores) return undefined;
    return this.#view.hostOf(localNodeId);
  }

  /** Refuses a request larger than NATS carries (as sent to a node that asks for the target too); the envelope's size is known without encoding it. */
  #assertFitsNats(request: NodeInvokeRequest): void {
    const maxPayload = this.#nc.info?.max_payload;
    if (maxPayload === undefined) return;
    const bytes = invokeRequestBytes(request, true);
    if (bytes > maxPayload) {
      throw new StratusError(
        'PAYLOAD_TOO_LARGE',
        `the request encodes to ${bytes} bytes, over the ${maxPayload} bytes the cluster's NATS carries; send a smaller event`,
      );
    }
  }

  /**
   * Counts the local call as its node's in the view, as a call sent over NATS is, so placement sees the node's
   * load. Not in the view's warm counts: nothing reads this node's there (its `outlook` is the truth), and keeping
   * them cost every local call a record and its reply's bookkeeping.
   */
  async #awaitLocal(nodeId: string, running: Promise<NodeInvokeReply>): Promise<NodeInvokeReply> {
    const release = this.#view.track(nodeId);
    let reply: NodeInvokeReply | undefined;
    try {
      reply = await running;
      return reply;
    } finally {
      release(reply);
    }
  }

  async #sendTo(nodeId: string, functionKey: string, request: NodeInvokeRequest, body: Uint8Array, timeoutMs: number): Promise<NodeInvokeReply> {
    const { requestId } = request;
    const release = this.#view.track(nodeId, functionKey);
    let reply: NodeInvokeReply | undefined;
    let stopWatching: (() => void) | undefined;
    try {
      // One promise, settled by whichever comes first: the node's reply, or news from outside the reply's path (the
      // node died, or reconciliation learnt what became of the call). No race of two promises: that cost every call
      // two more promises and their handlers.
      reply = await new Promise<NodeInvokeReply>((resolve, reject) => {
        stopWatching = this.#view.onNodeDead(nodeId, () =>
          reject(new StratusError('INVOCATION_LOST', `worker node ${nodeId} died while running the invocation`, { details: { nodeId } })),
        );
        this.#pending.set(requestId, { nodeId, instanceId: this.#view.instanceOf(nodeId), settle: resolve, fail: reject });
        this.#exchange(nodeId, request, body, timeoutMs).then(resolve, reject);
      });
      return reply;
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
      this.#pending.delete(requestId);
      stopWatching?.();
      release(reply);
    }
  }

  /**
   * The node's reply to the call. A node that does not hold the call's
   * target by its digest asks for it: the call goes again, once, with the
   * target attached (it was not accepted the first time).
   */
  async #exchange(nodeId: string, request: NodeInvokeRequest, body: Uint8Array, timeoutMs: number): Promise<NodeInvokeReply> {
    const subject = this.#ns.subjects.nodeInvoke(nodeId);
    const first = parseReply((await this.#nc.request(subject, body, { timeout: timeoutMs })).data, nodeId);
    if (!('targetWanted' in first)) return first;
    const second = parseReply((await this.#nc.request(subject, encodeInvokeRequest(request, true), { timeout: timeoutMs })).data, nodeId);
    if ('targetWanted' in second) throw new StratusError('INTERNAL', `worker node ${nodeId} asked again for the target it was just sent`);
    return second;
  }

  /** Asks `nodeId` about this frontend's calls in flight there; once at a time per node, again if asked meanwhile. */
  #reconcile(nodeId: string): void {
    if (this.#closed) return;
    const running = this.#reconciling.get(nodeId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.#reconciling.set(nodeId, state);
    void (async () => {
      try {
        while (state.again && !this.#closed) {
          state.again = false;
          await this.#askAbout(nodeId);
        }
      } catch (err) {
        this.#log.error({ err, nodeId }, 'could not reconcile calls in flight');
      } finally {
        this.#reconciling.delete(nodeId);
      }
    })();
  }

  async #askAbout(nodeId: string): Promise<void> {
    const requestIds: string[] = [];
    for (const [requestId, call] of this.#pending) if (call.nodeId === nodeId) requestIds.push(requestId);
    const counts = { running: 0, done: 0, unknown: 0 };
    for (let i = 0; i < requestIds.length; i += CALL_STATUS_MAX_IDS) {
      const answer = await this.#callStatus(nodeId, requestIds.slice(i, i + CALL_STATUS_MAX_IDS));
      // Unreachable: the calls wait as before, and fail if the node is dead.
      if (answer === undefined) return;
      const askAlone: string[] = [];
      for (const status of answer.calls) {
        counts[status.status] += 1;
        if (status.status === 'done' && status.reply === undefined) askAlone.push(status.requestId);
        else this.#apply(nodeId, answer.instanceId, status);
      }
      // Replies too large to come together come one at a time.
      for (const requestId of askAlone) {
        const alone = await this.#callStatus(nodeId, [requestId]);
        const status = alone?.calls.find((call) => call.requestId === requestId);
        if (alone === undefined || status === undefined) continue;
        if (status.status === 'done' && status.reply === undefined) {
          this.#pending.get(requestId)?.fail(
            new StratusError('INVOCATION_LOST', `worker node ${nodeId} ran the invocation, but its reply was lost and is too large to send again`, {
              details: { nodeId },
            }),
          );
        } else {
          this.#apply(nodeId, alone.instanceId, status);
        }
      }
    }
    if (requestIds.length > 0) this.#log.info({ nodeId, ...counts }, 'asked a worker node about calls in flight after a NATS connection came back');
  }

  #apply(nodeId: string, instanceId: string, status: CallStatus): void {
    const call = this.#pending.get(status.requestId);
    // Answered meanwhile, or an id this frontend did not ask about.
    if (call === undefined || call.nodeId !== nodeId) return;
    switch (status.status) {
      case 'running':
        return;
      case 'done':
        try {
          const reply = parseReply(Buffer.from(status.reply ?? '', 'base64'), nodeId);
          // A reply the node kept is never a request for the target (that call was not accepted).
          if ('targetWanted' in reply) throw new StratusError('INTERNAL', `worker node ${nodeId} sent a malformed reply`);
          call.settle(reply);
        } catch (err) {
          call.fail(toStratusError(err));
        }
        return;
      case 'unknown':
        // Only the process the call went to can say it never arrived; which one that was is unknown without a heartbeat.
        if (call.instanceId === undefined) return;
        if (call.instanceId === instanceId) {
          call.settle(notStarted('UNAVAILABLE', `the invocation never reached worker node ${nodeId} (a NATS server on the way went down); it did not run`));
          return;
        }
        call.fail(
          new StratusError('INVOCATION_LOST', `worker node ${nodeId} restarted while running the invocation; it may have run`, {
            details: { nodeId },
          }),
        );
    }
  }

  /**
   * The node's answer, or undefined when it cannot be had. A question that
   * times out is asked once more: its answer may have been dropped on the
   * way, just after a reconnect, and no other event would ask again.
   */
  async #callStatus(nodeId: string, requestIds: string[]): Promise<CallStatusAnswer | undefined> {
    for (let attempt = 1; attempt <= 2 && this.#link.connected && !this.#closed; attempt += 1) {
      try {
        const msg = await this.#nc.request(this.#ns.subjects.nodeCallStatus(nodeId), encodeJson({ requestIds }), { timeout: this.#callStatusTimeoutMs });
        const parsed = callStatusReplySchema.safeParse(decodeJson(msg.data));
        const answer = parsed.success ? parsed.data : { ok: false as const, error: 'malformed answer' };
        if (answer.ok) return answer;
        this.#log.warn({ nodeId, error: answer.error }, 'worker node would not say what became of calls in flight');
        return undefined;
      } catch (err) {
        this.#log.debug({ err, nodeId, attempt }, 'could not ask a worker node about calls in flight');
        if (!isNatsError(err, NatsErrorCode.Timeout)) return undefined;
      }
    }
    return undefined;
  }
}

function notStarted(code: 'NODE_UNAVAILABLE' | 'UNAVAILABLE', message: string): NodeInvokeReply {
  return { ok: false, started: false, error: { code, message, retryable: true } };
}

function parseReply(data: Uint8Array, nodeId: string): ReturnType<typeof decodeInvokeReply> {
  try {
    return decodeInvokeReply(data);
  } catch (err) {
    throw new StratusError('INTERNAL', `worker node ${nodeId} sent a malformed reply (${toStratusError(err).message})`);
  }
}

function isNatsError(err: unknown, code: NatsErrorCode): err is NatsError {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
