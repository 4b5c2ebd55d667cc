export { ERROR_CODES, GrpcStatus, errorCodeInfo, isErrorCode } from './codes.js';
export type { ErrorCode, ErrorCodeInfo, GrpcStatusCode } from './codes.js';
export { StratusError, hasCode, parseWireError, toStratusError } from './stratus-error.js';
export type { StratusErrorOptions, WireError } from './stratus-error.js';
