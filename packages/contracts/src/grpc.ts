// `@stratus/contracts/grpc`: the gRPC API from `proto/`. Kept apart from the
// package root because loading it loads grpc-js and protobufjs, which the
// packages below the frontend and the client must never pull in.
export { loadStratusApi, PROTO_ROOT, PROTO_FILES, PROTO_PACKAGE, PROTO_LOADER_OPTIONS, GRPC_ERROR_METADATA } from './grpc-api.js';
export type { StratusApi } from './grpc-api.js';
export type * from './grpc-messages.js';
export type * from './grpc-object-messages.js';
export { checkIntegerFields, requestTypeName } from './grpc-integers.js';
