import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GrpcStatus, StratusError, hasCode, parseWireError, toStratusError } from '../src/index.js';

describe('StratusError', () => {
  it('keeps its code, retryability and details through the wire form', () => {
    const original = new StratusError('THROTTLED', 'Rate exceeded', { details: { reason: 'ConcurrentInvocationLimitExceeded' } });
    const wire = JSON.parse(JSON.stringify(original.toWire())) as unknown;
    const parsed = parseWireError(wire);
    expect(parsed).toEqual({ code: 'THROTTLED', message: 'Rate exceeded', retryable: true, details: { reason: 'ConcurrentInvocationLimitExceeded' } });
    const revived = StratusError.fromWire(parsed!);
    expect(hasCode(revived, 'THROTTLED')).toBe(true);
    expect(revived.details['reason']).toBe('ConcurrentInvocationLimitExceeded');
  });

  it('is recognised by code even when class identity is lost', () => {
    const foreign = { code: 'FUNCTION_NOT_FOUND', message: 'Function not found: x' };
    expect(hasCode(foreign)).toBe(true);
    expect(hasCode(foreign, 'FUNCTION_NOT_FOUND')).toBe(true);
    expect(hasCode(foreign, 'THROTTLED')).toBe(false);
    expect(hasCode({ code: 'ENOENT' })).toBe(false);
    expect(toStratusError(foreign).code).toBe('FUNCTION_NOT_FOUND');
  });

  it('turns unknown failures into INTERNAL and keeps the cause', () => {
    const cause = new TypeError('boom');
    const wrapped = toStratusError(cause);
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(cause);
  });

  it('rejects wire values that are not errors', () => {
    expect(parseWireError({ code: 'NOPE', message: 'x' })).toBeUndefined();
    expect(parseWireError('FUNCTION_NOT_FOUND')).toBeUndefined();
    expect(parseWireError(null)).toBeUndefined();
  });
});

describe('error table', () => {
  it('maps the codes users branch on to gRPC, HTTP and Lambda names', () => {
    expect(ERROR_CODES.FUNCTION_NOT_FOUND).toMatchObject({ grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, lambdaName: 'ResourceNotFoundException' });
    expect(ERROR_CODES.THROTTLED).toMatchObject({ grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 429, lambdaName: 'TooManyRequestsException' });
    expect(ERROR_CODES.INVALID_PAYLOAD).toMatchObject({ grpcStatus: GrpcStatus.INVALID_ARGUMENT, lambdaName: 'InvalidRequestContentException' });
    expect(ERROR_CODES.NO_CAPACITY.retryable).toBe(true);
  });

  it('maps a missing or bad key and a missing scope as Lambda does', () => {
    expect(ERROR_CODES.UNAUTHENTICATED).toMatchObject({ grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 403, lambdaName: 'UnrecognizedClientException', retryable: false });
    expect(ERROR_CODES.PERMISSION_DENIED).toMatchObject({ grpcStatus: GrpcStatus.PERMISSION_DENIED, httpStatus: 403, lambdaName: 'AccessDeniedException', retryable: false });
  });
});
