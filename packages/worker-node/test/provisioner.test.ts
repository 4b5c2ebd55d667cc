import { describe, expect, it } from 'vitest';
import type { StoredAlias, StoredFunction } from '@stratus/contracts';
import { provisionedCounts } from '../src/provisioner.js';

function fn(version: string, provisionedConcurrency?: number): StoredFunction {
  return {
    name: 'shop',
    version,
    handler: 'index.handler',
    memoryMb: 128,
    timeoutSec: 3,
    ephemeralStorageMb: 512,
    environment: {},
    description: '',
    egress: { mode: 'public', allow: [] },
    logging: { logFormat: 'Text' },
    tags: {},
    runtime: 'nodejs20.x',
    codeSha256: 'a'.repeat(64),
    codeSize: 10,
    lastModified: new Date(0).toISOString(),
    ...(provisionedConcurrency !== undefined ? { provisionedConcurrency } : {}),
  };
}

function alias(functionVersion: string, provisionedConcurrency: number, additionalVersionWeights: Record<string, number> = {}): StoredAlias {
  return { functionName: 'shop', name: 'live', functionVersion, description: '', additionalVersionWeights, provisionedConcurrency };
}

describe('provisioned concurrency by version', () => {
  const versions = new Map([['1', fn('1', 2)], ['2', fn('2')]]);
  const versionOf = (_name: string, version: string): StoredFunction | undefined => versions.get(version);
  const counts = (aliases: StoredAlias[], latest = fn('$LATEST', 1)): Record<string, number> =>
    Object.fromEntries(provisionedCounts([latest], versions.values(), aliases, versionOf).map(({ fn: v, count }) => [v.version, count]));

  it('keeps $LATEST\'s and each version\'s own, and adds an alias\'s to its version', () => {
    expect(counts([])).toEqual({ $LATEST: 1, '1': 2 });
    expect(counts([alias('1', 3)])).toEqual({ $LATEST: 1, '1': 5 });
  });

  it('splits an alias\'s between its versions by weight', () => {
    expect(counts([alias('1', 10, { '2': 0.3 })])).toEqual({ $LATEST: 1, '1': 9, '2': 3 });
  });

  it('provisions nothing for an alias of $LATEST or of a version that is gone', () => {
    expect(counts([alias('$LATEST', 4)], fn('$LATEST'))).toEqual({ '1': 2 });
    expect(counts([alias('9', 4)], fn('$LATEST'))).toEqual({ '1': 2 });
  });
});
