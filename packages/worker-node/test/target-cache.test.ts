import { describe, expect, it } from 'vitest';
import { invocationTargetOf } from '@stratus/contracts';
import { TargetCache } from '../src/target-cache.js';

const target = (name: string) =>
  invocationTargetOf({ name, version: '$LATEST', codeSha256: 'a'.repeat(64), handler: 'index.handler', memoryMb: 128, timeoutSec: 3, ephemeralStorageMb: 512, environment: {}, egress: { mode: 'public', allow: [] }, logging: { logFormat: 'Text' } });

describe('TargetCache', () => {
  it('finds a target by its digest', () => {
    const cache = new TargetCache();
    const hello = target('hello');
    cache.add(hello);
    expect(cache.get(hello.digest)).toBe(hello);
    expect(cache.get(target('other').digest)).toBeUndefined();
  });

  it('keeps at most its bound, dropping the oldest first', () => {
    const cache = new TargetCache(2);
    const [a, b, c] = [target('a'), target('b'), target('c')];
    cache.add(a);
    cache.add(b);
    cache.add(a);
    cache.add(c);
    expect(cache.size).toBe(2);
    expect(cache.get(a.digest)).toBeUndefined();
    expect(cache.get(b.digest)).toBe(b);
    expect(cache.get(c.digest)).toBe(c);
  });
});
