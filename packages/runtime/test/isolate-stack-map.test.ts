// The isolate's own stack mapping (isolate/stack-map.ts), run in Node: it must name the same files and positions
// as the node's mapping of payloads and logs (BundleSourceMap, over node:module's SourceMap) for the same map.
import { describe, expect, it } from 'vitest';
import { bindHost } from '../isolate/host.js';
import { mapStack } from '../isolate/stack-map.js';
import { BundleSourceMap } from '../src/index.js';

const URL = 'file:///var/task/index.mjs';
// Line 1: two segments (src/app.js 3:5, then 4:1); line 2: a shim outside the package; line 3: an ES module;
// line 4: a segment without a source, then one into src/app.js again (the running totals carry across lines).
const MAP = JSON.stringify({
  version: 3,
  sources: ['src/app.js', '../shims/buffer.js', 'lib/esm.mjs'],
  names: [],
  mappings: 'AAEI,IACJ;ACAA;ACCC;E,GDCA',
});
const host = BundleSourceMap.from(MAP);
let asked = 0;
bindHost(
  () => undefined,
  () => undefined,
  () => undefined,
  () => '',
  { applySyncPromise: () => '' },
  () => {
    asked++;
    return host?.isolatePayload(URL) ?? '';
  },
);

describe('stack mapping inside the isolate', () => {
  it.each([
    ['a first segment', `at helper (${URL}:1:1)`],
    ['a later segment of the same line', `at helper (${URL}:1:7)`],
    ['a column between segments', `at helper (${URL}:1:5)`],
    ['a shim outside the package', `at Buffer.from (${URL}:2:1)`],
    ['an ES module', `at ${URL}:3:1`],
    ['a line whose first segment has no source', `at x (${URL}:4:3)`],
    ['a line past the map', `at ${URL}:99:1`],
    ['another file', 'at file:///var/task/other.mjs:1:1'],
    ['a position without a column', `at ${URL}:1`],
  ])('maps %s as the node does', (_what, frame) => {
    const text = `Error: boom\n    ${frame}`;
    expect(mapStack(text)).toBe(host?.mapText(text, URL));
  });

  it('asks the host for the map once, and gives it nothing outside the package', () => {
    mapStack(`at ${URL}:1:1`);
    mapStack(`at ${URL}:3:1`);
    expect(asked).toBe(1);
    expect(JSON.parse(host?.isolatePayload(URL) ?? '')).toEqual({ url: URL, sources: ['src/app.js', '', 'lib/esm.mjs'], mappings: 'AAEI,IACJ;ACAA;ACCC;E,GDCA' });
  });
});
