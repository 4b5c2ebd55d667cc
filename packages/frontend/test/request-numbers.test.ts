import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { checkNumbers, numericRules, requestTypesOf } from '../src/request-numbers.js';

const INTEGER_TYPES = new Set(['TYPE_INT32', 'TYPE_UINT32', 'TYPE_INT64', 'TYPE_UINT64', 'TYPE_SINT32', 'TYPE_SINT64', 'TYPE_FIXED32', 'TYPE_FIXED64', 'TYPE_SFIXED32', 'TYPE_SFIXED64']);

function refusal(rules: Parameters<typeof checkNumbers>[0], message: object): string {
  try {
    checkNumbers(rules, message);
  } catch (err) {
    if (hasCode(err, 'INVALID_ARGUMENT')) return err.message;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(message)}`);
}

describe('numeric request fields', () => {
  const rules = numericRules(1000);

  it('has a rule for every integer field of every request of every RPC', () => {
    const api = loadStratusApi();
    const types = requestTypesOf(api);
    const methodCount = Object.values(api.services).reduce((sum, ctor) => sum + Object.keys(ctor.service).length, 0);
    expect(types.size).toBe(methodCount);
    const missing: string[] = [];
    for (const typeName of new Set(types.values())) {
      const definition = api.packageDefinition[typeName] as { type: { field: Array<{ name: string; type: string }> } };
      for (const field of definition.type.field) {
        if (INTEGER_TYPES.has(field.type) && rules[typeName]?.[field.name] === undefined) missing.push(`${typeName}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each([
    ['stratus.v1.CreateFunctionRequest', { memorySizeMb: 64 }, 'memorySizeMb must be a whole number from 128 to 10240 MB, or 0 for the default, 128 MB; got 64'],
    ['stratus.v1.CreateFunctionRequest', { memorySizeMb: 4294967295 }, 'memorySizeMb must be a whole number from 128 to 10240 MB'],
    ['stratus.v1.CreateFunctionRequest', { timeoutSec: 901 }, 'timeoutSec must be a whole number from 1 to 900 s'],
    ['stratus.v1.UpdateFunctionRequest', { memorySizeMb: 0 }, 'memorySizeMb must be a whole number from 128 to 10240 MB; got 0'],
    ['stratus.v1.UpdateFunctionRequest', { timeoutSec: 2.5 }, 'timeoutSec must be a whole number from 1 to 900 s; got 2.5'],
    ['stratus.v1.PutFunctionConcurrencyRequest', { reservedConcurrentExecutions: 4294967295 }, 'reservedConcurrentExecutions must be a whole number from 0 to 900'],
    ['stratus.v1.PutProvisionedConcurrencyConfigRequest', { provisionedConcurrentExecutions: 0 }, 'provisionedConcurrentExecutions must be a whole number from 1 to 900'],
    ['stratus.v1.GetUsageRequest', { startTimeMs: -5 }, 'startTimeMs must be a whole number from 1 to 8640000000000000 ms since the epoch, or 0 for unbounded; got -5'],
    ['stratus.v1.GetUsageRequest', { startTimeMs: 2000, endTimeMs: 1000 }, 'endTimeMs (1000) must be after startTimeMs (2000)'],
    ['stratus.v1.GetLogsRequest', { limit: 10_001 }, 'limit must be a whole number from 1 to 10000, or 0 for the default, 100; got 10001'],
    ['stratus.v1.GetLogsRequest', { endTimeMs: 9e15 }, 'endTimeMs must be a whole number from 1 to 8640000000000000'],
    ['stratus.v1.TailLogsRequest', { limit: 10_001 }, 'limit must be a whole number from 0 to 10000'],
  ])('%s refuses %j, naming the field and its range', (typeName, message, expected) => {
    expect(refusal(rules[typeName] ?? {}, message)).toContain(expected);
  });

  it('accepts values in range, 0 where it means a default, and absent optional fields', () => {
    expect(() => checkNumbers(rules['stratus.v1.CreateFunctionRequest'] ?? {}, { memorySizeMb: 0, timeoutSec: 0 })).not.toThrow();
    expect(() => checkNumbers(rules['stratus.v1.CreateFunctionRequest'] ?? {}, { memorySizeMb: 10240, timeoutSec: 900 })).not.toThrow();
    expect(() => checkNumbers(rules['stratus.v1.UpdateFunctionRequest'] ?? {}, { functionName: 'f' })).not.toThrow();
    expect(() => checkNumbers(rules['stratus.v1.GetUsageRequest'] ?? {}, { startTimeMs: 1000, endTimeMs: 0 })).not.toThrow();
  });
});
