import * as grpc from '@grpc/grpc-js';
import { StratusError, toStratusError } from '@stratus/errors';
import { API_KEY_METADATA } from '@stratus/contracts';
import { loadStratusApi } from '@stratus/contracts/grpc';
import type {
  ApiKeyMessage,
  CreateKeyResponseMessage,
  ListKeysResponseMessage,
  CreateFunctionRequestMessage,
  FunctionConfigurationMessage,
  GetUsageResponseMessage,
  InvocationTypeName,
  InvokeResponseMessage,
  ListFunctionsResponseMessage,
  ListNodesResponseMessage,
  LogTypeName,
  NodeStatusMessage,
  UpdateFunctionRequestMessage,
  FunctionConcurrencyMessage,
  AccountConcurrencyMessage,
  ProvisionedConcurrencyConfigMessage,
  AliasConfigurationMessage,
  ListAliasesResponseMessage,
  ListVersionsByFunctionResponseMessage,
  AsyncInvocationMessage,
  FunctionEventInvokeConfigMessage,
  ListFunctionEventInvokeConfigsResponseMessage,
  RedriveAsyncInvocationsResponseMessage,
  ListTriggersResponseMessage,
  TriggerMessage,
  ScheduleMessage,
  ScheduleInputMessage,
  ListSchedulesResponseMessage,
  EventSourceMappingConfigurationMessage,
  ListEventSourceMappingsResponseMessage,
} from '@stratus/contracts/grpc';
import { fromGrpcError } from './grpc-errors.js';
import type { GetLogsResponseMessage, LogEventMessage, TailLogsRequestMessage } from '@stratus/contracts/grpc';
import { startLogTail, type LogTail, type LogsQueryInput, type TailLogsInput } from './log-tail.js';
import { checkApiKeyText, resolveApiKey } from './api-key.js';
import { checkClientTls, resolveClientTls, type ClientTls } from './tls.js';

export const DEFAULT_ENDPOINT = '127.0.0.1:50051';

/**
 * Messages may carry a 50 MB zip or a 6 MB payload, over grpc-js's 4 MB
 * receive default; the frontend must accept as much.
 */
export const MESSAGE_MAX_BYTES = 64 * 1024 * 1024;

export interface StratusClientOptions {
  /** host:port of a Stratus frontend. Default '127.0.0.1:50051'. */
  readonly endpoint?: string;
  /** Deadline of each call, from when it starts. Default 60_000. */
  readonly deadlineMs?: number;
  /** Separate HTTP/2 connections to spread calls over, round robin. Default 1. */
  readonly channels?: number;
  /**
   * The API key sent with every call, `<keyId>.<secret>`. Default: the
   * environment variable STRATUS_API_KEY, else the file `.stratus/admin.key`
   * in the current directory (what `stratus up` writes), else none (calls
   * then fail with UNAUTHENTICATED). See {@link resolveApiKey}.
   */
  readonly apiKey?: string;
  /**
   * TLS towards the frontend: a CA, and a client certificate and key for
   * frontends that require one; false for plaintext. Default: from
   * STRATUS_TLS_CA, STRATUS_TLS_CERT and STRATUS_TLS_KEY (file paths), else
   * plaintext. See {@link resolveClientTls}.
   */
  readonly tls?: ClientTls | false;
}

export interface CreateFunctionInput {
  readonly functionName: string;
  /** The code as a zip (Lambda's layout). */
  readonly zipFile: Uint8Array;
  /** Default (server side) 'index.handler'. */
  readonly handler?: string;
  /** Default (server side) 128. */
  readonly memorySizeMb?: number;
  /** Default (server side) 3. */
  readonly timeoutSec?: number;
  /** What /tmp may hold, 512 to 10240 MB. Default (server side) 512. */
  readonly ephemeralStorageMb?: number;
  /** Default {}. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Default ''. */
  readonly description?: string;
  /** Default (server side) 'nodejs20.x'. */
  readonly runtime?: string;
  /** Outbound network access. Default (server side): public addresses only. */
  readonly egress?: EgressInput;
  /** Lambda's LoggingConfig. Default (server side): Text, log group /aws/lambda/<name>. */
  readonly logging?: LoggingInput;
  /** Lambda's tags. Default {}. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Lambda's LoggingConfig: `logFormat` 'Text' (default) or 'JSON'; with JSON
 * only, `applicationLogLevel` (TRACE..FATAL) and `systemLogLevel`
 * (DEBUG, INFO, WARN), each INFO by default; `logGroup`, the log group
 * name the function sees (default /aws/lambda/<name>).
 */
export interface LoggingInput {
  readonly logFormat?: 'Text' | 'JSON';
  readonly applicationLogLevel?: string;
  readonly systemLogLevel?: string;
  readonly logGroup?: string;
}

/**
 * A function's egress setting: `mode` 'public' (default) or 'none', and
 * `allow`, destinations allowed beyond public addresses (`host`, `*.domain`,
 * an address or CIDR, each with an optional `:port`).
 */
export interface EgressInput {
  readonly mode?: 'public' | 'none';
  readonly allow?: readonly string[];
}

/** Fields left out keep their current value. */
export interface UpdateFunctionInput {
  readonly functionName: string;
  readonly zipFile?: Uint8Array;
  readonly handler?: string;
  readonly memorySizeMb?: number;
  readonly timeoutSec?: number;
  readonly ephemeralStorageMb?: number;
  /** Merged into the current environment, or replacing it when `replaceEnvironment`. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Default false. */
  readonly replaceEnvironment?: boolean;
  readonly description?: string;
  /** Replaces the whole egress setting. */
  readonly egress?: EgressInput;
  /** Replaces the whole logging setting. */
  readonly logging?: LoggingInput;
  /** Merged into the current tags, or replacing them when `replaceTags`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Default false. */
  readonly replaceTags?: boolean;
}

export interface InvokeInput {
  /** A name, optionally with ":qualifier". */
  readonly functionName: string;
  /** The event as JSON text (a string is sent as UTF-8). Default empty, which the frontend reads as {}. */
  readonly payload?: string | Uint8Array;
  /** Version or alias. Default '' ($LATEST). */
  readonly qualifier?: string;
  /** Default 'REQUEST_RESPONSE'. */
  readonly invocationType?: InvocationTypeName;
  /** Default 'NONE'. */
  readonly logType?: LogTypeName;
  /**
   * Makes the call safe to retry: a call with the same token (same function,
   * within 10 minutes) gets the first call's result instead of running
   * again. Give every attempt of one logical call the same token, e.g. a
   * random UUID. Default none.
   */
  readonly clientToken?: string;
  /**
   * Lambda's ClientContext: base64 of a JSON object, at most 3,583 characters; a RequestResponse call's handler
   * sees it parsed as `context.clientContext`. Default none.
   */
  readonly clientContext?: string;
}

/** The response as the wire carries it, plus its payload and log tail decoded. */
export interface InvokeResult extends InvokeResponseMessage {
  /** `payload` as UTF-8 text: the handler's JSON result, or Lambda's error object when `functionError` is set. */
  readonly payloadText: string;
  /** `logResult` decoded from base64; '' unless the call asked for logType 'TAIL'. */
  readonly logText: string;
}

/** A function's asynchronous-invocation settings (Lambda's PutFunctionEventInvokeConfig). Put: unset fields take defaults; Update: unset fields stay. */
export interface EventInvokeConfigInput {
  readonly functionName: string;
  /** An alias or version whose own configuration this is; default '' (the function's, which `$LATEST` also names). */
  readonly qualifier?: string;
  /** 0 to 2. Default 2. */
  readonly maximumRetryAttempts?: number;
  /** 60 to 21600. Default 21600. */
  readonly maximumEventAgeInSeconds?: number;
  /** `function:NAME`, a function ARN, `nats:SUBJECT` or `jetstream:SUBJECT`; '' removes it (Update). */
  readonly onSuccess?: string;
  readonly onFailure?: string;
  /** 'Terminate' (default) or 'Allow'. */
  readonly recursiveLoop?: string;
}

export interface CreateKeyInput {
  /** At least one of 'invoke', 'deploy', 'read', 'admin'. */
  readonly scopes: readonly string[];
  /** Default ''. */
  readonly description?: string;
}

/** A new key: its id, scopes and secret (shown only this once), and `apiKey`, the two joined as clients send them. */
export interface CreatedKey extends ApiKeyMessage {
  readonly secret: string;
  /** `<keyId>.<secret>`: what STRATUS_API_KEY holds. */
  readonly apiKey: string;
}

export interface PublishVersionInput {
  readonly functionName: string;
  /** The version's own description. Default: the function's. */
  readonly description?: string;
  /** Publish only if $LATEST's code has this hex SHA-256. Default: any. */
  readonly codeSha256?: string;
  /** Publish only if $LATEST is at this revision (FunctionConfiguration.revision). Default: any. */
  readonly revision?: number;
}

export interface PageInput {
  /** The nextMarker of the previous page. Default: the first page. */
  readonly marker?: string;
  /** 1..10000. Default (server side) 50. */
  readonly maxItems?: number;
}

export interface AliasInput {
  readonly functionName: string;
  readonly name: string;
  /** A version number or $LATEST; required to create, kept when left out of an update. */
  readonly functionVersion?: string;
  readonly description?: string;
  /** RoutingConfig.AdditionalVersionWeights: one more version and its share of calls (0..1); `{}` removes routing on update. */
  readonly additionalVersionWeights?: Readonly<Record<string, number>>;
  /** Update only if the alias is still at this RevisionId. */
  readonly revisionId?: string;
}

export interface UsageQueryInput {
  /** Default: every function. */
  readonly functionName?: string;
  /** Inclusive, ms since the epoch. Default unbounded. */
  readonly startTimeMs?: number;
  /** Exclusive, ms since the epoch. Default unbounded. */
  readonly endTimeMs?: number;
}

/**
 * A typed client of the Stratus gRPC API. Every failed call rejects with a
 * StratusError: the code the frontend sent, or one mapped from the gRPC status
 * (an unreachable endpoint is UNAVAILABLE, naming the endpoint).
 */
export interface StratusClient {
  readonly endpoint: string;
  createFunction(input: CreateFunctionInput): Promise<FunctionConfigurationMessage>;
  updateFunction(input: UpdateFunctionInput): Promise<FunctionConfigurationMessage>;
  /** $LATEST, or the version a qualifier (a version number or alias) names. */
  getFunction(functionName: string, qualifier?: string): Promise<FunctionConfigurationMessage>;
  listFunctions(): Promise<FunctionConfigurationMessage[]>;
  /** The function with its versions and aliases; with a version number as qualifier, that version only. */
  deleteFunction(functionName: string, qualifier?: string): Promise<void>;
  /** Publishes $LATEST as the next version (or returns the last one when nothing changed since). */
  publishVersion(input: PublishVersionInput): Promise<FunctionConfigurationMessage>;
  /** One page of a function's versions, $LATEST first. */
  listVersionsByFunction(functionName: string, page?: PageInput): Promise<ListVersionsByFunctionResponseMessage>;
  createAlias(input: AliasInput): Promise<AliasConfigurationMessage>;
  getAlias(functionName: string, name: string): Promise<AliasConfigurationMessage>;
  /** Fields left out keep their value. */
  updateAlias(input: AliasInput): Promise<AliasConfigurationMessage>;
  deleteAlias(functionName: string, name: string): Promise<void>;
  /** One page of a function's aliases, by name; only those running `functionVersion` when given. */
  listAliases(functionName: string, page?: PageInput & { readonly functionVersion?: string }): Promise<ListAliasesResponseMessage>;
  invoke(input: InvokeInput): Promise<InvokeResult>;
  getUsage(query?: UsageQueryInput): Promise<GetUsageResponseMessage>;
  listNodes(): Promise<NodeStatusMessage[]>;
  /** Reserves concurrency for a function (a guarantee and a cap; 0 disables it). */
  putFunctionConcurrency(functionName: string, reservedConcurrentExecutions: number): Promise<FunctionConcurrencyMessage>;
  getFunctionConcurrency(functionName: string): Promise<FunctionConcurrencyMessage>;
  deleteFunctionConcurrency(functionName: string): Promise<FunctionConcurrencyMessage>;
  getAccountConcurrency(): Promise<AccountConcurrencyMessage>;
  /** Keeps this many environments of the function ($LATEST, or the version or alias `qualifier` names) initialised across the nodes. */
  putProvisionedConcurrencyConfig(functionName: string, provisionedConcurrentExecutions: number, qualifier?: string): Promise<ProvisionedConcurrencyConfigMessage>;
  getProvisionedConcurrencyConfig(functionName: string, qualifier?: string): Promise<ProvisionedConcurrencyConfigMessage>;
  deleteProvisionedConcurrencyConfig(functionName: string, qualifier?: string): Promise<ProvisionedConcurrencyConfigMessage>;
  /** The newest invocations' logs of a function (default 100 of them), oldest first. */
  getLogs(query: LogsQueryInput): Promise<LogEventMessage[]>;
  /**
   * Sends the newest few invocations' logs of a function to `onEvent`, then
   * each new one as it is stored, until `cancel()` (or `close()`). Throws
   * UNAVAILABLE at once on a closed client; later failures reject `done`.
   */
  tailLogs(query: TailLogsInput, onEvent: (event: LogEventMessage) => void): LogTail;
  /** Creates an API key (needs the admin scope). */
  createKey(input: CreateKeyInput): Promise<CreatedKey>;
  /** Every API key, oldest first, without secrets. */
  listKeys(): Promise<ApiKeyMessage[]>;
  /** Revokes a key; KEY_NOT_FOUND if there is none. */
  revokeKey(keyId: string): Promise<void>;
  putFunctionEventInvokeConfig(input: EventInvokeConfigInput): Promise<FunctionEventInvokeConfigMessage>;
  updateFunctionEventInvokeConfig(input: EventInvokeConfigInput): Promise<FunctionEventInvokeConfigMessage>;
  /** `qualifier`: an alias or version (default '', the function's own). */
  getFunctionEventInvokeConfig(functionName: string, qualifier?: string): Promise<FunctionEventInvokeConfigMessage>;
  deleteFunctionEventInvokeConfig(functionName: string, qualifier?: string): Promise<void>;
  listFunctionEventInvokeConfigs(functionName: string): Promise<FunctionEventInvokeConfigMessage[]>;
  /** The state of an asynchronous invocation by its request id. */
  getAsyncInvocation(requestId: string): Promise<AsyncInvocationMessage>;
  /** Cancels a queued or retrying asynchronous invocation. */
  cancelAsyncInvocation(requestId: string): Promise<AsyncInvocationMessage>;
  /** Queues dead-lettered invocations again: one by request id, or (requestId '') every one of `functionName`. Returns their request ids. */
  redriveAsyncInvocations(target: { readonly requestId?: string; readonly functionName?: string }): Promise<string[]>;
  /** Every event source's triggers (schedules, …), optionally only one kind or those invoking one function. */
  listTriggers(filter?: { readonly kind?: string; readonly functionName?: string }): Promise<TriggerMessage[]>;
  /** Creates a schedule (EventBridge Scheduler's CreateSchedule); fields not given take their defaults. */
  createSchedule(input: ScheduleInputArgs): Promise<ScheduleMessage>;
  /** Replaces a schedule whole (EventBridge Scheduler's UpdateSchedule). */
  updateSchedule(input: ScheduleInputArgs): Promise<ScheduleMessage>;
  getSchedule(name: string): Promise<ScheduleMessage>;
  deleteSchedule(name: string): Promise<void>;
  /** One page of schedules by name; `nextToken` '' when it is the last. */
  listSchedules(query?: { readonly namePrefix?: string; readonly state?: string; readonly maxResults?: number; readonly nextToken?: string }): Promise<ListSchedulesResponseMessage>;
  /** Maps an event source (`nats:SUBJECT` or `jetstream:SUBJECT`) to a function (Lambda's CreateEventSourceMapping). */
  createEventSourceMapping(input: CreateEventSourceMappingInput): Promise<EventSourceMappingConfigurationMessage>;
  getEventSourceMapping(uuid: string): Promise<EventSourceMappingConfigurationMessage>;
  /** Changes only the fields given. */
  updateEventSourceMapping(input: UpdateEventSourceMappingInput): Promise<EventSourceMappingConfigurationMessage>;
  /** Deletes a mapping; answers with it in state Deleting. */
  deleteEventSourceMapping(uuid: string): Promise<EventSourceMappingConfigurationMessage>;
  /** Mappings, of one function or one source when given, by UUID (every page). */
  listEventSourceMappings(filter?: { readonly functionName?: string; readonly eventSource?: string }): Promise<EventSourceMappingConfigurationMessage[]>;
  /** Resolves once every channel is connected; UNAVAILABLE if that takes longer than `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void>;
  /** Closes the connections. Calls made afterwards fail with UNAVAILABLE. Safe to call twice. */
  close(): Promise<void>;
}

type ServiceName =
  | 'Functions'
  | 'Invoker'
  | 'Usage'
  | 'Nodes'
  | 'Concurrency'
  | 'ProvisionedConcurrency'
  | 'Logs'
  | 'Keys'
  | 'Versions'
  | 'AsyncInvocations'
  | 'Triggers'
  | 'Schedules'
  | 'EventSourceMappings';

/** An event source mapping's settings; Lambda's defaults for what is left out. */
export interface CreateEventSourceMappingInput {
  /** A function name, `name:qualifier` or ARN. */
  readonly functionName: string;
  /** `nats:SUBJECT` or `jetstream:SUBJECT`. */
  readonly eventSource: string;
  readonly batchSize?: number;
  readonly maximumBatchingWindowInSeconds?: number;
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  readonly startingPositionTimestampMs?: number;
  readonly enabled?: boolean;
  readonly reportBatchItemFailures?: boolean;
  readonly maximumRetryAttempts?: number;
  readonly onFailure?: string;
}

export interface UpdateEventSourceMappingInput {
  readonly uuid: string;
  readonly functionName?: string;
  readonly batchSize?: number;
  readonly maximumBatchingWindowInSeconds?: number;
  readonly enabled?: boolean;
  readonly reportBatchItemFailures?: boolean;
  readonly maximumRetryAttempts?: number;
  /** '' removes it. */
  readonly onFailure?: string;
}

/** What every client of a Stratus frontend resolves from its options once: where, for how long, as whom, over what. */
export interface ClientConnection {
  readonly endpoint: string;
  readonly deadlineMs: number;
  readonly apiKey: string | undefined;
  /** Fresh metadata per call, carrying the API key when there is one. */
  readonly metadata: () => grpc.Metadata;
  /** Fresh credentials per channel (TLS when configured). */
  readonly credentials: () => grpc.ChannelCredentials;
}

/** Resolves and checks the endpoint, deadline, API key and TLS settings every client of the API shares. */
export function clientConnection(options: StratusClientOptions): ClientConnection {
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const deadlineMs = options.deadlineMs ?? 60_000;
  if (!(deadlineMs > 0)) throw new StratusError('INVALID_ARGUMENT', `deadlineMs must be positive, got ${deadlineMs}`);
  const resolvedKey = options.apiKey ?? resolveApiKey();
  const apiKey = resolvedKey === undefined ? undefined : checkApiKeyText(resolvedKey);
  const tls = options.tls === undefined ? resolveClientTls() : options.tls === false ? undefined : options.tls;
  return {
    endpoint,
    deadlineMs,
    apiKey,
    metadata: () => {
      const m = new grpc.Metadata();
      if (apiKey !== undefined) m.set(API_KEY_METADATA.header, `${API_KEY_METADATA.scheme} ${apiKey}`);
      return m;
    },
    credentials: () => {
      if (tls === undefined) return grpc.credentials.createInsecure();
      const { rootCerts, privateKey, certChain } = checkClientTls(tls);
      return grpc.credentials.createSsl(rootCerts, privateKey, certChain);
    },
  };
}

export function createStratusClient(options: StratusClientOptions = {}): StratusClient {
  const channelCount = options.channels ?? 1;
  if (!Number.isInteger(channelCount) || channelCount < 1) {
    throw new StratusError('INVALID_ARGUMENT', `channels must be a positive integer, got ${channelCount}`);
  }
  const { endpoint, deadlineMs, apiKey, metadata, credentials } = clientConnection(options);

  const api = loadStratusApi();
  const channelOptions: grpc.ClientOptions = {
    'grpc.max_send_message_length': MESSAGE_MAX_BYTES,
    'grpc.max_receive_message_length': MESSAGE_MAX_BYTES,
    // Without this, clients to the same target share one connection, which
    // would make `channels` meaningless.
    'grpc.use_local_subchannel_pool': 1,
  };
  const channels = Array.from(
    { length: channelCount },
    () => new grpc.Client(endpoint, credentials(), channelOptions),
  );
  let next = 0;
  let closed = false;
  const tails = new Set<LogTail>();

  function unary<Req, Res>(service: ServiceName, method: string, request: Req, idempotent = false): Promise<Res> {
    if (closed) return Promise.reject(new StratusError('UNAVAILABLE', `the client for ${endpoint} is closed`));
    const definition = api.services[service].service[method] as grpc.MethodDefinition<Req, Res> | undefined;
    if (!definition) return Promise.reject(new StratusError('INTERNAL', `${service}.${method} is not in the loaded API`));
    // Serialised here rather than by grpc-js, so a request the API refuses
    // to encode (a fraction or a negative number in an integer field, which
    // protobuf would send truncated) rejects with its INVALID_ARGUMENT
    // instead of grpc-js's INTERNAL "serialization failure".
    let bytes: Buffer;
    try {
      bytes = definition.requestSerialize(request);
    } catch (err) {
      return Promise.reject(toStratusError(err));
    }
    const channel = channels[next++ % channels.length] as grpc.Client;
    return new Promise<Res>((resolve, reject) => {
      channel.makeUnaryRequest(
        definition.path,
        (serialized: Buffer) => serialized,
        definition.responseDeserialize,
        bytes,
        metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, response) => {
          if (err) reject(fromGrpcError(err, { endpoint, method, deadlineMs, sentApiKey: apiKey !== undefined, idempotent }));
          else if (response === undefined) reject(new StratusError('INTERNAL', `${method} returned no response`));
          else resolve(response);
        },
      );
    });
  }

  return {
    endpoint,

    createFunction(input) {
      const request: CreateFunctionRequestMessage = {
        functionName: input.functionName,
        handler: input.handler ?? '',
        memorySizeMb: input.memorySizeMb ?? 0,
        timeoutSec: input.timeoutSec ?? 0,
        ephemeralStorageMb: input.ephemeralStorageMb ?? 0,
        environment: { ...input.environment },
        description: input.description ?? '',
        code: { zipFile: Buffer.from(input.zipFile) },
        runtime: input.runtime ?? '',
        egress: input.egress ? egressMessage(input.egress) : null,
        loggingConfig: input.logging ? loggingMessage(input.logging) : null,
        tags: { ...input.tags },
      };
      return unary('Functions', 'CreateFunction', request);
    },

    updateFunction(input) {
      const request: UpdateFunctionRequestMessage = {
        functionName: input.functionName,
        environment: { ...input.environment },
        replaceEnvironment: input.replaceEnvironment ?? false,
        code: input.zipFile ? { zipFile: Buffer.from(input.zipFile) } : null,
        ...(input.handler !== undefined ? { handler: input.handler } : {}),
        ...(input.memorySizeMb !== undefined ? { memorySizeMb: input.memorySizeMb } : {}),
        ...(input.timeoutSec !== undefined ? { timeoutSec: input.timeoutSec } : {}),
        ...(input.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: input.ephemeralStorageMb } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        egress: input.egress ? egressMessage(input.egress) : null,
        loggingConfig: input.logging ? loggingMessage(input.logging) : null,
        tags: { ...input.tags },
        replaceTags: input.replaceTags ?? false,
      };
      return unary('Functions', 'UpdateFunction', request);
    },

    getFunction(functionName, qualifier = '') {
      return unary('Functions', 'GetFunction', { functionName, qualifier });
    },

    async listFunctions() {
      const response = await unary<object, ListFunctionsResponseMessage>('Functions', 'ListFunctions', {});
      return response.functions;
    },

    async deleteFunction(functionName, qualifier = '') {
      await unary('Functions', 'DeleteFunction', { functionName, qualifier });
    },

    publishVersion(input) {
      return unary('Versions', 'PublishVersion', {
        functionName: input.functionName,
        description: input.description ?? '',
        codeSha256: input.codeSha256 ?? '',
        revision: input.revision ?? 0,
      });
    },

    listVersionsByFunction(functionName, page = {}) {
      return unary('Versions', 'ListVersionsByFunction', { functionName, marker: page.marker ?? '', maxItems: page.maxItems ?? 0 });
    },

    createAlias(input) {
      return unary('Versions', 'CreateAlias', {
        functionName: input.functionName,
        name: input.name,
        functionVersion: input.functionVersion ?? '',
        description: input.description ?? '',
        routingConfig: { additionalVersionWeights: { ...input.additionalVersionWeights } },
      });
    },

    getAlias(functionName, name) {
      return unary('Versions', 'GetAlias', { functionName, name });
    },

    updateAlias(input) {
      return unary('Versions', 'UpdateAlias', {
        functionName: input.functionName,
        name: input.name,
        ...(input.functionVersion !== undefined ? { functionVersion: input.functionVersion } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        routingConfig: input.additionalVersionWeights !== undefined ? { additionalVersionWeights: { ...input.additionalVersionWeights } } : null,
        revisionId: input.revisionId ?? '',
      });
    },

    async deleteAlias(functionName, name) {
      await unary('Versions', 'DeleteAlias', { functionName, name });
    },

    listAliases(functionName, page = {}) {
      return unary('Versions', 'ListAliases', {
        functionName,
        functionVersion: page.functionVersion ?? '',
        marker: page.marker ?? '',
        maxItems: page.maxItems ?? 0,
      });
    },

    async invoke(input) {
      const payload = input.payload ?? '';
      const response = await unary<object, InvokeResponseMessage>('Invoker', 'Invoke', {
        functionName: input.functionName,
        qualifier: input.qualifier ?? '',
        payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload),
        invocationType: input.invocationType ?? 'REQUEST_RESPONSE',
        logType: input.logType ?? 'NONE',
        clientToken: input.clientToken ?? '',
        clientContext: input.clientContext ?? '',
      }, input.clientToken !== undefined && input.clientToken !== '');
      return {
        ...response,
        payloadText: Buffer.from(response.payload).toString('utf8'),
        logText: response.logResult ? Buffer.from(response.logResult, 'base64').toString('utf8') : '',
      };
    },

    getUsage(query = {}) {
      return unary('Usage', 'GetUsage', {
        functionName: query.functionName ?? '',
        startTimeMs: query.startTimeMs ?? 0,
        endTimeMs: query.endTimeMs ?? 0,
      });
    },

    putFunctionConcurrency(functionName, reservedConcurrentExecutions) {
      return unary('Concurrency', 'PutFunctionConcurrency', { functionName, reservedConcurrentExecutions });
    },

    getFunctionConcurrency(functionName) {
      return unary('Concurrency', 'GetFunctionConcurrency', { functionName });
    },

    deleteFunctionConcurrency(functionName) {
      return unary('Concurrency', 'DeleteFunctionConcurrency', { functionName });
    },

    getAccountConcurrency() {
      return unary('Concurrency', 'GetAccountConcurrency', {});
    },

    putProvisionedConcurrencyConfig(functionName, provisionedConcurrentExecutions, qualifier = '') {
      return unary('ProvisionedConcurrency', 'PutProvisionedConcurrencyConfig', { functionName, qualifier, provisionedConcurrentExecutions });
    },

    getProvisionedConcurrencyConfig(functionName, qualifier = '') {
      return unary('ProvisionedConcurrency', 'GetProvisionedConcurrencyConfig', { functionName, qualifier });
    },

    deleteProvisionedConcurrencyConfig(functionName, qualifier = '') {
      return unary('ProvisionedConcurrency', 'DeleteProvisionedConcurrencyConfig', { functionName, qualifier });
    },

    async listNodes() {
      const response = await unary<object, ListNodesResponseMessage>('Nodes', 'ListNodes', {});
      return response.nodes;
    },

    async getLogs(query) {
      const response = await unary<object, GetLogsResponseMessage>('Logs', 'GetLogs', {
        functionName: query.functionName,
        startTimeMs: query.startTimeMs ?? 0,
        endTimeMs: query.endTimeMs ?? 0,
        limit: query.limit ?? 0,
        requestId: query.requestId ?? '',
        eventsOnly: query.eventsOnly ?? false,
      });
      return response.events;
    },

    tailLogs(query, onEvent) {
      if (closed) throw new StratusError('UNAVAILABLE', `the client for ${endpoint} is closed`);
      const definition = api.services.Logs.service['TailLogs'] as grpc.MethodDefinition<TailLogsRequestMessage, LogEventMessage>;
      const tail = startLogTail(channels[next++ % channels.length] as grpc.Client, definition, query, onEvent, { endpoint, metadata: metadata(), sentApiKey: apiKey !== undefined });
      tails.add(tail);
      void tail.done.then(
        () => tails.delete(tail),
        () => tails.delete(tail),
      );
      return tail;
    },

    async createKey(input) {
      const response = await unary<object, CreateKeyResponseMessage>('Keys', 'CreateKey', { scopes: [...input.scopes], description: input.description ?? '' });
      if (!response.key) throw new StratusError('INTERNAL', 'CreateKey returned no key');
      return { ...response.key, secret: response.secret, apiKey: `${response.key.keyId}.${response.secret}` };
    },

    async listKeys() {
      const response = await unary<object, ListKeysResponseMessage>('Keys', 'ListKeys', {});
      return response.keys;
    },

    async revokeKey(keyId) {
      await unary('Keys', 'RevokeKey', { keyId });
    },

    putFunctionEventInvokeConfig(input) {
      return unary('AsyncInvocations', 'PutFunctionEventInvokeConfig', eventInvokeConfigRequest(input));
    },

    updateFunctionEventInvokeConfig(input) {
      return unary('AsyncInvocations', 'UpdateFunctionEventInvokeConfig', eventInvokeConfigRequest(input));
    },

    getFunctionEventInvokeConfig(functionName, qualifier = '') {
      return unary('AsyncInvocations', 'GetFunctionEventInvokeConfig', { functionName, qualifier });
    },

    async deleteFunctionEventInvokeConfig(functionName, qualifier = '') {
      await unary('AsyncInvocations', 'DeleteFunctionEventInvokeConfig', { functionName, qualifier });
    },

    async listFunctionEventInvokeConfigs(functionName) {
      const response = await unary<object, ListFunctionEventInvokeConfigsResponseMessage>('AsyncInvocations', 'ListFunctionEventInvokeConfigs', { functionName });
      return response.functionEventInvokeConfigs;
    },

    getAsyncInvocation(requestId) {
      return unary('AsyncInvocations', 'GetAsyncInvocation', { requestId }, true);
    },

    cancelAsyncInvocation(requestId) {
      return unary('AsyncInvocations', 'CancelAsyncInvocation', { requestId });
    },

    async redriveAsyncInvocations(target) {
      const response = await unary<object, RedriveAsyncInvocationsResponseMessage>('AsyncInvocations', 'RedriveAsyncInvocations', {
        requestId: target.requestId ?? '',
        functionName: target.functionName ?? '',
      });
      return response.requestIds;
    },

    async listTriggers(filter = {}) {
      const response = await unary<object, ListTriggersResponseMessage>('Triggers', 'ListTriggers', { kind: filter.kind ?? '', functionName: filter.functionName ?? '' }, true);
      return response.triggers;
    },

    createSchedule(input) {
      return unary('Schedules', 'CreateSchedule', scheduleInputMessage(input));
    },

    updateSchedule(input) {
      return unary('Schedules', 'UpdateSchedule', scheduleInputMessage(input));
    },

    getSchedule(name) {
      return unary('Schedules', 'GetSchedule', { name }, true);
    },

    async deleteSchedule(name) {
      await unary('Schedules', 'DeleteSchedule', { name });
    },

    listSchedules(query = {}) {
      return unary(
        'Schedules',
        'ListSchedules',
        { namePrefix: query.namePrefix ?? '', state: query.state ?? '', maxResults: query.maxResults ?? 0, nextToken: query.nextToken ?? '' },
        true,
      );
    },

    createEventSourceMapping(input) {
      return unary('EventSourceMappings', 'CreateEventSourceMapping', {
        functionName: input.functionName,
        eventSourceArn: input.eventSource,
        batchSize: input.batchSize ?? 0,
        maximumBatchingWindowInSeconds: input.maximumBatchingWindowInSeconds ?? 0,
        startingPosition: input.startingPosition ?? '',
        startingPositionTimestampMs: input.startingPositionTimestampMs ?? 0,
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        functionResponseTypes: input.reportBatchItemFailures === true ? ['ReportBatchItemFailures'] : [],
        ...(input.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: input.maximumRetryAttempts } : {}),
        destinationConfig: { onFailure: input.onFailure ?? '' },
      });
    },

    getEventSourceMapping(uuid) {
      return unary('EventSourceMappings', 'GetEventSourceMapping', { uuid }, true);
    },

    updateEventSourceMapping(input) {
      return unary('EventSourceMappings', 'UpdateEventSourceMapping', {
        uuid: input.uuid,
        functionName: input.functionName ?? '',
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
        ...(input.maximumBatchingWindowInSeconds !== undefined ? { maximumBatchingWindowInSeconds: input.maximumBatchingWindowInSeconds } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        functionResponseTypes: input.reportBatchItemFailures === true ? ['ReportBatchItemFailures'] : [],
        replaceFunctionResponseTypes: input.reportBatchItemFailures !== undefined,
        ...(input.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: input.maximumRetryAttempts } : {}),
        destinationConfig: input.onFailure !== undefined ? { onFailure: input.onFailure } : null,
      });
    },

    deleteEventSourceMapping(uuid) {
      return unary('EventSourceMappings', 'DeleteEventSourceMapping', { uuid });
    },

    async listEventSourceMappings(filter = {}) {
      const mappings: EventSourceMappingConfigurationMessage[] = [];
      let marker = '';
      do {
        const page = await unary<object, ListEventSourceMappingsResponseMessage>(
          'EventSourceMappings',
          'ListEventSourceMappings',
          { functionName: filter.functionName ?? '', eventSourceArn: filter.eventSource ?? '', marker, maxItems: 0 },
          true,
        );
        mappings.push(...page.eventSourceMappings);
        marker = page.nextMarker;
      } while (marker !== '');
      return mappings;
    },

    async waitForReady(timeoutMs) {
      if (closed) throw new StratusError('UNAVAILABLE', `the client for ${endpoint} is closed`);
      const deadline = Date.now() + timeoutMs;
      await Promise.all(
        channels.map(
          (channel) =>
            new Promise<void>((resolve, reject) => {
              channel.waitForReady(deadline, (err) => {
                if (err) {
                  reject(new StratusError('UNAVAILABLE', `could not reach the Stratus endpoint ${endpoint} within ${timeoutMs} ms: ${err.message}`, { cause: err }));
                } else {
                  resolve();
                }
              });
            }),
        ),
      );
    },

    close() {
      if (!closed) {
        closed = true;
        for (const tail of tails) tail.cancel();
        for (const channel of channels) channel.close();
      }
      return Promise.resolve();
    },
  };
}

/** A schedule as `createSchedule`/`updateSchedule` take it: only `name`, `scheduleExpression` and `target.functionName` are needed. */
export type ScheduleInputArgs = { readonly name: string; readonly scheduleExpression: string; readonly target: { readonly functionName: string; readonly qualifier?: string; readonly input?: string } } & Partial<
  Omit<ScheduleInputMessage, 'name' | 'scheduleExpression' | 'target'>
>;

function scheduleInputMessage(input: ScheduleInputArgs): ScheduleInputMessage {
  return {
    name: input.name,
    scheduleExpression: input.scheduleExpression,
    scheduleExpressionTimezone: input.scheduleExpressionTimezone ?? '',
    startDateMs: input.startDateMs ?? 0,
    endDateMs: input.endDateMs ?? 0,
    state: input.state ?? '',
    description: input.description ?? '',
    flexibleTimeWindow: input.flexibleTimeWindow ?? null,
    target: { functionName: input.target.functionName, qualifier: input.target.qualifier ?? '', input: input.target.input ?? '' },
    actionAfterCompletion: input.actionAfterCompletion ?? '',
  };
}

function eventInvokeConfigRequest(input: EventInvokeConfigInput): object {
  const target = (destination: string | undefined): { destination: string } | null => (destination === undefined ? null : { destination });
  return {
    functionName: input.functionName,
    qualifier: input.qualifier ?? '',
    ...(input.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: input.maximumRetryAttempts } : {}),
    ...(input.maximumEventAgeInSeconds !== undefined ? { maximumEventAgeInSeconds: input.maximumEventAgeInSeconds } : {}),
    ...(input.recursiveLoop !== undefined ? { recursiveLoop: input.recursiveLoop } : {}),
    destinationConfig:
      input.onSuccess === undefined && input.onFailure === undefined ? null : { onSuccess: target(input.onSuccess), onFailure: target(input.onFailure) },
  };
}

function loggingMessage(logging: LoggingInput): { logFormat: string; applicationLogLevel: string; systemLogLevel: string; logGroup: string } {
  return {
    logFormat: logging.logFormat ?? '',
    applicationLogLevel: logging.applicationLogLevel ?? '',
    systemLogLevel: logging.systemLogLevel ?? '',
    logGroup: logging.logGroup ?? '',
  };
}

function egressMessage(egress: EgressInput): { mode: string; allow: string[] } {
  return { mode: egress.mode ?? '', allow: [...(egress.allow ?? [])] };
}
