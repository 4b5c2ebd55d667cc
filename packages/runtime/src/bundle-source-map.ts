import { SourceMap, type SourceMapPayload } from 'node:module';

/** Where Lambda puts a function's package. */
const TASK_ROOT = '/var/task';
const NUMBER_SUFFIX = ':(\\d+):(\\d+)';

/**
 * Maps positions in a function's bundle back to the user's own files
 * (`/var/task/src/app.js:12:7`), from the source map the bundler kept.
 * Made once per code and shared by its environments; the map is parsed the
 * first time a trace needs it, so functions that never fail never pay for
 * it. Positions in code the package does not own (the runtime's shims) stay
 * as they are.
 */
export class BundleSourceMap {
  #text: string | undefined;
  #map: SourceMap | null | undefined;
  /** The payload isolates get, made once: the package's sources and the mappings, nothing else of the map. */
  #isolatePayload: { sources: readonly string[]; mappings: string } | null | undefined;
  readonly #patterns = new Map<string, RegExp>();

  private constructor(text: string) {
    this.#text = text;
  }

  /** Undefined without a map (code stored before maps were kept). */
  static from(text: string | undefined): BundleSourceMap | undefined {
    return text === undefined || text === '' ? undefined : new BundleSourceMap(text);
  }

  /**
   * `text` with every `<bundleUrl>:line:column` that maps into the package
   * rewritten to the original file's path and position, Node's way: a plain
   * path for CommonJS and TypeScript files, a `file://` URL for ES modules.
   * `json` escapes what it writes for use inside a JSON string.
   */
  mapText(text: string, bundleUrl: string, json = false): string {
    if (!text.includes(bundleUrl)) return text;
    const map = this.#parsed();
    if (map === null) return text;
    let pattern = this.#patterns.get(bundleUrl);
    if (pattern === undefined) {
      pattern = new RegExp(bundleUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + NUMBER_SUFFIX, 'g');
      this.#patterns.set(bundleUrl, pattern);
    }
    return text.replace(pattern, (whole: string, line: string, column: string) => {
      const location = originalLocation(map, Number(line), Number(column));
      if (location === undefined) return whole;
      return json ? JSON.stringify(location).slice(1, -1) : location;
    });
  }

  /**
   * What an isolate gets to map the stacks the function reads itself (`isolate/stack-map.ts`): JSON text of
   * `{url, sources, mappings}`, each source outside the package replaced by '' (so the isolate learns no path that is
   * not its own), or '' without a usable map.
   */
  isolatePayload(bundleUrl: string): string {
    if (this.#isolatePayload === undefined) {
      try {
        const raw = JSON.parse(this.#text ?? '') as { sources?: unknown; mappings?: unknown };
        const sources = Array.isArray(raw.sources) ? raw.sources.map((source) => (typeof source === 'string' && packageSource(source) ? source : '')) : [];
        this.#isolatePayload = typeof raw.mappings === 'string' ? { sources, mappings: raw.mappings } : null;
      } catch {
        this.#isolatePayload = null;
      }
      this.#dropTextWhenDone();
    }
    return this.#isolatePayload === null ? '' : JSON.stringify({ url: bundleUrl, ...this.#isolatePayload });
  }

  /** Whether the bundle holds the package's file `path` (relative to the package, as the bundler names sources). */
  hasSource(path: string): boolean {
    const map = this.#parsed();
    return map !== null && map.payload.sources.includes(path);
  }

  #parsed(): SourceMap | null {
    if (this.#map !== undefined) return this.#map;
    try {
      this.#map = new SourceMap(JSON.parse(this.#text ?? '') as SourceMapPayload);
    } catch {
      // A map the bundler wrote is well-formed; if not, traces keep the bundle's positions.
      this.#map = null;
    }
    this.#dropTextWhenDone();
    return this.#map;
  }

  #dropTextWhenDone(): void {
    if (this.#map !== undefined && this.#isolatePayload !== undefined) this.#text = undefined;
  }
}

/** V8's positions are 1-based, the map's 0-based. */
function originalLocation(map: SourceMap, line: number, column: number): string | undefined {
  if (line < 1 || column < 1) return undefined;
  const entry = map.findEntry(line - 1, column - 1) as Partial<{ generatedLine: number; originalSource: string; originalLine: number; originalColumn: number }>;
  // findEntry falls back to the nearest earlier segment, even on an earlier line: only a segment of this line counts.
  if (entry.generatedLine !== line - 1) return undefined;
  const source = entry.originalSource;
  if (typeof source !== 'string' || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  // Only the package's own files: shims and anything outside keep the bundle's position.
  if (!packageSource(source)) return undefined;
  const path = `${TASK_ROOT}/${source}`;
  const where = `${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  return /\.m[jt]s$/.test(source) ? `file://${encodeURI(path)}:${where}` : `${path}:${where}`;
}

/** A source the package owns: relative, inside it, not a URL. */
function packageSource(source: string): boolean {
  return !(source === '' || source.startsWith('/') || source.startsWith('../') || source.includes('://') || source.split('/').includes('..'));
}
