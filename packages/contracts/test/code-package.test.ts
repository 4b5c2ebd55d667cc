import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { decodeCodePackage, encodeCodePackage, isPackagePath } from '../src/index.js';

const text = (data: Uint8Array): string => new TextDecoder().decode(data);

describe('code package', () => {
  it('stores a bundle without files as its script bytes, so its hash is the script hash', () => {
    const bytes = encodeCodePackage({ script: 'export const handler = () => 1;', files: [] });
    expect(text(bytes)).toBe('export const handler = () => 1;');
    expect(decodeCodePackage(bytes)).toEqual({ script: 'export const handler = () => 1;', files: [] });
  });

  it('round-trips a bundle with its files, bytes and paths intact', () => {
    const files = [
      { path: 'template.html', data: new TextEncoder().encode('<p>é</p>') },
      { path: 'data/empty.bin', data: new Uint8Array(0) },
      { path: 'data/bytes.bin', data: new Uint8Array([0, 255, 10]) },
    ];
    const decoded = decodeCodePackage(encodeCodePackage({ script: 'export {};', files }));
    expect(decoded.script).toBe('export {};');
    expect(decoded.files.map((f) => [f.path, [...f.data]])).toEqual(files.map((f) => [f.path, [...f.data]]));
  });

  it('round-trips a source map beside the script, with or without files', () => {
    const sourceMap = '{"version":3,"sources":["src/app.js"],"mappings":"AAAA"}';
    expect(decodeCodePackage(encodeCodePackage({ script: 'export {};', files: [], sourceMap }))).toEqual({ script: 'export {};', files: [], sourceMap });
    const withFiles = decodeCodePackage(encodeCodePackage({ script: 'x', files: [{ path: 'a.txt', data: new Uint8Array([7]) }], sourceMap }));
    expect(withFiles.sourceMap).toBe(sourceMap);
    expect(withFiles.files.map((f) => [f.path, [...f.data]])).toEqual([['a.txt', [7]]]);
  });

  it('refuses to write or read a path that could leave /var/task', () => {
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a//b', './a', 'a\\b', '']) {
      expect(isPackagePath(bad), bad).toBe(false);
      expect(() => encodeCodePackage({ script: '', files: [{ path: bad, data: new Uint8Array(1) }] })).toThrow('is not a relative path');
    }
    expect(isPackagePath('a/b.c/..d')).toBe(true);
  });

  it('refuses stored code whose index lies (a bad path, a length past the end, trailing bytes) with CODE_UNAVAILABLE', () => {
    const good = encodeCodePackage({ script: 'x', files: [{ path: 'a.txt', data: new Uint8Array([1, 2]) }] });
    const tamper = (from: string, to: string): Uint8Array => {
      const raw = text(good);
      return new TextEncoder().encode(raw.replace(from, to));
    };
    for (const bytes of [tamper('"a.txt"', '"../a"'), tamper('"bytes":2', '"bytes":9'), new Uint8Array([...good, 0]), good.subarray(0, 20)]) {
      let caught: unknown;
      try {
        decodeCodePackage(bytes);
      } catch (err) {
        caught = err;
      }
      expect(hasCode(caught, 'CODE_UNAVAILABLE')).toBe(true);
    }
  });
});
