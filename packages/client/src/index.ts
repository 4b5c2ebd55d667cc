export { createStratusClient, DEFAULT_ENDPOINT, MESSAGE_MAX_BYTES } from './stratus-client.js';
export type {
  StratusClient,
  StratusClientOptions,
  CreateFunctionInput,
  UpdateFunctionInput,
  EgressInput,
  LoggingInput,
  InvokeInput,
  InvokeResult,
  UsageQueryInput,
  CreateKeyInput,
  CreatedKey,
  PublishVersionInput,
  PageInput,
  AliasInput,
  EventInvokeConfigInput,
  ScheduleInputArgs,
  CreateEventSourceMappingInput,
  UpdateEventSourceMappingInput,
} from './stratus-client.js';
export { resolveApiKey, API_KEY_ENV, ADMIN_KEY_FILE } from './api-key.js';
export { invokeWithRetries } from './retry.js';
export type { RetryOptions } from './retry.js';
export type { ResolveApiKeyOptions } from './api-key.js';
export type { LogsQueryInput, TailLogsInput, LogTail } from './log-tail.js';
export { resolveClientTls, TLS_ENV } from './tls.js';
export type { ClientTls } from './tls.js';
export { createObjectsClient, PUT_CHUNK_BYTES } from './objects-client.js';
export type { ObjectsClient, PutObjectInput, ListObjectsInput } from './objects-client.js';
