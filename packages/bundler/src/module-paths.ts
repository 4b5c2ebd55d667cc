import { transform, type Loader } from 'esbuild';

/** Where Lambda puts a function's package. */
export const TASK_ROOT = '/var/task';

const MENTIONS_CJS_PATHS = /\b__(?:dirname|filename)\b/;
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
): Promise<string | undefined> {
  const filename = `${TASK_ROOT}/${file}`;
  const dirname = filename.slice(0, filename.lastIndexOf('/'));
  if (!esm) {
    if (!MENTIONS_CJS_PATHS.test(source)) return undefined;
    // `var`, ahead of the code and on its first line, so line numbers stay
    // and the file may still declare them again with `var` as Node allows.
    const prologue = PROLOGUE.exec(source)?.[0] ?? '';
    return `${prologue}var __filename = ${JSON.stringify(filename)}, __dirname = ${JSON.stringify(dirname)};${source.slice(prologue.length)}`;
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
