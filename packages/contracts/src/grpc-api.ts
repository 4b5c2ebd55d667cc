import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { strictRequestSerializers } from './grpc-integers.js';

/**
 * The gRPC API, loaded from `proto/` (the single source of truth). Messages
 * appear with camelCase fields, 64-bit integers as numbers, enums as their
 * names and bytes as Buffers; `grpc-messages.ts` names the types generated
 * for that shape. `scripts/gen-proto-types.mjs` reads PROTO_LOADER_OPTIONS to
 * generate them, so a change here shows up as stale types in `npm run lint`.
 */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));
export const PROTO_FILES = ['stratus/v1/functions.proto', 'stratus/v1/invoke.proto', 'stratus/v1/cluster.proto', 'stratus/v1/logs.proto', 'stratus/v1/keys.proto', 'stratus/v1/versions.proto', 'stratus/v1/async.proto', 'stratus/v1/triggers.proto', 'stratus/v1/schedules.proto', 'stratus/v1/objects.proto', 'stratus/v1/event_source_mappings.proto'] as const;
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
    readonly Keys: grpc.ServiceClientConstructor;
    readonly Versions: grpc.ServiceClientConstructor;
    readonly AsyncInvocations: grpc.ServiceClientConstructor;
    readonly Triggers: grpc.ServiceClientConstructor;
    readonly Schedules: grpc.ServiceClientConstructor;
    readonly Objects: grpc.ServiceClientConstructor;
    readonly EventSourceMappings: grpc.ServiceClientConstructor;
  };
}

let cached: StratusApi | undefined;

export function loadStratusApi(): StratusApi {
  if (cached) return cached;
  const packageDefinition = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  // Before the client constructors capture the serializers.
  strictRequestSerializers(packageDefinition);
  const root = grpc.loadPackageDefinition(packageDefinition);
  const v1 = (root['stratus'] as grpc.GrpcObject | undefined)?.['v1'] as grpc.GrpcObject | undefined;
  const service = (name: string): grpc.ServiceClientConstructor => {
    const ctor = v1?.[name];
    if (typeof ctor !== 'function') throw new Error(`service ${PROTO_PACKAGE}.${name} missing from ${PROTO_ROOT}`);
    return ctor;
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
      Keys: service('Keys'),
      Versions: service('Versions'),
      AsyncInvocations: service('AsyncInvocations'),
      Triggers: service('Triggers'),
      Schedules: service('Schedules'),
      Objects: service('Objects'),
      EventSourceMappings: service('EventSourceMappings'),
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
