import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { errorCodeInfo, toStratusError } from '@stratus/errors';
import { GRPC_ERROR_METADATA } from '@stratus/contracts/grpc';

/**
 * Turns anything a handler threw into a gRPC error whose status comes from
 * the error table and whose trailing metadata carries the stable Stratus code.
 * Internal errors are logged with their stack; clients get the message only.
 */
export function toGrpcError(err: unknown, log: Logger): Partial<grpc.ServiceError> {
  const error = toStratusError(err);
  if (error.code === 'INTERNAL') log.error({ err }, 'internal error');
  const metadata = new grpc.Metadata();
  metadata.set(GRPC_ERROR_METADATA.code, error.code);
  metadata.set(GRPC_ERROR_METADATA.retryable, String(error.retryable));
  if (Object.keys(error.details).length > 0) metadata.set(GRPC_ERROR_METADATA.details, JSON.stringify(error.details));
  return { code: errorCodeInfo(error.code).grpcStatus, details: error.message, metadata };
}

/** Adapts an async function to a grpc-js unary handler. */
export function unary<Req, Res>(
  log: Logger,
  handler: (request: Req) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toGrpcError(err, log)),
    );
  };
}
