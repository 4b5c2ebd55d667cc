import type { StoredFunction } from '@stratus/contracts';

/** A function definition as etcd stores it, for tests that need one without deploying code: 128 MB, 3 s, `index.handler`. */
export function storedFunction(name: string, overrides: Partial<StoredFunction> = {}): StoredFunction {
  return {
    name,
    version: '$LATEST',
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
    ...overrides,
  };
}
