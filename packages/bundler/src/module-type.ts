import { StratusError } from '@stratus/errors';

/**
 * Node decides how a handler file loads from its extension and, for `.js`,
 * from the nearest package.json's "type". esbuild accepts either syntax
 * anywhere, so a file Node would refuse is refused here, at deploy time,
 * with the error Lambda's first invocation would give.
 */
export function checkModuleType(entry: string, detected: 'cjs' | 'esm' | undefined, packageJsons: ReadonlyMap<string, Uint8Array>): void {
  if (detected === undefined || entry.endsWith('.ts')) return;
  const loadsAsEsm = entry.endsWith('.mjs') || (entry.endsWith('.js') && nearestTypeIsModule(entry, packageJsons));
  if (detected === 'esm' && !loadsAsEsm) {
    throw new StratusError(
      'INVALID_CODE',
      `SyntaxError: Cannot use import statement outside a module: ${entry} uses ES module syntax but loads as CommonJS ` +
        '(rename it to .mjs or add "type": "module" to its package.json)',
      { details: { errorType: 'Runtime.UserCodeSyntaxError' } },
    );
  }
  if (detected === 'cjs' && loadsAsEsm) {
    throw new StratusError(
      'INVALID_CODE',
      `ReferenceError: module is not defined in ES module scope: ${entry} uses CommonJS (exports/module.exports) but loads as an ES module ` +
        '(rename it to .cjs or remove "type": "module" from its package.json)',
      { details: { errorType: 'ReferenceError' } },
    );
  }
}

function nearestTypeIsModule(entry: string, byPath: ReadonlyMap<string, Uint8Array>): boolean {
  const parts = entry.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    const dir = parts.slice(0, depth).join('/');
    const data = byPath.get(dir === '' ? 'package.json' : `${dir}/package.json`);
    if (data === undefined) continue;
    try {
      const pkg: unknown = JSON.parse(new TextDecoder().decode(data));
      return typeof pkg === 'object' && pkg !== null && (pkg as Record<string, unknown>)['type'] === 'module';
    } catch {
      // Lambda ignores an unreadable package.json for this purpose.
      return false;
    }
  }
  return false;
}
