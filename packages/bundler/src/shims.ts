import { readFileSync } from 'node:fs';

/**
 * Node built-ins that have no single npm polyfill, and the file in this package's `shims/` folder that stands in
 * for each: thin layers over well-kept packages (pako, whatwg-url, url) and, for crypto, over the runtime's
 * host-backed `stratus:host` module, which computes hashes, HMACs and random bytes outside the isolate from
 * copies. Each is bundled only when the function imports it.
 */
const SHIM_FILES: Readonly<Record<string, string>> = {
  crypto: 'crypto.js',
  util: 'util.cjs',
  zlib: 'zlib.cjs',
  url: 'url.cjs',
  timers: 'timers.cjs',
  'timers/promises': 'timers-promises.cjs',
  process: 'process.cjs',
  'util/types': 'util-types.cjs',
  'assert/strict': 'assert-strict.cjs',
  http: 'http.js',
  https: 'https.js',
  net: 'net.js',
  http2: 'http2.js',
  os: 'os.cjs',
  tls: 'tls.js',
  tty: 'tty.cjs',
  dns: 'dns.js',
  'dns/promises': 'dns-promises.js',
};

/** `shims/`, from src/ (tests) and from dist/ alike. */
const SHIMS_DIR = new URL('../shims/', import.meta.url);

/** Each shim's source, read once: the bundler serves it to esbuild under its built-in's name. */
export const SHIM_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHIM_FILES).map(([name, file]) => [name, readFileSync(new URL(file, SHIMS_DIR), 'utf8')]),
);
