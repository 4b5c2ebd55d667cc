import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const BUILTIN = new RegExp(`^(?:node:.+|${builtinModules.map(escape).join('|')})$`);
const ESM_PREFIX = 'stratus-builtin-esm:';
const ESM_PREFIX_FILTER = new RegExp(`^${escape(ESM_PREFIX)}`);

/**
 * Keeps Node built-ins (`fs`, `node:fs`, …) out of the bundle as ES imports,
 * which the runtime resolves (or reports as Runtime.ImportModuleError).
 *
 * ESM imports of a built-in are simply external. A CommonJS `require('fs')`
 * cannot be: esbuild would turn it into a call of a global `require`, which an
 * isolate does not have. Instead it goes through two virtual modules so the
 * bundle gets a static `import * as ns from "fs"` and the requiring code gets
 * what Node's `require` returns, `module.exports`, which is the namespace's
 * default export for every built-in.
 */
export function nodeBuiltinsPlugin(): Plugin {
  return {
    name: 'stratus-node-builtins',
    setup(build) {
      build.onResolve({ filter: ESM_PREFIX_FILTER }, (args) => ({
        path: args.path.slice(ESM_PREFIX.length),
        namespace: 'builtin-esm',
      }));
      build.onResolve({ filter: BUILTIN }, (args) =>
        args.kind === 'require-call' ? { path: args.path, namespace: 'builtin-cjs' } : { path: args.path, external: true },
      );
      build.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(ESM_PREFIX + args.path)}).value;`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (args) => ({
        contents: `import * as ns from ${JSON.stringify(args.path)};\nexport const value = ns.default ?? ns;`,
        loader: 'js',
      }));
    },
  };
}
