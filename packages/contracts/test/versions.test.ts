import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import {
  compareVersions,
  createNamespace,
  pageAfter,
  parseOrThrow,
  parseQualifier,
  pickAliasVersion,
  qualifiedFunctionArn,
  sameCodeAndConfiguration,
  storedAliasSchema,
  versionSnapshotOf,
  type StoredFunction,
} from '../src/index.js';

const latest: StoredFunction = {
  name: 'shop',
  version: '$LATEST',
  handler: 'index.handler',
  memoryMb: 128,
  timeoutSec: 3,
  ephemeralStorageMb: 512,
  environment: { A: '1' },
  description: 'the shop',
  egress: { mode: 'public', allow: [] },
  logging: { logFormat: 'Text' },
  tags: {},
  runtime: 'nodejs20.x',
  codeSha256: 'a'.repeat(64),
  codeSize: 10,
  lastModified: new Date(0).toISOString(),
  reservedConcurrency: 5,
  provisionedConcurrency: 2,
};

function invalid(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(hasCode(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('qualifiers', () => {
  it('reads $LATEST, versions and aliases, and refuses what could reach another key', () => {
    expect(parseQualifier('')).toEqual({ kind: 'latest' });
    expect(parseQualifier('$LATEST')).toEqual({ kind: 'latest' });
    expect(parseQualifier('12')).toEqual({ kind: 'version', version: '12' });
    expect(parseQualifier('prod-2_b')).toEqual({ kind: 'alias', alias: 'prod-2_b' });
    invalid(() => parseQualifier('012'), /qualifier: must be a version number/);
    invalid(() => parseQualifier('0'), /qualifier: must be a version number/);
    invalid(() => parseQualifier('prod/../x'), /letters, digits, hyphens and underscores/);
    invalid(() => parseQualifier('$latest'), /letters, digits/);
    invalid(() => parseQualifier('a'.repeat(129)), /at most 128/);
  });

  it('names versions and aliases in ARNs as Lambda does', () => {
    expect(qualifiedFunctionArn('shop', '3')).toBe('arn:aws:lambda:local:000000000000:function:shop:3');
    expect(qualifiedFunctionArn('shop', '')).toBe('arn:aws:lambda:local:000000000000:function:shop');
  });
});

describe('aliases', () => {
  const alias = (fields: Record<string, unknown>) => parseOrThrow(storedAliasSchema, { functionName: 'shop', name: 'prod', functionVersion: '1', ...fields }, 'alias');

  it('accepts one additional version with a weight from 0 to 1', () => {
    expect(alias({ additionalVersionWeights: { '2': 0 } }).additionalVersionWeights).toEqual({ '2': 0 });
    expect(alias({ additionalVersionWeights: { '2': 1 } }).additionalVersionWeights).toEqual({ '2': 1 });
    expect(alias({ functionVersion: '$LATEST' }).functionVersion).toBe('$LATEST');
  });

  it('refuses what Lambda refuses, naming the field', () => {
    invalid(() => alias({ name: '42' }), /name: must not be all digits/);
    invalid(() => alias({ functionVersion: 'prod' }), /functionVersion: must be \$LATEST or a version number/);
    invalid(() => alias({ additionalVersionWeights: { '2': -0.1 } }), /additionalVersionWeights.2: must be from 0 to 1/);
    invalid(() => alias({ additionalVersionWeights: { '2': 0.1, '3': 0.1 } }), /at most 1 additional version/);
    invalid(() => alias({ additionalVersionWeights: { $LATEST: 0.1 } }), /not \$LATEST/);
    invalid(() => alias({ additionalVersionWeights: { '1': 0.1 } }), /must differ from the alias's own version/);
    invalid(() => alias({ functionVersion: '$LATEST', additionalVersionWeights: { '2': 0.1 } }), /functionVersion: an alias with routing must point at a published version/);
    invalid(() => alias({ description: 'x'.repeat(257) }), /description: must be at most 256/);
  });

  it('routes the weight\'s share of draws to the additional version', () => {
    const routed = { functionVersion: '1', additionalVersionWeights: { '2': 0.25 } };
    expect(pickAliasVersion(routed, 0)).toBe('2');
    expect(pickAliasVersion(routed, 0.2499)).toBe('2');
    expect(pickAliasVersion(routed, 0.25)).toBe('1');
    expect(pickAliasVersion(routed, 0.9999)).toBe('1');
    expect(pickAliasVersion({ functionVersion: '1', additionalVersionWeights: { '2': 0 } }, 0)).toBe('1');
    expect(pickAliasVersion({ functionVersion: '1', additionalVersionWeights: {} }, 0)).toBe('1');
  });
});

describe('version snapshots', () => {
  it('take $LATEST under the new number, without the function\'s concurrency settings', () => {
    const snapshot = versionSnapshotOf(latest, '4', undefined, new Date(1000));
    expect(snapshot).toMatchObject({ version: '4', description: 'the shop', codeSha256: latest.codeSha256, environment: { A: '1' } });
    expect(snapshot.reservedConcurrency).toBeUndefined();
    expect(snapshot.provisionedConcurrency).toBeUndefined();
    expect(versionSnapshotOf(latest, '4', 'hotfix', new Date(1000)).description).toBe('hotfix');
  });

  it('leave the function its URLs, its own and its aliases\'', () => {
    const url = { authType: 'NONE' as const, urlId: 'a'.repeat(32), createdAt: 'x', lastModifiedAt: 'x' };
    const snapshot = versionSnapshotOf({ ...latest, url, aliasUrls: { prod: url } }, '4', undefined, new Date(1000));
    expect(snapshot).not.toHaveProperty('url');
    expect(snapshot).not.toHaveProperty('aliasUrls');
  });

  it('count as unchanged when code and configuration are, whatever the description', () => {
    const snapshot = versionSnapshotOf(latest, '1', 'first', new Date(1000));
    expect(sameCodeAndConfiguration(snapshot, { ...latest, description: 'changed' })).toBe(true);
    expect(sameCodeAndConfiguration(snapshot, { ...latest, environment: { A: '2' } })).toBe(false);
    expect(sameCodeAndConfiguration(snapshot, { ...latest, codeSha256: 'b'.repeat(64) })).toBe(false);
    expect(sameCodeAndConfiguration(snapshot, { ...latest, memoryMb: 256 })).toBe(false);
  });
});

describe('lists', () => {
  const versions = ['$LATEST', '1', '2', '10'];

  it('order $LATEST first, then by number', () => {
    expect(['10', '2', '$LATEST', '1'].sort(compareVersions)).toEqual(versions);
  });

  it('page after a marker that stays valid when items before it go', () => {
    const first = pageAfter(versions, (v) => v, compareVersions, '', 2);
    expect(first).toEqual({ items: ['$LATEST', '1'], nextMarker: '1' });
    expect(pageAfter(versions, (v) => v, compareVersions, '1', 2)).toEqual({ items: ['2', '10'], nextMarker: undefined });
    expect(pageAfter(['$LATEST', '2', '10'], (v) => v, compareVersions, '1', 2).items).toEqual(['2', '10']);
    expect(pageAfter(versions, (v) => v, compareVersions, '10', 2)).toEqual({ items: [], nextMarker: undefined });
    expect(pageAfter(versions, (v) => v, compareVersions, '', 0).items).toEqual(versions);
    invalid(() => pageAfter(versions, (v) => v, compareVersions, '', 10_001), /maxItems must be a whole number from 1 to 10000/);
  });
});

describe('keys', () => {
  it('keep one function\'s versions and aliases apart from another\'s with a longer name', () => {
    const keys = createNamespace('t').keys;
    expect(keys.version('fn2', '1').startsWith(keys.functionVersionsPrefix('fn'))).toBe(false);
    expect(keys.alias('fn2', 'a').startsWith(keys.functionAliasesPrefix('fn'))).toBe(false);
    expect(keys.version('fn', '1').startsWith(keys.versionsPrefix())).toBe(true);
    expect(keys.version('fn', '1').startsWith(keys.functionsPrefix())).toBe(false);
  });
});
