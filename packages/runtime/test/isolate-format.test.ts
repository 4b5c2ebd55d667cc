// The isolate's console formatting, run in Node: the same code the bootstrap bundles (isolate/format.ts), checked
// against what Node's own util.format prints for the cases Lambda's logs show most.
import { format as nodeFormat } from 'node:util';
import { describe, expect, it } from 'vitest';
import { format, inspect } from '../isolate/format.js';
import { formatLine, utf8Length } from '../isolate/log.js';

describe('console formatting inside the isolate', () => {
  it.each<[string, unknown[]]>([
    ['strings and numbers', ['a', 1, -0, 2.5]],
    ['%s %d %i %f', ['%s=%d (%i) %f', 'x', 42.9, 42.9, '3.25']],
    ['%j and %%', ['%j is 100%%', { a: [1, 2] }]],
    ['surplus specifiers stay', ['%s and %s', 'one']],
    ['surplus arguments are appended', ['%s', 'a', 'b', 3]],
    ['bigint and symbol', [10n, Symbol('s')]],
    ['nested objects to depth 2', [{ a: { b: { c: { d: 1 } } } }]],
    ['arrays, maps and sets', [[1, 'two', [3]], new Map([['k', 1]]), new Set([1])]],
    ['null prototype and class instances', [Object.create(null) as unknown, new (class Point { x = 1 })()]],
    ['keys that are not identifiers', [{ 'a-b': 1, ok: true }]],
    ['functions and classes', [function named() {}, class Thing {}]],
    ['typed arrays', [new Uint8Array([1, 2, 3])]],
  ])('formats %s as Node does', (_name, args) => {
    expect(format(args)).toBe(nodeFormat(...args));
  });

  it('marks circular references and getters', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    Object.defineProperty(value, 'computed', { get: () => 1, enumerable: true });
    expect(inspect(value, 0, [])).toBe("{ name: 'loop', self: [Circular], computed: [Getter] }");
  });

  it('shows at most 100 items of an array', () => {
    expect(inspect(Array.from({ length: 102 }, () => 0), 0, [])).toMatch(/, \.\.\. 2 more items \]$/);
  });

  it('prints an Error as its stack', () => {
    const err = new TypeError('bad');
    expect(format(['failed:', err])).toBe(`failed: ${err.stack}`);
  });
});

describe('log lines', () => {
  it('writes Lambda Text lines: timestamp, request id, level, message, tab-separated', () => {
    expect(formatLine(Date.UTC(2026, 0, 2, 3, 4, 5, 6), 'INFO', 'hello', 'req-1', 'Text')).toBe('2026-01-02T03:04:05.006Z\treq-1\tINFO\thello');
  });

  it('writes Lambda JSON lines, without a request id outside an invocation', () => {
    const time = Date.UTC(2026, 0, 2);
    expect(JSON.parse(formatLine(time, 'WARN', 'w', 'req-1', 'JSON'))).toEqual({ timestamp: '2026-01-02T00:00:00.000Z', level: 'WARN', requestId: 'req-1', message: 'w' });
    expect(JSON.parse(formatLine(time, 'INFO', 'i', 'undefined', 'JSON'))).toEqual({ timestamp: '2026-01-02T00:00:00.000Z', level: 'INFO', message: 'i' });
  });

  it('counts UTF-8 bytes as Node does for well-formed text', () => {
    for (const text of ['ascii', 'é', '€', '😀', 'mixed é € 😀']) expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});
