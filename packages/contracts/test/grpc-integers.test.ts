import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { loadStratusApi } from '../src/grpc-api.js';

function serializeError(service: 'Functions' | 'Usage' | 'Concurrency', method: string, message: object): string | undefined {
  const definition = loadStratusApi().services[service].service[method];
  if (!definition) throw new Error(`no ${service}.${method}`);
  try {
    definition.requestSerialize(message);
    return undefined;
  } catch (err) {
    if (hasCode(err, 'INVALID_ARGUMENT')) return err.message;
    throw err;
  }
}

describe('requests made from the loaded API', () => {
  it('refuse a fraction in an integer field instead of sending it truncated', () => {
    expect(serializeError('Functions', 'CreateFunction', { functionName: 'f', memorySizeMb: 128.5 })).toBe('memorySizeMb must be a whole number from 0 to 4294967295, got 128.5');
    expect(serializeError('Functions', 'UpdateFunction', { functionName: 'f', timeoutSec: 2.5 })).toMatch(/^timeoutSec must be a whole number/);
    expect(serializeError('Usage', 'GetUsage', { startTimeMs: 2.5 })).toMatch(/^startTimeMs must be a whole number/);
  });

  it('refuse a negative number in an unsigned field instead of sending it wrapped around', () => {
    expect(serializeError('Concurrency', 'PutFunctionConcurrency', { functionName: 'f', reservedConcurrentExecutions: -1 })).toMatch(/from 0 to 4294967295, got -1/);
    expect(serializeError('Functions', 'CreateFunction', { functionName: 'f', memorySizeMb: 2 ** 32 })).toMatch(/got 4294967296/);
  });

  it('send whole numbers in range as they are', () => {
    expect(serializeError('Functions', 'CreateFunction', { functionName: 'f', memorySizeMb: 256, timeoutSec: 3 })).toBeUndefined();
    const definition = loadStratusApi().services.Functions.service['CreateFunction'];
    const bytes = definition?.requestSerialize({ functionName: 'f', memorySizeMb: 256 });
    expect((definition?.requestDeserialize(bytes as Buffer) as { memorySizeMb: number }).memorySizeMb).toBe(256);
  });
});
