import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The gRPC API, loaded from `proto/` (the single source of truth). Messages
 * appear with camelCase fields, 64-bit integers as numbers, enums as their
 * names and bytes as Buffers; the interfaces below describe that shape.
 */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));
export const PROTO_FILES = ['stratus/v1/functions.proto', 'stratus/v1/invoke.proto', 'stratus/v1/cluster.proto', 'stratus/v1/logs.proto'] as const;
export const PROTO_PACKAGE = 'stratus.v1';

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

export interface StratusApi {
  readonly packageDefinition: protoLoader.PackageDefinition;
  readonly services: {
    readonly Functions: grpc.ServiceClientConstructor;
    readonly Invoker: grpc.ServiceClientConstructor;
    readonly Usage: grpc.ServiceClientConstructor;
    readonly Nodes: grpc.ServiceClientConstructor;
    readonly Logs: grpc.ServiceClientConstructor;
    readonly Concurrency: grpc.ServiceClientConstructor;
    readonly ProvisionedConcurrency: grpc.ServiceClientConstructor;
  };
}

let cached: StratusApi | undefined;

export function loadStratusApi(): StratusApi {
  if (cached) return cached;
  const packageDefinition = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(packageDefinition);
  const v1 = (root['stratus'] as grpc.GrpcObject | undefined)?.['v1'] as grpc.GrpcObject | undefined;
  const service = (name: string): grpc.ServiceClientConstructor => {
    const ctor = v1?.[name];
    if (typeof ctor !== 'function') throw new Error(`service ${PROTO_PACKAGE}.${name} missing from ${PROTO_ROOT}`);
    return ctor as grpc.ServiceClientConstructor;
  };
  cached = {
    packageDefinition,
    services: {
      Functions: service('Functions'),
      Invoker: service('Invoker'),
      Usage: service('Usage'),
      Nodes: service('Nodes'),
      Logs: service('Logs'),
      Concurrency: service('Concurrency'),
      ProvisionedConcurrency: service('ProvisionedConcurrency'),
    },
  };
  return cached;
}

/** Trailing-metadata keys that carry a Stratus error across gRPC. */
export const GRPC_ERROR_METADATA = {
  code: 'stratus-error-code',
  retryable: 'stratus-retryable',
  details: 'stratus-error-details',
} as const;

export interface FunctionCodeMessage {
  zipFile: Buffer;
}

export interface CreateFunctionRequestMessage {
  functionName: string;
  handler: string;
  memorySizeMb: number;
  timeoutSec: number;
  environment: Record<string, string>;
  description: string;
  code: FunctionCodeMessage | null;
  runtime: string;
}

export interface UpdateFunctionRequestMessage {
  functionName: string;
  handler?: string;
  memorySizeMb?: number;
  timeoutSec?: number;
  environment: Record<string, string>;
  replaceEnvironment: boolean;
  description?: string;
  code: FunctionCodeMessage | null;
}

export interface FunctionConfigurationMessage {
  functionName: string;
  functionArn: string;
  runtime: string;
  handler: string;
  memorySizeMb: number;
  timeoutSec: number;
  environment: Record<string, string>;
  description: string;
  codeSha256: string;
  codeSize: number;
  version: string;
  lastModified: string;
  revision: number;
  hasReservedConcurrency: boolean;
  reservedConcurrency: number;
}

export interface GetFunctionRequestMessage {
  functionName: string;
}
export type DeleteFunctionRequestMessage = GetFunctionRequestMessage;

export interface ListFunctionsResponseMessage {
  functions: FunctionConfigurationMessage[];
}

export type InvocationTypeName = 'REQUEST_RESPONSE' | 'EVENT' | 'DRY_RUN';
export type LogTypeName = 'NONE' | 'TAIL';

export interface InvokeRequestMessage {
  functionName: string;
  qualifier: string;
  payload: Buffer;
  invocationType: InvocationTypeName;
  logType: LogTypeName;
}

export interface InvokeResponseMessage {
  statusCode: number;
  payload: Buffer;
  functionError: string;
  executedVersion: string;
  logResult: string;
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs: number;
  coldStart: boolean;
  nodeId: string;
  report: string;
}

export interface GetUsageRequestMessage {
  functionName: string;
  startTimeMs: number;
  endTimeMs: number;
}

export interface FunctionUsageMessage {
  functionName: string;
  requests: number;
  billedMs: number;
  durationMs: number;
  gbSeconds: number;
  costUsd: number;
  errors: number;
  coldStarts: number;
}

export interface GetUsageResponseMessage {
  functions: FunctionUsageMessage[];
  total: FunctionUsageMessage | null;
  appliedThroughSequence: number;
}

export interface WarmFunctionMessage {
  functionName: string;
  version: string;
  idle: number;
  busy: number;
}

export interface NodeStatusMessage {
  nodeId: string;
  host: string;
  pid: number;
  memoryBudgetMb: number;
  memoryUsedMb: number;
  maxInFlight: number;
  inFlight: number;
  warmIsolates: number;
  functions: WarmFunctionMessage[];
  registeredAtMs: number;
  lastHeartbeatMs: number;
  state: string;
}

export interface ListNodesResponseMessage {
  nodes: NodeStatusMessage[];
}

export interface PutFunctionConcurrencyRequestMessage {
  functionName: string;
  reservedConcurrentExecutions: number;
}

export interface GetFunctionConcurrencyRequestMessage {
  functionName: string;
}

export interface FunctionConcurrencyMessage {
  functionName: string;
  hasReservation: boolean;
  reservedConcurrentExecutions: number;
  inFlight: number;
}

export interface AccountConcurrencyMessage {
  concurrentExecutionsLimit: number;
  unreservedConcurrentExecutions: number;
  inFlight: number;
  frontends: number;
  functions: FunctionConcurrencyMessage[];
}

export interface GetLogsRequestMessage {
  functionName: string;
  startTimeMs: number;
  endTimeMs: number;
  limit: number;
  requestId: string;
}

export interface LogEventMessage {
  requestId: string;
  functionName: string;
  version: string;
  nodeId: string;
  timestampMs: number;
  message: string;
}

export interface GetLogsResponseMessage {
  events: LogEventMessage[];
}

export interface TailLogsRequestMessage {
  functionName: string;
  /** Absent when the client left it unset (proto3 `optional`). */
  limit?: number;
}

export interface PutProvisionedConcurrencyConfigRequestMessage {
  functionName: string;
  qualifier: string;
  provisionedConcurrentExecutions: number;
}

export interface GetProvisionedConcurrencyConfigRequestMessage {
  functionName: string;
  qualifier: string;
}

export type ProvisionedConcurrencyStatus = 'NONE' | 'IN_PROGRESS' | 'READY';

export interface ProvisionedConcurrencyConfigMessage {
  functionName: string;
  requestedProvisionedConcurrentExecutions: number;
  allocatedProvisionedConcurrentExecutions: number;
  availableProvisionedConcurrentExecutions: number;
  status: ProvisionedConcurrencyStatus;
}
