/**
 * The one table of Stratus error codes. Every error that crosses a process
 * boundary carries one of these codes; the table says how each surfaces to a
 * gRPC client, an HTTP client, and a client that speaks Lambda's API.
 *
 * gRPC status numbers are written out (rather than imported from grpc-js) so
 * this package stays at the bottom of the dependency graph.
 */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

export interface ErrorCodeInfo {
  readonly grpcStatus: GrpcStatusCode;
  readonly httpStatus: number;
  /** The exception name AWS Lambda's API uses for the same condition. */
  readonly lambdaName: string;
  /** Whether a client may retry the same request unchanged. */
  readonly retryable: boolean;
}

export const ERROR_CODES = {
  INVALID_ARGUMENT: { grpcStatus: GrpcStatus.INVALID_ARGUMENT, httpStatus: 400, lambdaName: 'InvalidParameterValueException', retryable: false },
  INVALID_PAYLOAD: { grpcStatus: GrpcStatus.INVALID_ARGUMENT, httpStatus: 400, lambdaName: 'InvalidRequestContentException', retryable: false },
  PAYLOAD_TOO_LARGE: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 413, lambdaName: 'RequestTooLargeException', retryable: false },
  INVALID_CODE: { grpcStatus: GrpcStatus.INVALID_ARGUMENT, httpStatus: 400, lambdaName: 'InvalidParameterValueException', retryable: false },
  CODE_STORAGE_EXCEEDED: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 400, lambdaName: 'CodeStorageExceededException', retryable: false },
  FUNCTION_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  FUNCTION_ALREADY_EXISTS: { grpcStatus: GrpcStatus.ALREADY_EXISTS, httpStatus: 409, lambdaName: 'ResourceConflictException', retryable: false },
  CONFLICT: { grpcStatus: GrpcStatus.ABORTED, httpStatus: 409, lambdaName: 'ResourceConflictException', retryable: true },
  UNSUPPORTED_INVOCATION_TYPE: { grpcStatus: GrpcStatus.UNIMPLEMENTED, httpStatus: 400, lambdaName: 'InvalidParameterValueException', retryable: false },
  THROTTLED: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 429, lambdaName: 'TooManyRequestsException', retryable: true },
  NO_CAPACITY: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 503, lambdaName: 'ServiceException', retryable: true },
  NODE_UNAVAILABLE: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 503, lambdaName: 'ServiceException', retryable: true },
  CODE_UNAVAILABLE: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 502, lambdaName: 'ServiceException', retryable: true },
  INVOCATION_TIMEOUT: { grpcStatus: GrpcStatus.DEADLINE_EXCEEDED, httpStatus: 504, lambdaName: 'ServiceException', retryable: false },
  INVOCATION_LOST: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 502, lambdaName: 'ServiceException', retryable: false },
  SHUTTING_DOWN: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 503, lambdaName: 'ServiceException', retryable: true },
  UNAVAILABLE: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 503, lambdaName: 'ServiceException', retryable: true },
  UNAUTHENTICATED: { grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 403, lambdaName: 'UnrecognizedClientException', retryable: false },
  MISSING_AUTHENTICATION: { grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 403, lambdaName: 'MissingAuthenticationTokenException', retryable: false },
  INCOMPLETE_SIGNATURE: { grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 400, lambdaName: 'IncompleteSignatureException', retryable: false },
  INVALID_SIGNATURE: { grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 403, lambdaName: 'InvalidSignatureException', retryable: false },
  PERMISSION_DENIED: { grpcStatus: GrpcStatus.PERMISSION_DENIED, httpStatus: 403, lambdaName: 'AccessDeniedException', retryable: false },
  KEY_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  /** An alias by that name exists already. */
  ALIAS_ALREADY_EXISTS: { grpcStatus: GrpcStatus.ALREADY_EXISTS, httpStatus: 409, lambdaName: 'ResourceConflictException', retryable: false },
  /** The resource is still referenced (a version an alias points at). */
  RESOURCE_IN_USE: { grpcStatus: GrpcStatus.FAILED_PRECONDITION, httpStatus: 409, lambdaName: 'ResourceConflictException', retryable: false },
  /** A revision the request named is no longer current (Lambda's RevisionId). */
  PRECONDITION_FAILED: { grpcStatus: GrpcStatus.FAILED_PRECONDITION, httpStatus: 412, lambdaName: 'PreconditionFailedException', retryable: false },
  EVENT_INVOKE_CONFIG_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  ASYNC_INVOCATION_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  ASYNC_INVOCATION_NOT_CANCELLABLE: { grpcStatus: GrpcStatus.FAILED_PRECONDITION, httpStatus: 409, lambdaName: 'ResourceConflictException', retryable: false },
  /** No schedule by that name (EventBridge Scheduler's ResourceNotFoundException). */
  SCHEDULE_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  /** A schedule by that name exists already (EventBridge Scheduler's ConflictException). */
  SCHEDULE_ALREADY_EXISTS: { grpcStatus: GrpcStatus.ALREADY_EXISTS, httpStatus: 409, lambdaName: 'ConflictException', retryable: false },
  /** The cluster holds as many schedules as its limit allows (EventBridge Scheduler's ServiceQuotaExceededException). */
  SCHEDULE_LIMIT_EXCEEDED: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 402, lambdaName: 'ServiceQuotaExceededException', retryable: false },
  /** Object store (S3's names for the same conditions). */
  BUCKET_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'NoSuchBucket', retryable: false },
  BUCKET_ALREADY_EXISTS: { grpcStatus: GrpcStatus.ALREADY_EXISTS, httpStatus: 409, lambdaName: 'BucketAlreadyExists', retryable: false },
  BUCKET_NOT_EMPTY: { grpcStatus: GrpcStatus.FAILED_PRECONDITION, httpStatus: 409, lambdaName: 'BucketNotEmpty', retryable: false },
  OBJECT_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'NoSuchKey', retryable: false },
  EVENT_SOURCE_MAPPING_NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException', retryable: false },
  INTERNAL: { grpcStatus: GrpcStatus.INTERNAL, httpStatus: 500, lambdaName: 'ServiceException', retryable: false },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  return ERROR_CODES[code];
}
