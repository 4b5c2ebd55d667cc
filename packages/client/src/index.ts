export { createStratusClient, DEFAULT_ENDPOINT, MESSAGE_MAX_BYTES } from './stratus-client.js';
export type {
  StratusClient,
  StratusClientOptions,
  CreateFunctionInput,
  UpdateFunctionInput,
  InvokeInput,
  InvokeResult,
  UsageQueryInput,
} from './stratus-client.js';
export type { LogsQueryInput, TailLogsInput, LogTail } from './log-tail.js';
