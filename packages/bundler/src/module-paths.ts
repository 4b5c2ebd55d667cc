import { transform, type Loader } from 'esbuild';

/** Where Lambda puts a function's package. */
export const TASK_ROOT = '/var/task';

const MENTIONS_CJS_PATHS = /\b__(?:dirname|filename)\b|\brequire\.resolve\s*\(/;
/** `require.resolve(` as code calls it; a literal argument is captured. */
const REQUIRE_RESOLVE_CALL = /\brequire\.resolve\s*\(/;
const REQUIRE_RESOLVE_CALLS = new RegExp(REQUIRE_RESOLVE_CALL.source, 'g');
const REQUIRE_RESOLVE_LITERAL = /\brequire\.resolve\s*\(\s*(['"])([^'"\\\n]+)\1\s*\)/g;
/** What `require.resolve` calls become in a CommonJS file: a lookup in the table of its literal arguments. */
const RESOLVE_FUNCTION = '__stratus_require_resolve';
const MENTIONS_ESM_GLOBALS = /\bimport\.meta\b|\brequire\b/;
/** A hashbang, comments and a directive prologue: what must stay ahead of anything added to a CommonJS file. */
const PROLOGUE = /^(?:#![^\n]*\n)?(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:(['"])use strict\1;?)?/;
/** Unbound in the bundle, so `typeof require` is 'undefined' in an ES module, as in Node. */
const ESM_REQUIRE = '__stratus_require_is_not_defined_in_ES_module_scope';

/**
 * A file's source with the paths Node gives each module, as Lambda has them
 * (`/var/task/<file>`): `__dirname` and `__filename` in a CommonJS file,
 * `import.meta.url`, `import.meta.dirname` and `import.meta.filename` in an
 * ES module, where `require` stays undefined. Bundling puts every module in
 * one script, so each gets its own values here, before esbuild merges them.
 * Undefined when the file uses none of them (it loads unchanged).
 */
export async function withModulePaths(
  source: string,
  file: string,
  esm: boolean,
  loader: Loader,
  tsconfigRaw: string,
  resolveRequest: (specifier: string) => Promise<string | undefined> = () => Promise.resolve(undefined),
): Promise<string | undefined> {
  const filename = `${TASK_ROOT}/${file}`;
  const dirname = filename.slice(0, filename.lastIndexOf('/'));
  if (!esm) {
    if (!MENTIONS_CJS_PATHS.test(source)) return undefined;
    // `var`, ahead of the code and on its first line, so line numbers stay
    // and the file may still declare them again with `var` as Node allows.
    const prologue = PROLOGUE.exec(source)?.[0] ?? '';
    let body = source.slice(prologue.length);
    let resolver = '';
    if (REQUIRE_RESOLVE_CALL.test(body)) {
      resolver = await requireResolveSource(body, filename, resolveRequest);
      body = body.replace(REQUIRE_RESOLVE_CALLS, `${RESOLVE_FUNCTION}(`);
    }
    return `${prologue}var __filename = ${JSON.stringify(filename)}, __dirname = ${JSON.stringify(dirname)};${resolver}${body}`;
  }
  if (!MENTIONS_ESM_GLOBALS.test(source)) return undefined;
  let result;
  try {
    result = await transform(source, {
    loader,
    format: 'esm',
    target: 'es2022',
    sourcefile: file,
    tsconfigRaw,
    logLevel: 'silent',
    define: {
      'import.meta.url': JSON.stringify(`file://${encodeURI(filename)}`),
      'import.meta.dirname': JSON.stringify(dirname),
      'import.meta.filename': JSON.stringify(filename),
      require: ESM_REQUIRE,
    },
  });
  } catch {
    // A syntax error: esbuild's build reports it where it is, as for any other file.
    return undefined;
  }
  return result.code;
}

/**
 * `require.resolve` for one CommonJS file, on one line: the bundle has no
 * module system at run time, so each literal argument is resolved at deploy
 * (`resolveRequest`: Lambda's path of the file Node would find, or the
 * built-in's own name) and a call looks it up; anything else (a computed
 * argument, a module the package lacks) throws Node's MODULE_NOT_FOUND error.
 */
async function requireResolveSource(body: string, filename: string, resolveRequest: (specifier: string) => Promise<string | undefined>): Promise<string> {
  const table: Record<string, string> = {};
  for (const match of body.matchAll(REQUIRE_RESOLVE_LITERAL)) {
    const specifier = match[2];
    if (specifier === undefined || Object.hasOwn(table, specifier)) continue;
    const resolved = await resolveRequest(specifier);
    if (resolved !== undefined) table[specifier] = resolved;
  }
  const notFound = `const err = new Error("Cannot find module '" + request + "'\\nRequire stack:\\n- " + ${JSON.stringify(filename)}); err.code = 'MODULE_NOT_FOUND'; err.requireStack = [${JSON.stringify(filename)}]; throw err;`;
  return `var ${RESOLVE_FUNCTION} = (request) => { const table = ${JSON.stringify(table)}; if (typeof request === 'string' && Object.prototype.hasOwnProperty.call(table, request)) return table[request]; ${notFound} };`;
}
