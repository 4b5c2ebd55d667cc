import { commonJsInModuleScope, commonJsSyntaxError, taskPath, type NodeLoadError } from './load-errors.js';

/**
 * Node decides how a handler file loads from its extension and, for `.js`,
 * from the nearest package.json's "type". esbuild accepts either syntax
 * anywhere, so for a file Node would refuse this gives the error Node throws
 * loading it, which the bundle then throws at init as Lambda's first
 * invocation would; undefined when Node would load it.
 */
export function moduleTypeError(
  entry: string,
  source: string,
  detected: 'cjs' | 'esm' | undefined,
  packageJsons: ReadonlyMap<string, Uint8Array>,
): NodeLoadError | undefined {
  if (detected === undefined || entry.endsWith('.ts')) return undefined;
  const typeModule = nearestTypeModulePackageJson(entry, packageJsons);
  const loadsAsEsm = entry.endsWith('.mjs') || (entry.endsWith('.js') && typeModule !== undefined);
  if (detected === 'esm' && !loadsAsEsm) {
    // V8's own words: "Cannot use import statement outside a module", "Unexpected token 'export'"…
    return commonJsSyntaxError(source, taskPath(entry)) ?? { name: 'SyntaxError', message: 'Cannot use import statement outside a module' };
  }
  if (detected === 'cjs' && loadsAsEsm) return commonJsInModuleScope(source, entry, typeModule);
  return undefined;
}

/** Whether Node loads `file` (a `.js`, `.mjs` or `.cjs` file inside the package) as an ES module. */
export function loadsAsModule(file: string, packageJsons: ReadonlyMap<string, Uint8Array>): boolean {
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  if (!file.endsWith('.js') && !file.endsWith('.ts')) return false;
  return nearestTypeModulePackageJson(file, packageJsons) !== undefined;
}

/** The nearest package.json's path when it says "type": "module", else undefined. */
function nearestTypeModulePackageJson(entry: string, byPath: ReadonlyMap<string, Uint8Array>): string | undefined {
  const parts = entry.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    const dir = parts.slice(0, depth).join('/');
    const path = dir === '' ? 'package.json' : `${dir}/package.json`;
    const data = byPath.get(path);
    if (data === undefined) continue;
    try {
      const pkg: unknown = JSON.parse(new TextDecoder().decode(data));
      return typeof pkg === 'object' && pkg !== null && (pkg as Record<string, unknown>)['type'] === 'module' ? path : undefined;
    } catch {
      // Lambda ignores an unreadable package.json for this purpose.
      return undefined;
    }
  }
  return undefined;
}
