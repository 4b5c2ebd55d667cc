import { builtinModules, createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { SHIM_SOURCES } from './shims.js';

const require = createRequire(import.meta.url);
/** Polyfill packages resolve from this package, whatever the user's zip holds. */
const PACKAGE_DIR = dirname(require.resolve('buffer/'));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A Node built-in as code names it: `x` or `node:x`. */
export const BUILTIN_SPECIFIER = new RegExp(`^(?:node:.+|${builtinModules.map(escape).join('|')})$`);
/** The isolate's host-backed module (crypto); the runtime links it. */
export const HOST_SPECIFIER = 'stratus:host';
/** The runtime's module for the package's files and /tmp's size; only the fs shim may import it. */
export const FILES_SPECIFIER = 'stratus:files';
/** Namespaces of the modules this plugin makes up (shims, and stand-ins for unsupported built-ins). */
export const SHIM_NAMESPACES: ReadonlySet<string> = new Set(['stratus-shim', 'stratus-unsupported']);

/** Built-ins served by a well-kept npm polyfill, file as `require.resolve` finds it. */
const PACKAGE_POLYFILLS: Readonly<Record<string, string>> = {
  buffer: 'buffer/',
  events: 'events/',
  path: 'path-browserify',
  'path/posix': 'path-browserify',
  querystring: 'querystring-es3',
  string_decoder: 'string_decoder/',
  assert: 'assert/',
  stream: 'stream-browserify',
};

/**
 * Built-ins served by this package's own isolate code (src/isolate-fs, built
 * to dist by tsc; tests that run the sources bundle the same built files).
 */
const ISOLATE_FS_DIR = fileURLToPath(new URL('../dist/isolate-fs/', import.meta.url));
const FILE_SHIMS: Readonly<Record<string, string>> = {
  fs: `${ISOLATE_FS_DIR}fs.js`,
  'fs/promises': `${ISOLATE_FS_DIR}fs-promises.js`,
};

/** Packages the shims import, beside the polyfills above. */
const SHIM_PACKAGES = ['pako', 'url/', 'util/', 'whatwg-url'];

/**
 * The `node_modules` folders the polyfills, the shims' packages and their own
 * dependencies load from (real paths): the only place outside a function's
 * package that bundling may read, and only from the runtime's own code.
 */
export const POLYFILL_ROOTS: readonly string[] = [
  ...new Set([...Object.values(PACKAGE_POLYFILLS), ...SHIM_PACKAGES].map((pkg) => nodeModulesOf(realpathSync(require.resolve(pkg))))),
  realpathSync(ISOLATE_FS_DIR),
];

function nodeModulesOf(file: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at === -1) throw new Error(`polyfill ${file} is not inside a node_modules folder`);
  return file.slice(0, at + marker.length - 1);
}

/**
 * Resolves Node built-ins (`crypto`, `node:crypto`, …) at bundle time: the
 * supported ones to polyfills (npm packages, or small shims over them and
 * over the runtime's host-backed crypto), the others to a module that throws
 * Lambda's Runtime.ImportModuleError when it is loaded. Loading, not
 * bundling, fails, as in Node: libraries often require a built-in only on a
 * code path the function never takes. `unsupportedSeen` collects what the
 * deploy warns of: the unsupported built-ins imported by files outside
 * `quietRoots`.
 */
export function nodeBuiltinsPlugin(unsupportedSeen: Set<string>, quietRoots: readonly string[] = []): Plugin {
  return {
    name: 'stratus-node-builtins',
    setup(build) {
      build.onResolve({ filter: /^stratus:host$/ }, () => ({ path: HOST_SPECIFIER, external: true }));
      build.onResolve({ filter: /^stratus:files$/ }, () => ({ path: FILES_SPECIFIER, external: true }));
      build.onResolve({ filter: BUILTIN_SPECIFIER }, (args) => {
        const name = args.path.startsWith('node:') ? args.path.slice('node:'.length) : args.path;
        const pkg = PACKAGE_POLYFILLS[name];
        if (pkg !== undefined) return { path: require.resolve(pkg) };
        const file = FILE_SHIMS[name];
        if (file !== undefined) return { path: file };
        if (SHIM_SOURCES[name] !== undefined) return { path: name, namespace: 'stratus-shim' };
        // The AWS SDK Stratus offers reaches child_process and async_hooks only on paths an isolate never takes
        // (credential_process in ~/.aws/config, Lambda's multi-concurrency mode); its users are not warned of them.
        if (!quietRoots.some((root) => args.importer.startsWith(root + sep))) unsupportedSeen.add(name);
        return { path: name, namespace: 'stratus-unsupported' };
      });
      build.onLoad({ filter: /.*/, namespace: 'stratus-shim' }, (args) => {
        const shim = SHIM_SOURCES[args.path];
        return shim === undefined ? undefined : { contents: shim, loader: 'js', resolveDir: PACKAGE_DIR };
      });
      build.onLoad({ filter: /.*/, namespace: 'stratus-unsupported' }, (args) => ({
        contents: unsupportedModule(args.path),
        loader: 'js',
      }));
    },
  };
}

/**
 * The globals Node has that V8 lacks and the runtime does not install
 * (Buffer, URL, URLSearchParams): spec-complete polyfills for esbuild's
 * `inject`. esbuild keeps an injected CommonJS polyfill even when unused, so
 * only the globals some source file names are injected; undefined when none.
 */
export function globalsInjectSource(used: { readonly buffer: boolean; readonly url: boolean }): string | undefined {
  const lines: string[] = [];
  if (used.buffer) lines.push(`export { Buffer } from ${JSON.stringify(require.resolve('buffer/'))};`);
  if (used.url) lines.push(`export { URL, URLSearchParams } from ${JSON.stringify(require.resolve('whatwg-url'))};`);
  return lines.length === 0 ? undefined : `${lines.join('\n')}\n`;
}

function unsupportedModule(name: string): string {
  const message = `Error: Cannot find module '${name}': the Node.js built-in module '${name}' is not available in Stratus`;
  return `class ImportModuleError extends Error {}
ImportModuleError.prototype.name = 'Runtime.ImportModuleError';
const err = new ImportModuleError(${JSON.stringify(message)});
err.code = 'MODULE_NOT_FOUND';
throw err;
`;
}
