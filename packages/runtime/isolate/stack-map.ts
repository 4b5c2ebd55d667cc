// error.stack as the function reads it names the user's files (/var/task/src/app.js:12:7), as Node running the files
// on Lambda would, not the bundle's positions. V8 calls Error.prepareStackTrace only when a stack is first read, so
// errors nobody reads cost nothing. The map's data (sources relative to the package and the mappings string; never
// file contents) is asked of the host once per environment, the first time a stack holds a bundle position, and
// decoded here, inside the isolate's memory and CPU: nothing per stack crosses to the host.
import { hostSourceMap } from './host.js';
import {
  ErrorCtor,
  ErrorPrototypeToString,
  JSONParse,
  ReflectApply,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
} from './primordials.js';

// Captured (primordials.ts) before any user code runs: the mapping runs inside the runtime's own error reporting,
// which must not call what a function put on String.prototype or RegExp.prototype.
const encodeURIFn = encodeURI;
const Int32ArrayCtor = Int32Array;

const TASK_ROOT = '/var/task';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int32ArrayCtor(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUES[BASE64.charCodeAt(i)] = i;

interface DecodedMap {
  readonly url: string;
  /** Each source as the path a trace shows (`/var/task/src/app.js`, `file:///var/task/x.mjs`), or '' for one outside the package. */
  readonly paths: readonly string[];
  readonly mappings: string;
  /** Per generated line: where its segments start in `mappings`, and the running source, line and column at its start. */
  readonly lineStart: Int32Array;
  readonly sourceAt: Int32Array;
  readonly lineAt: Int32Array;
  readonly columnAt: Int32Array;
}

/** undefined: not asked yet; null: the function has no map (or a bad one), so stacks keep the bundle's positions. */
let decoded: DecodedMap | null | undefined;

/** V8's stack text: the error's toString, then one `    at …` line per frame, as Node prints it. */
function prepareStackTrace(error: unknown, frames: readonly { toString(): string }[]): string {
  let text: string;
  try {
    text = StringCtor(ReflectApply(ErrorPrototypeToString, error, []));
  } catch {
    text = '<error>';
  }
  for (let i = 0; i < frames.length; i++) text += '\n    at ' + StringCtor(frames[i]);
  return mapStack(text);
}

/** Installs the mapping as V8's default formatting; a function may set its own Error.prepareStackTrace as in Node. */
export function installStackMapping(): void {
  (ErrorCtor as unknown as { prepareStackTrace?: unknown }).prepareStackTrace = prepareStackTrace;
}

/** `text` with every bundle position that maps into the package replaced by the user's file and position. */
export function mapStack(text: string): string {
  if (decoded === null || ReflectApply(StringPrototypeIndexOf, text, ['file:///var/task/']) < 0) return text;
  if (decoded === undefined) decoded = load();
  const map = decoded;
  if (map === null) return text;
  // Every `<url>:line:column`, scanned by hand (no RegExp: see above).
  let out = '';
  let from = 0;
  for (;;) {
    const found = ReflectApply(StringPrototypeIndexOf, text, [map.url, from]);
    if (found < 0) break;
    let at = found + map.url.length;
    const line = digitsAfterColon(text, at);
    if (line === undefined) {
      out += slice(text, from, at);
      from = at;
      continue;
    }
    at = line.end;
    const column = digitsAfterColon(text, at);
    if (column === undefined) {
      out += slice(text, from, at);
      from = at;
      continue;
    }
    const location = originalLocation(map, line.value, column.value);
    out += slice(text, from, found) + (location ?? slice(text, found, column.end));
    from = column.end;
  }
  return from === 0 ? text : out + slice(text, from, text.length);
}

function slice(text: string, start: number, end: number): string {
  return ReflectApply(StringPrototypeSlice, text, [start, end]);
}

/** `:123` at `at`: its number and where it ends; undefined when there is none. */
function digitsAfterColon(text: string, at: number): { value: number; end: number } | undefined {
  if (ReflectApply(StringPrototypeCharCodeAt, text, [at]) !== 58) return undefined;
  let end = at + 1;
  let value = 0;
  for (;;) {
    const c = ReflectApply(StringPrototypeCharCodeAt, text, [end]);
    if (!(c >= 48 && c <= 57) || end - at > 9) break;
    value = value * 10 + (c - 48);
    end++;
  }
  return end === at + 1 ? undefined : { value, end };
}

function load(): DecodedMap | null {
  let payload: unknown;
  try {
    const text = hostSourceMap();
    if (typeof text !== 'string' || text === '') return null;
    payload = JSONParse(text);
  } catch {
    return null;
  }
  const { url, sources, mappings } = payload as { url?: unknown; sources?: unknown; mappings?: unknown };
  if (typeof url !== 'string' || typeof mappings !== 'string' || !(sources instanceof Array)) return null;
  const paths: string[] = [];
  for (let i = 0; i < sources.length; i++) paths[i] = pathOf(sources[i]);
  let lines = 1;
  for (let i = 0; i < mappings.length; i++) if (ReflectApply(StringPrototypeCharCodeAt, mappings, [i]) === 59) lines++;
  const lineStart = new Int32ArrayCtor(lines);
  const sourceAt = new Int32ArrayCtor(lines);
  const lineAt = new Int32ArrayCtor(lines);
  const columnAt = new Int32ArrayCtor(lines);
  // One pass: the source, line and column deltas run on across lines, so each line's starting values are kept.
  const state = [0, 0, 0, 0, 0];
  let line = 0;
  let at = 0;
  while (at <= mappings.length) {
    const c = at < mappings.length ? ReflectApply(StringPrototypeCharCodeAt, mappings, [at]) : 59;
    if (c === 59) {
      line++;
      at++;
      if (line < lines) {
        lineStart[line] = at;
        sourceAt[line] = state[1] as number;
        lineAt[line] = state[2] as number;
        columnAt[line] = state[3] as number;
      }
      continue;
    }
    if (c === 44) {
      at++;
      continue;
    }
    at = decodeSegment(mappings, at, state, true);
    if (at < 0) return null;
  }
  return { url, paths, mappings, lineStart, sourceAt, lineAt, columnAt };
}

/**
 * Decodes one segment's VLQ fields at `at` into `state` (generated column, source, original line, original column,
 * name; the first reset per line by the caller, the others running totals). Returns where the segment ends, -1 when
 * the text is not a source map's.
 */
function decodeSegment(mappings: string, at: number, state: number[], running: boolean): number {
  let field = 0;
  while (at < mappings.length) {
    const c = ReflectApply(StringPrototypeCharCodeAt, mappings, [at]);
    if (c === 44 || c === 59) break;
    let value = 0;
    let shift = 0;
    for (;;) {
      const code = at < mappings.length ? ReflectApply(StringPrototypeCharCodeAt, mappings, [at]) : -1;
      const digit = code >= 0 && code < 128 ? (BASE64_VALUES[code] as number) : -1;
      if (digit < 0 || shift > 30) return -1;
      at++;
      value += (digit & 31) * 2 ** shift;
      shift += 5;
      if ((digit & 32) === 0) break;
    }
    const delta = value % 2 === 1 ? -((value - 1) / 2) : value / 2;
    if (field < 5 && (running || field === 0)) state[field] = (state[field] as number) + delta;
    field++;
  }
  return at;
}

/** The user's file and position for a bundle position (1-based, as V8's), or undefined outside the package. */
function originalLocation(map: DecodedMap, line: number, column: number): string | undefined {
  const index = line - 1;
  if (index < 0 || index >= map.lineStart.length || column < 1) return undefined;
  const state = [0, map.sourceAt[index] as number, map.lineAt[index] as number, map.columnAt[index] as number, 0];
  let best: [number, number, number] | undefined;
  let at = map.lineStart[index] as number;
  const { mappings } = map;
  while (at < mappings.length) {
    const c = ReflectApply(StringPrototypeCharCodeAt, mappings, [at]);
    if (c === 59) break;
    if (c === 44) {
      at++;
      continue;
    }
    const fields = countFields(mappings, at);
    at = decodeSegment(mappings, at, state, true);
    if (at < 0) return undefined;
    // The last segment with a source starting at or before the column, as node:module's findEntry picks it for the
    // traces the node maps (segments of one line are in column order).
    if ((state[0] as number) > column - 1) break;
    if (fields >= 4) best = [state[1] as number, state[2] as number, state[3] as number];
  }
  if (best === undefined) return undefined;
  const path = map.paths[best[0]];
  if (path === undefined || path === '') return undefined;
  return path + ':' + (best[1] + 1) + ':' + (best[2] + 1);
}

/** How many VLQ fields the segment at `at` has (1, 4 or 5). */
function countFields(mappings: string, at: number): number {
  let fields = 0;
  while (at < mappings.length) {
    const c = ReflectApply(StringPrototypeCharCodeAt, mappings, [at]);
    if (c === 44 || c === 59) break;
    const digit = c < 128 ? (BASE64_VALUES[c] as number) : -1;
    if (digit < 0) return 0;
    if ((digit & 32) === 0) fields++;
    at++;
  }
  return fields;
}

/**
 * Only the package's own files, Node's way: a path for CommonJS and TypeScript, a file URL for ES modules. The host
 * sends only such sources (`BundleSourceMap.isolatePayload`); they are checked again here all the same.
 */
function pathOf(source: unknown): string {
  if (typeof source !== 'string' || source === '' || source[0] === '/') return '';
  if (ReflectApply(StringPrototypeIndexOf, source, ['://']) >= 0) return '';
  if (ReflectApply(StringPrototypeIndexOf, '/' + source + '/', ['/../']) >= 0) return '';
  const path = TASK_ROOT + '/' + source;
  const n = source.length;
  const esm = n > 4 && source[n - 4] === '.' && source[n - 3] === 'm' && (source[n - 2] === 'j' || source[n - 2] === 't') && source[n - 1] === 's';
  return esm ? 'file://' + encodeURIFn(path) : path;
}
