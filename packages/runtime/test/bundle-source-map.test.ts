import { describe, expect, it } from 'vitest';
import { BundleSourceMap } from '../src/index.js';

// Generated line 1 maps to src/app.js 3:5, line 2 to a shim outside the package, line 3 to an ES module.
const MAP = JSON.stringify({
  version: 3,
  sources: ['src/app.js', '../shims/buffer.js', 'lib/esm.mjs'],
  names: [],
  mappings: 'AAEI;ACAA;ACCC',
});
const URL = 'file:///var/task/index.mjs';

describe('BundleSourceMap', () => {
  it("rewrites bundle positions to the package's own files, 1-based as V8 writes them", () => {
    const map = BundleSourceMap.from(MAP);
    const trace = `Error: boom\n    at helper (${URL}:1:1)\n    at ${URL}:3:1\n    at Buffer.from (${URL}:2:1)`;
    expect(map?.mapText(trace, URL)).toBe(
      `Error: boom\n    at helper (/var/task/src/app.js:3:5)\n    at file:///var/task/lib/esm.mjs:4:6\n    at Buffer.from (${URL}:2:1)`,
    );
  });

  it('leaves text without bundle positions, positions it cannot map, and other files alone', () => {
    const map = BundleSourceMap.from(MAP);
    expect(map?.mapText('all fine', URL)).toBe('all fine');
    expect(map?.mapText(`at ${URL}:99:1 and file:///var/task/other.mjs:1:1`, URL)).toBe(`at ${URL}:99:1 and file:///var/task/other.mjs:1:1`);
    expect(BundleSourceMap.from(undefined)).toBeUndefined();
    expect(BundleSourceMap.from('not json')?.mapText(`at ${URL}:1:1`, URL)).toBe(`at ${URL}:1:1`);
  });

  it('escapes what it writes inside JSON text', () => {
    const map = BundleSourceMap.from(JSON.stringify({ version: 3, sources: ['we"ird.js'], names: [], mappings: 'AAAA' }));
    const json = JSON.stringify({ trace: [`at ${URL}:1:1`] });
    expect(JSON.parse(map?.mapText(json, URL, true) ?? '')).toEqual({ trace: ['at /var/task/we"ird.js:1:1'] });
  });
});
