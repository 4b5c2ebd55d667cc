// The isolate's Web globals that are pure code (isolate/text-encoding.ts, base64.ts, structured-clone.ts), run in
// Node and checked against Node's own implementations.
import { describe, expect, it } from 'vitest';
import { atob, btoa } from '../isolate/base64.js';
import { structuredClone } from '../isolate/structured-clone.js';
import { TextDecoder, TextEncoder } from '../isolate/text-encoding.js';

const SAMPLES = ['', 'hello', 'é and €', '😀 emoji', 'a\u0000b', 'lone \ud800 surrogate'];

describe('TextEncoder and TextDecoder inside the isolate', () => {
  it.each(SAMPLES)('encodes %j as Node does', (text) => {
    expect(Array.from(new TextEncoder().encode(text))).toEqual(Array.from(new globalThis.TextEncoder().encode(text)));
  });

  it.each(SAMPLES)('round-trips %j', (text) => {
    const bytes = new globalThis.TextEncoder().encode(text);
    expect(new TextDecoder().decode(bytes)).toBe(new globalThis.TextDecoder().decode(bytes));
  });

  it('replaces malformed bytes, or throws when fatal', () => {
    const bad = new Uint8Array([0x61, 0xff, 0xc3]);
    expect(new TextDecoder().decode(bad)).toBe(new globalThis.TextDecoder().decode(bad));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)).toThrow(TypeError);
  });

  it('skips a BOM unless asked to keep it', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    expect(new TextDecoder().decode(withBom)).toBe('a');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(withBom)).toBe('\ufeffa');
  });

  it('refuses encodings other than UTF-8, naming them', () => {
    expect(() => new TextDecoder('latin1')).toThrow('The "latin1" encoding is not supported in Stratus (only utf-8)');
  });

  it('encodes into a buffer that is too small, saying how much was written', () => {
    const dest = new Uint8Array(2);
    expect(new TextEncoder().encodeInto('abc', dest)).toEqual({ read: 3, written: 2 });
  });
});

describe('atob and btoa inside the isolate', () => {
  it.each(['', 'a', 'ab', 'abc', 'abcd', '\u00ff\u0000binary'])('round-trip %j as Node does', (text) => {
    expect(btoa(text)).toBe(globalThis.btoa(text));
    expect(atob(btoa(text))).toBe(text);
  });

  it('ignores whitespace and refuses what is not base64', () => {
    expect(atob(' YW Jj\n')).toBe('abc');
    expect(() => atob('a')).toThrow('The string to be decoded is not correctly encoded.');
    expect(() => btoa('€')).toThrow('Invalid character');
  });
});

describe('structuredClone inside the isolate', () => {
  it('copies plain data, dates, maps, sets, typed arrays and cycles', () => {
    const source: Record<string, unknown> = {
      n: 1,
      date: new Date(0),
      map: new Map([['k', { v: 1 }]]),
      set: new Set([1, 2]),
      bytes: new Uint16Array([1, 2]),
      regexp: /x/gi,
    };
    source.self = source;
    const copy = structuredClone(source) as Record<string, unknown>;
    expect(copy).not.toBe(source);
    expect(copy.self).toBe(copy);
    expect(copy).toEqual(source);
    expect(copy.bytes).toBeInstanceOf(Uint16Array);
  });

  it('refuses functions and symbols with DataCloneError', () => {
    expect(() => structuredClone({ f() {} })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(() => structuredClone(Symbol('s'))).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });
});
