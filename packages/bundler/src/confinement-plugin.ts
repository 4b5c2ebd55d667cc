import { realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, sep } from 'node:path';
import type { ImportKind, OnLoadResult, OnResolveArgs, OnResolveResult, PartialMessage, Plugin } from 'esbuild';
import { BUILTIN_SPECIFIER, FILES_SPECIFIER, HOST_SPECIFIER, SHIM_NAMESPACES } from './node-builtins-plugin.js';
import { MISSING_NAMESPACE } from './missing-modules.js';

/**
 * What a user's file may be bundled as, by extension (esbuild's default
 * loaders for these): the files Node and Lambda's runtime would load.
 * Anything else (text, binary, CSS, a `file` loader copying it out) is
 * refused rather than inlined: such a loader is a way to read a file's
 * bytes, not code.
 */
const USER_EXTENSIONS: ReadonlySet<string> = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json']);

/** A specifier with a URL scheme: `file:`, `data:`, `http:`… (`node:` is a built-in, handled first). */
const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** Marks the nested `build.resolve` call so this plugin does not see its own resolution again. */
const INNER = Symbol('stratus-confined');

export interface ConfinementOptions {
  /** The unzipped package, a real path (no symlinks in it). */
  readonly packageDir: string;
  /**
   * Where the runtime's polyfills and their own dependencies load from (real
   * paths of `node_modules` folders). Only trusted code may import from
   * there; users reach them only as Node built-ins.
   */
  readonly polyfillRoots: readonly string[];
  /** Real paths of the files the bundler itself adds (the globals inject file). */
  readonly trustedFiles: ReadonlySet<string>;
  /** Called with the first refusal, so the caller can stop the build rather than let it read on. */
  readonly onRefused: (message: string) => void;
  /** Called for each import of the user's code that resolves to a file inside the package (its real path). */
  readonly onResolved?: (path: string, args: OnResolveArgs) => void;
  /**
   * Called for an import of the user's code that finds nothing: a result in
   * MISSING_NAMESPACE stands in for the module; undefined leaves esbuild's error.
   */
  readonly onUnresolvable?: (args: OnResolveArgs) => OnResolveResult | undefined;
  /**
   * Packages offered to the user's code when its package lacks them (the AWS
   * SDK, as Lambda's runtime offers it): an import the package does not
   * satisfy and for which `packageDirOf` names a folder is resolved again from
   * `resolveDir`, and must land inside that folder. Files under `roots` load
   * as trusted code (their own imports resolve as the polyfills' do).
   */
  readonly fallback?: { readonly resolveDir: string; readonly roots: readonly string[]; packageDirOf(specifier: string): string | undefined };
  /**
   * Gives a user's file (its real path and its path inside the package,
   * '/'-separated) other contents to bundle; undefined loads it unchanged.
   */
  readonly rewrite?: (path: string, file: string) => Promise<OnLoadResult | undefined>;
}

/**
 * Keeps a bundle to the uploaded package: every import of the user's code
 * must resolve to a file inside it, a Node built-in (a polyfill or shim) or
 * the runtime's host module. Every resolution goes through `onResolve` and
 * every loaded file through `onLoad`, which checks the file's real path
 * again, so resolution rules nobody foresaw (tsconfig paths, package.json
 * `exports`/`imports`, glob-style `import(\`./${x}\`)`, which skips
 * `onResolve`) cannot read a file outside either. Register it first.
 */
export function confinementPlugin(options: ConfinementOptions): Plugin {
  const { packageDir, polyfillRoots, trustedFiles } = options;
  const insidePackage = (path: string): boolean => isInside(path, packageDir);
  const trustedRoots = [...polyfillRoots, ...(options.fallback?.roots ?? [])];
  const trustedPath = (path: string): boolean => trustedFiles.has(path) || trustedRoots.some((root) => isInside(path, root));
  const refuse = (text: string): { errors: PartialMessage[] } => {
    options.onRefused(text);
    return { errors: [{ text, pluginName: 'stratus-confinement' }] };
  };
  const shown = (path: string): string => (insidePackage(path) ? relative(packageDir, path).split(sep).join('/') : path);

  return {
    name: 'stratus-confinement',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args): Promise<OnResolveResult | undefined> => {
        if ((args.pluginData as Record<symbol, unknown> | undefined)?.[INNER] === true) return undefined;
        const importer = importerOf(args);
        const userCode = importer.kind === 'user';
        const what = importer.kind === 'user' ? `${shown(importer.path)} imports ${JSON.stringify(args.path)}` : '';
        const builtin = BUILTIN_SPECIFIER.test(args.path) || args.path === HOST_SPECIFIER;
        if (userCode) {
          const attributes = Object.entries(args.with);
          const type = args.with['type'];
          if (attributes.some(([key]) => key !== 'type') || (type !== undefined && type !== 'json')) {
            return refuse(
              `${what} with ${JSON.stringify(args.with)}: import attributes other than { type: "json" } are not supported (a function's code is JavaScript, TypeScript and JSON)`,
            );
          }
          if (!builtin && URL_SCHEME.test(args.path)) {
            return refuse(`${what}: URL imports are not bundled; only files inside the function's code can be imported`);
          }
          if (isAbsolute(args.path)) {
            return refuse(`${what}: absolute paths are outside the function's code; import files by relative path`);
          }
        }
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          resolveDir: args.resolveDir,
          with: args.with,
          pluginData: { [INNER]: true },
        });
        if (result.errors.length > 0) {
          const unresolved = result.errors.every((e) => e.text.startsWith('Could not resolve'));
          const offeredDir = userCode && !builtin && unresolved ? options.fallback?.packageDirOf(args.path) : undefined;
          if (offeredDir !== undefined && options.fallback !== undefined) {
            const offered = await build.resolve(args.path, {
              kind: args.kind,
              resolveDir: options.fallback.resolveDir,
              with: args.with,
              pluginData: { [INNER]: true },
            });
            const real = offered.errors.length === 0 && offered.namespace === 'file' ? await realpathOrUndefined(offered.path) : undefined;
            if (real !== undefined && isInside(real, offeredDir)) {
              return { path: real, ...(offered.sideEffects === false ? { sideEffects: false } : {}) };
            }
          }
          const standIn = userCode && !builtin && unresolved ? options.onUnresolvable?.(args) : undefined;
          return standIn ?? { errors: result.errors, warnings: result.warnings };
        }
        // An allowed import is left to esbuild to resolve again, the same
        // way: a plugin's result would lose what esbuild knows of the file
        // from package.json (its "type"), which decides how it bundles.
        if (result.external) {
          if (result.path === FILES_SPECIFIER && importer.kind === 'trusted') return undefined;
          return result.path === HOST_SPECIFIER ? undefined : refuse(`${what || JSON.stringify(args.path)} resolves to a module outside the bundle`);
        }
        if (SHIM_NAMESPACES.has(result.namespace)) return builtin ? undefined : refuse(`${what}: not a Node.js built-in module`);
        if (result.namespace !== 'file') return refuse(`${what || JSON.stringify(args.path)}: modules from ${result.namespace} are not bundled`);
        const real = await realpathOrUndefined(result.path);
        if (real === undefined) return insidePackage(result.path) ? undefined : refuse(`${what || JSON.stringify(args.path)} resolves outside the function's code`);
        if (insidePackage(real)) {
          options.onResolved?.(real, args);
          return undefined;
        }
        if (importer.kind === 'user' && !builtin) {
          return refuse(`${what}, which is outside the function's code: only files inside the uploaded package can be bundled`);
        }
        if (trustedPath(real)) return undefined;
        return refuse(`${what || JSON.stringify(args.path)} resolves outside the function's code`);
      });

      build.onLoad({ filter: /.*/ }, async (args) => {
        if (SHIM_NAMESPACES.has(args.namespace) || args.namespace === MISSING_NAMESPACE) return undefined;
        if (args.namespace !== 'file') return refuse(`modules from ${args.namespace} are not bundled; only files inside the function's code`);
        const real = await realpathOrUndefined(args.path);
        if (real !== undefined && !insidePackage(real)) {
          if (trustedPath(real)) return undefined;
          // The path is not named: a glob import could otherwise list the host's folders through errors.
          return refuse("an import reaches a file outside the function's code: only files inside the uploaded package can be bundled");
        }
        if (real === undefined) return refuse(`cannot read ${insidePackage(args.path) ? shown(args.path) : 'a file the code imports'}`);
        const file = shown(real);
        if (!USER_EXTENSIONS.has(extname(args.path)) || !USER_EXTENSIONS.has(extname(real))) {
          return refuse(`${file} cannot be imported: only .js, .mjs, .cjs, .ts, .mts, .cts and .json files are bundled`);
        }
        const type = args.with['type'];
        if (Object.keys(args.with).some((key) => key !== 'type') || (type !== undefined && !(type === 'json' && extname(args.path) === '.json'))) {
          return refuse(`${file} is imported with ${JSON.stringify(args.with)}: only JSON files may be imported with { type: "json" }`);
        }
        // Otherwise esbuild reads it with the default loader of its extension
        // (one of the above: nothing can change the build's loaders), and
        // keeps what it knows from package.json ("type") that a plugin's
        // load would lose.
        return (await options.rewrite?.(real, file)) ?? undefined;
      });
    },
  };

  function importerOf(args: OnResolveArgs): { kind: 'user' | 'trusted' | 'entry'; path: string } {
    if (args.kind === ('entry-point' satisfies ImportKind)) return { kind: 'entry', path: '' };
    if (SHIM_NAMESPACES.has(args.namespace)) return { kind: 'trusted', path: args.importer };
    if (args.namespace === 'file' && !insidePackage(args.importer) && trustedPath(args.importer)) return { kind: 'trusted', path: args.importer };
    return { kind: 'user', path: args.importer };
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}
