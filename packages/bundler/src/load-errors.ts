import { compileFunction } from 'node:vm';

/**
 * Where Lambda puts a function's code, and the runtime module that loads it:
 * Node's error messages name these paths.
 */
export const TASK_ROOT = '/var/task';
const LAMBDA_RUNTIME_MODULE = '/var/runtime/index.mjs';

/** An error as Node would throw it while loading the function's code. */
export interface NodeLoadError {
  readonly name: 'Error' | 'SyntaxError' | 'ReferenceError';
  readonly message: string;
  /** Node's `code` (MODULE_NOT_FOUND, ERR_MODULE_NOT_FOUND), when it sets one. */
  readonly code?: string;
  /** Node's `requireStack` on a CommonJS MODULE_NOT_FOUND. */
  readonly requireStack?: readonly string[];
}

/**
 * The source of a module that throws `error` when it is evaluated. As a
 * whole bundle it fails the function's init, which the runtime reports as
 * Lambda's runtime does (SyntaxError as Runtime.UserCodeSyntaxError,
 * "Cannot find module" as Runtime.ImportModuleError); as a module that a
 * `require()` or `import()` reaches, it fails only that call, when it runs.
 */
export function throwingModuleSource(error: NodeLoadError): string {
  const lines = [`const error = new ${error.name}(${JSON.stringify(error.message)});`];
  if (error.code !== undefined) lines.push(`error.code = ${JSON.stringify(error.code)};`);
  if (error.requireStack !== undefined) lines.push(`error.requireStack = ${JSON.stringify(error.requireStack)};`);
  lines.push('throw error;', '');
  return lines.join('\n');
}

/** `/var/task/<path>` for a path inside the package. */
export function taskPath(relativePath: string): string {
  return `${TASK_ROOT}/${relativePath}`;
}

/**
 * Node's error for `require(specifier)` that finds nothing, from a module
 * whose CommonJS parents (nearest first, as /var/task paths) are given;
 * `loadedByRuntime` when the last of them is the handler module, which
 * Lambda's runtime requires.
 */
export function requireNotFound(specifier: string, parents: readonly string[], loadedByRuntime: boolean): NodeLoadError {
  const requireStack = loadedByRuntime ? [...parents, LAMBDA_RUNTIME_MODULE] : [...parents];
  return {
    name: 'Error',
    message: `Cannot find module '${specifier}'\nRequire stack:\n${requireStack.map((p) => `- ${p}`).join('\n')}`,
    code: 'MODULE_NOT_FOUND',
    requireStack,
  };
}

/** Node's error for an `import` (static or dynamic) that finds nothing. */
export function importNotFound(specifier: string, importer: string): NodeLoadError {
  const bare = !specifier.startsWith('.') && !specifier.startsWith('/');
  if (bare) {
    const parts = specifier.split('/');
    const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
    return { name: 'Error', message: `Cannot find package '${packageName}' imported from ${importer}`, code: 'ERR_MODULE_NOT_FOUND' };
  }
  const base = importer.slice(0, importer.lastIndexOf('/') + 1);
  const resolved = new URL(specifier, `file://${base}`).pathname;
  return { name: 'Error', message: `Cannot find module '${resolved}' imported from ${importer}`, code: 'ERR_MODULE_NOT_FOUND' };
}

/**
 * Lambda's runtime, given a handler file that does not exist, falls back to
 * `require(<module>)` from its own module, which fails so.
 */
export function handlerFileNotFound(modulePath: string): NodeLoadError {
  const module = modulePath.slice(modulePath.lastIndexOf('/') + 1);
  return requireNotFound(module, [], true);
}

/**
 * V8's SyntaxError for a CommonJS file, compiled as Node compiles one (a
 * function of exports, require, module, __filename and __dirname; nothing
 * runs); undefined when it compiles.
 */
export function commonJsSyntaxError(source: string, file: string): NodeLoadError | undefined {
  try {
    compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxError || (err instanceof Error && err.name === 'SyntaxError')) return { name: 'SyntaxError', message: err.message };
    return undefined;
  }
}

/** Node's SyntaxError for a JSON file that a `require()` loads: the file's path, then JSON.parse's message. */
export function jsonSyntaxError(source: string, file: string): NodeLoadError | undefined {
  try {
    JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
    return undefined;
  } catch (err) {
    return { name: 'SyntaxError', message: `${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Node's error for CommonJS code (`module`, `exports`, `require`) in a file
 * that loads as an ES module: a ReferenceError when the code first touches
 * it, with the hint Node adds when package.json "type" is the cause.
 */
export function commonJsInModuleScope(source: string, entry: string, typeModulePackageJson: string | undefined): NodeLoadError {
  const global = /\bmodule\s*\.\s*exports\b/.test(source) ? 'module' : /\bexports\b/.test(source) ? 'exports' : 'require';
  let message = `${global} is not defined in ES module scope`;
  if (global === 'require') message += ', you can use import instead';
  if (entry.endsWith('.js') && typeModulePackageJson !== undefined) {
    message +=
      "\nThis file is being treated as an ES module because it has a '.js' file extension and " +
      `'${taskPath(typeModulePackageJson)}' contains "type": "module". To treat it as a CommonJS script, rename it to use the '.cjs' file extension.`;
  }
  return { name: 'ReferenceError', message };
}
