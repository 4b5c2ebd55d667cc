import * as grpc from '@grpc/grpc-js';
import type { LogEventMessage, TailLogsRequestMessage } from '@stratus/contracts/grpc';
import { fromGrpcError } from './grpc-errors.js';
import { toStratusError } from '@stratus/errors';

export interface LogsQueryInput {
  readonly functionName: string;
  /** Inclusive, ms since the epoch. Default unbounded. */
  readonly startTimeMs?: number;
  /** Exclusive, ms since the epoch. Default unbounded. */
  readonly endTimeMs?: number;
  /** The newest this many invocations in the range. Default (server side) 100, at most 10000. */
  readonly limit?: number;
  /** Only this invocation. Default: every one. */
  readonly requestId?: string;
  /** Each log's `events` instead of its whole text (`message` then empty). Default false: the text, and no events. */
  readonly eventsOnly?: boolean;
}

export interface TailLogsInput {
  readonly functionName: string;
  /** How many of the newest existing invocations to send before following. Default (server side) 10; 0 sends only new ones. */
  readonly limit?: number;
  /** As in {@link LogsQueryInput}. Default false. */
  readonly eventsOnly?: boolean;
}

/** A TailLogs call in progress. */
export interface LogTail {
  /** Ends the tail; `done` then resolves. Safe to call twice. */
  cancel(): void;
  /** Resolves when the tail ends by `cancel()` or by the server ending it cleanly; rejects with a StratusError otherwise. */
  readonly done: Promise<void>;
}

/** Starts a server-streaming TailLogs call on `channel`, handing each event to `onEvent` in order. */
export function startLogTail(
  channel: grpc.Client,
  definition: grpc.MethodDefinition<TailLogsRequestMessage, LogEventMessage>,
  input: TailLogsInput,
  onEvent: (event: LogEventMessage) => void,
  call: { readonly endpoint: string; readonly metadata: grpc.Metadata; readonly sentApiKey: boolean },
): LogTail {
  const { endpoint, sentApiKey } = call;
  const request: TailLogsRequestMessage = {
    functionName: input.functionName,
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    eventsOnly: input.eventsOnly ?? false,
  };
  // Serialised here so a limit the API refuses to encode throws its INVALID_ARGUMENT at once.
  let bytes: Buffer;
  try {
    bytes = definition.requestSerialize(request);
  } catch (err) {
    throw toStratusError(err);
  }
  const stream = channel.makeServerStreamRequest(
    definition.path,
    (serialized: Buffer) => serialized,
    definition.responseDeserialize,
    bytes,
    call.metadata,
    {},
  );
  let cancelled = false;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (event: LogEventMessage) => onEvent(event));
    stream.on('error', (err: grpc.ServiceError) => {
      if (cancelled && err.code === grpc.status.CANCELLED) resolve();
      else reject(fromGrpcError(err, { endpoint, method: 'TailLogs', deadlineMs: 0, sentApiKey }));
    });
    stream.on('end', () => resolve());
  });
  return {
    cancel() {
      if (cancelled) return;
      cancelled = true;
      stream.cancel();
    },
    done,
  };
}
