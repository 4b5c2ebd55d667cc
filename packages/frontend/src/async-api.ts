import { StratusError } from '@stratus/errors';
import {
  LATEST_VERSION,
  eventInvokeConfigFor,
  eventInvokeConfigSchema,
  parseFunctionName,
  parseOrThrow,
  parseQualifier,
  qualifiedFunctionArn,
  type EventInvokeConfig,
  type EventInvokeConfigInput,
} from '@stratus/contracts';
import type {
  AsyncInvocationMessage,
  DestinationConfigMessage,
  FunctionEventInvokeConfigMessage,
  ListFunctionEventInvokeConfigsResponseMessage,
  PutFunctionEventInvokeConfigRequestMessage,
  RedriveAsyncInvocationsResponseMessage,
} from '@stratus/contracts/grpc';
import type { FunctionCatalog } from './function-catalog.js';
import type { AsyncEvents, AsyncStatus } from './async-events.js';
import type { AsyncDispatcher } from './async-dispatcher.js';
import { splitQualifier } from './invoke.js';

export interface AsyncApiOptions {
  readonly catalog: FunctionCatalog;
  readonly events: AsyncEvents;
  /** This frontend's dispatcher, nudged when a redrive queues events. Default none. */
  readonly dispatcher?: AsyncDispatcher | undefined;
}

/** Redriving a whole function moves at most this many events per call; call again for more. */
const REDRIVE_BATCH_MAX = 1000;

/** The `AsyncInvocations` service: functions' event-invoke configuration, and each accepted event's state, cancel and redrive. */
export class AsyncApi {
  readonly #catalog: FunctionCatalog;
  readonly #events: AsyncEvents;
  readonly #dispatcher: AsyncDispatcher | undefined;

  constructor(options: AsyncApiOptions) {
    this.#catalog = options.catalog;
    this.#events = options.events;
    this.#dispatcher = options.dispatcher;
  }

  async putConfig(request: PutFunctionEventInvokeConfigRequestMessage, merge: boolean): Promise<FunctionEventInvokeConfigMessage> {
    const { name, qualifier } = await this.#configTarget(request.functionName, request.qualifier);
    const lastModified = new Date().toISOString();
    let stored: EventInvokeConfig | undefined;
    await this.#catalog.setEventInvokeConfig(name, qualifier, (current) => {
      const base: EventInvokeConfigInput = merge && current !== undefined ? { ...current } : {};
      const input: EventInvokeConfigInput = { ...base, lastModified };
      if (request.maximumRetryAttempts !== undefined) input.maximumRetryAttempts = request.maximumRetryAttempts;
      if (request.maximumEventAgeInSeconds !== undefined) input.maximumEventAgeInSeconds = request.maximumEventAgeInSeconds;
      if (request.recursiveLoop !== undefined) input.recursiveLoop = request.recursiveLoop as EventInvokeConfig['recursiveLoop'];
      applyDestinations(input, request.destinationConfig, merge);
      stored = parseOrThrow(eventInvokeConfigSchema, input, 'event invoke configuration');
      return stored;
    });
    if (stored === undefined) throw new StratusError('INTERNAL', 'the event invoke configuration was not stored');
    return configMessage(name, qualifier, stored);
  }

  async getConfig(functionName: string, qualifier: string): Promise<FunctionEventInvokeConfigMessage> {
    const target = await this.#configTarget(functionName, qualifier);
    const { fn } = await this.#catalog.get(target.name);
    const config = eventInvokeConfigFor(fn, target.qualifier);
    if (config === undefined) throw configNotFound(target.name, target.qualifier);
    return configMessage(target.name, target.qualifier, config);
  }

  async deleteConfig(functionName: string, qualifier: string): Promise<Record<string, never>> {
    const target = await this.#configTarget(functionName, qualifier);
    await this.#catalog.setEventInvokeConfig(target.name, target.qualifier, (current) => {
      if (current === undefined) throw configNotFound(target.name, target.qualifier);
      return undefined;
    });
    return {};
  }

  /** The function's own configuration first, then its aliases' and versions' in the order they were first set. */
  async listConfigs(functionName: string): Promise<ListFunctionEventInvokeConfigsResponseMessage> {
    const { name, qualifier } = splitQualifier(functionName, '');
    if (qualifier !== '') throw new StratusError('INVALID_ARGUMENT', 'functionName: ListFunctionEventInvokeConfigs lists every qualifier of a function; name it without one');
    const { fn } = await this.#catalog.get(name);
    const own = fn.eventInvokeConfig === undefined ? [] : [configMessage(fn.name, '', fn.eventInvokeConfig)];
    const qualified = (fn.qualifiedEventInvokeConfigs ?? []).map(({ qualifier: q, ...config }) => configMessage(fn.name, q, config));
    return { functionEventInvokeConfigs: [...own, ...qualified] };
  }

  /**
   * The function and qualifier a configuration call names ('' for the function itself, which `$LATEST`
   * also names); a qualifier must name an alias or a published version that exists.
   */
  async #configTarget(functionName: string, qualifierInput: string): Promise<{ name: string; qualifier: string }> {
    const split = splitQualifier(functionName, qualifierInput);
    const name = parseFunctionName(split.name);
    const qualifier = parseQualifier(split.qualifier).kind === 'latest' ? '' : split.qualifier;
    // Lambda answers ResourceNotFoundException for an alias or version that does not exist.
    if (qualifier !== '') await this.#catalog.get(name, qualifier);
    return { name, qualifier };
  }

  async status(requestId: string): Promise<AsyncInvocationMessage> {
    return invocationMessage(await this.#status(requestId));
  }

  /** Cancels an event not running now (queued, or waiting for a retry); the dispatcher drops it when it comes up. */
  async cancel(requestId: string): Promise<AsyncInvocationMessage> {
    for (;;) {
      const found = await this.#events.status(checkRequestId(requestId));
      if (found === undefined) throw notFound(requestId);
      const { status, revision } = found;
      if (status.state !== 'queued' && status.state !== 'retrying') {
        throw new StratusError('ASYNC_INVOCATION_NOT_CANCELLABLE', `the invocation ${requestId} is ${status.state}; only a queued or retrying one can be cancelled`, {
          details: { state: status.state },
        });
      }
      const now = Date.now();
      const cancelled: AsyncStatus = { ...status, state: 'cancelled', updatedAtMs: now, finishedAtMs: now };
      if (await this.#events.updateStatus(cancelled, revision)) return invocationMessage(cancelled);
    }
  }

  /** Queues dead-lettered events again, with a fresh age and no attempts: one by request id, or every one of a function. */
  async redrive(requestId: string, functionName: string): Promise<RedriveAsyncInvocationsResponseMessage> {
    if (requestId !== '') {
      await this.#redriveOne(requestId);
      return { requestIds: [requestId] };
    }
    if (functionName === '') throw new StratusError('INVALID_ARGUMENT', 'give requestId (one event) or functionName (all its dead-lettered events)');
    const { fn } = await this.#catalog.get(functionName);
    const redriven: string[] = [];
    for (const seq of (await this.#events.deadLetteredSeqs(fn.name)).slice(0, REDRIVE_BATCH_MAX)) {
      const event = await this.#events.deadLettered(seq);
      if (event === undefined) continue;
      const found = await this.#events.status(event.requestId);
      // Only the dead letter its state points at: an older copy of a redriven-then-failed event is dropped.
      if (found?.status.deadLetterSeq !== seq) {
        await this.#events.removeDeadLetter(seq);
        continue;
      }
      await this.#redriveOne(event.requestId);
      redriven.push(event.requestId);
    }
    return { requestIds: redriven };
  }

  async #redriveOne(requestId: string): Promise<void> {
    const found = await this.#events.status(checkRequestId(requestId));
    if (found === undefined) throw notFound(requestId);
    const { status, revision } = found;
    const seq = status.deadLetterSeq;
    const event = seq === undefined ? undefined : await this.#events.deadLettered(seq);
    if (seq === undefined || event === undefined) {
      throw new StratusError('ASYNC_INVOCATION_NOT_CANCELLABLE', `the invocation ${requestId} is not in the dead-letter stream (it is ${status.state})`, {
        details: { state: status.state },
      });
    }
    const now = Date.now();
    const { deadLetterSeq: _seq, finishedAtMs: _finished, startedAtMs: _started, destinationError: _destination, ...rest } = status;
    const queued: AsyncStatus = { ...rest, state: 'queued', attempts: 0, acceptedAtMs: now, updatedAtMs: now };
    if (!(await this.#events.updateStatus(queued, revision))) {
      throw new StratusError('CONFLICT', `the invocation ${requestId} changed while it was being redriven; try again`);
    }
    await this.#events.enqueue({ ...event, acceptedAtMs: now }, `${requestId}:redrive:${now}`);
    await this.#events.removeDeadLetter(seq);
    this.#dispatcher?.nudge(event.functionName);
  }

  async #status(requestId: string): Promise<AsyncStatus> {
    const found = await this.#events.status(checkRequestId(requestId));
    if (found === undefined) throw notFound(requestId);
    return found.status;
  }
}

function checkRequestId(requestId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(requestId)) {
    throw new StratusError('INVALID_ARGUMENT', `requestId: must be 1 to 128 letters, digits, "-" and "_" (got ${JSON.stringify(requestId.slice(0, 140))})`);
  }
  return requestId;
}

function notFound(requestId: string): StratusError {
  return new StratusError('ASYNC_INVOCATION_NOT_FOUND', `no asynchronous invocation ${requestId} (or its state has aged out)`);
}

/** Put replaces both destinations (absent means none); Update changes only those given, and an empty destination removes one. */
function applyDestinations(input: EventInvokeConfigInput, config: DestinationConfigMessage | null, merge: boolean): void {
  if (!merge) {
    delete input.onSuccess;
    delete input.onFailure;
  }
  if (config === null) return;
  for (const [key, target] of [
    ['onSuccess', config.onSuccess],
    ['onFailure', config.onFailure],
  ] as const) {
    if (target === null) continue;
    if (target.destination === '') delete input[key];
    else input[key] = target.destination;
  }
}

function configNotFound(name: string, qualifier: string): StratusError {
  return new StratusError('EVENT_INVOKE_CONFIG_NOT_FOUND', `The function ${qualifiedFunctionArn(name, qualifier === '' ? LATEST_VERSION : qualifier)} has no EventInvokeConfig`);
}

function configMessage(name: string, qualifier: string, config: EventInvokeConfig): FunctionEventInvokeConfigMessage {
  return {
    functionArn: qualifiedFunctionArn(name, qualifier === '' ? LATEST_VERSION : qualifier),
    lastModified: config.lastModified,
    maximumRetryAttempts: config.maximumRetryAttempts,
    maximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
    destinationConfig: {
      onSuccess: { destination: config.onSuccess ?? '' },
      onFailure: { destination: config.onFailure ?? '' },
    },
    recursiveLoop: config.recursiveLoop,
  };
}

function invocationMessage(status: AsyncStatus): AsyncInvocationMessage {
  return {
    requestId: status.requestId,
    functionName: status.functionName,
    qualifier: status.qualifier,
    state: status.state,
    attempts: status.attempts,
    acceptedAtMs: status.acceptedAtMs,
    updatedAtMs: status.updatedAtMs,
    startedAtMs: status.startedAtMs ?? 0,
    finishedAtMs: status.finishedAtMs ?? 0,
    lastError: status.lastError ?? '',
    traceDepth: status.traceDepth,
    deadLettered: status.deadLetterSeq !== undefined,
    destinationError: status.destinationError ?? '',
  };
}
