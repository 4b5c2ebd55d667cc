import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { context, type BuildFailure, type BuildOptions, type Message } from 'esbuild';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { StratusError, hasCode } from '@stratus/errors';
import { LIMITS, encodeCodePackage, parseHandler, type PackageFile } from '@stratus/contracts';
import { BUILTIN_SPECIFIER, globalsInjectSource, nodeBuiltinsPlugin, POLYFILL_ROOTS } from './node-builtins-plugin.js';
import { confinementPlugin } from './confinement-plugin.js';
import { awsSdkLayer, type AwsSdkLayer } from './aws-sdk-layer.js';
import { loadsAsModule, moduleTypeError } from './module-type.js';
import { resolveHandlerFile } from './resolve-handler.js';
import { TASK_ROOT, withModulePaths } from './module-paths.js';
import { MissingModules } from './missing-modules.js';
import {
  commonJsSyntaxError,
  handlerFileNotFound,
  jsonSyntaxError,
  taskPath,
  throwingModuleSource,
  type NodeLoadError,
} from './load-errors.js';
import { extractZip, type ExtractedPackage, type ExtractLimits } from './extract-zip.js';

/** Lambda's limit on a function's unzipped code (250 MB). */
export const UNZIPPED_MAX_BYTES = LIMITS.unzippedCodeMaxBytes;

/** What a deploy may unzip: Lambda's 50 MB zipped and 250 MB unzipped, at most LIMITS.zipMaxEntries entries, and at most LIMITS.packageFilesMaxBytes of files carried to run time. */
export const CODE_LIMITS: ExtractLimits = {
  zipMaxBytes: LIMITS.zipMaxBytes,
  unzippedMaxBytes: LIMITS.unzippedCodeMaxBytes,
  maxEntries: LIMITS.zipMaxEntries,
  carriedMaxBytes: LIMITS.packageFilesMaxBytes,
};

export interface BundleOptions {
  /** The function's code as uploaded: a zip (Lambda's layout), at most LIMITS.zipMaxBytes. */
  readonly zip: Uint8Array;
  /** Lambda handler string, "file.export" or "dir/file.export". */
  readonly handler: string;
  /** Default CODE_LIMITS. */
  readonly limits?: ExtractLimits;
}

export interface BundleResult {
  /**
   * One ES module whose exports are the handler module's exports. A CommonJS
   * handler module appears as a `default` export holding its module.exports.
   * Its only imports are Node built-ins, which the runtime provides or reports.
   */
  readonly script: string;
  /**
   * The package's files the function can read under /var/task at run time
   * (everything but code, and but docs and the like in node_modules; see
   * package-files.ts), at most LIMITS.packageFilesMaxBytes together.
   */
  readonly files: readonly PackageFile[];
  /**
   * esbuild's source map of `script` (sources relative to the package root,
   * without their contents), stored with the code so the runtime can name
   * the user's own files and lines in stack traces. Absent for the scripts
   * that stand in for code that cannot load.
   */
  readonly sourceMap?: string;
  /** Hex SHA-256 of the stored code (encodeCodePackage: the script's UTF-8 bytes when no files are carried). */
  readonly sha256: string;
  /** Size of the stored code in bytes. */
  readonly size: number;
  /**
   * What the user should know, each one line or a few: esbuild's warnings
   * ("file:line:column: text"), Node.js built-ins Stratus lacks, modules
   * the code requires that the package lacks, and problems that make every
   * invocation fail the way Lambda's would (a missing handler file, a
   * syntax error, a static import of a missing module, a module-type
   * mismatch, a malformed handler string).
   */
  readonly warnings: string[];
}

/** How many esbuild errors a deploy error message quotes. */
const ERRORS_SHOWN = 5;

/**
 * Turns uploaded code into the single script the runtime loads. Code that
 * bundles but would fail to load on Lambda (a missing handler file, a syntax
 * error, a static import of a missing module, a module-type mismatch, a
 * malformed handler string) deploys as on Lambda: its script throws Node's
 * error at init, which the runtime reports as Lambda's first invocation
 * would, and a warning says so. Fails with INVALID_CODE (details.errorType
 * a Lambda `Runtime.*` name where Lambda has one) for what Stratus itself
 * cannot bundle: TypeScript that does not compile, imports outside the
 * package, files of other kinds.
 */
export async function bundleFunction(options: BundleOptions): Promise<BundleResult> {
  // The package and what the bundler adds live side by side, so nothing the
  // zip holds can stand in for the bundler's own files.
  const workDir = await realpath(await mkdtemp(join(tmpdir(), 'stratus-bundle-')));
  try {
    const packageDir = join(workDir, 'package');
    await mkdir(packageDir);
    const extracted = await extractZip(options.zip, packageDir, options.limits ?? CODE_LIMITS);
    return withFiles(await bundleExtracted(workDir, packageDir, extracted, options.handler), extracted.files);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function bundleExtracted(workDir: string, packageDir: string, extracted: ExtractedPackage, handler: string): Promise<BundleResult> {
  try {
    parseHandler(handler);
  } catch (err) {
    if (!hasCode(err, 'INVALID_ARGUMENT')) throw err;
    // Lambda's runtime checks the handler string before it loads anything; so does Stratus's.
    return scriptResult('export {};\n', [
      `the handler ${JSON.stringify(handler)} is not "file.export": every invocation fails with Runtime.MalformedHandlerName "Bad handler", as on Lambda`,
    ]);
  }
  const handlerFile = resolveHandlerFile(handler, extracted.paths);
  if ('missing' in handlerFile) {
    const error = handlerFileNotFound(handlerFile.modulePath);
    return scriptResult(throwingModuleSource(error), [`${handlerFile.missing}: ${loadFailureWarning(error)}`]);
  }
  const entry = handlerFile.found;
  const injectSource = globalsInjectSource(extracted.globalsUsed);
  let injectPath: string | undefined;
  if (injectSource !== undefined) {
    injectPath = join(workDir, 'inject', 'globals.mjs');
    await mkdir(dirname(injectPath), { recursive: true });
    await writeFile(injectPath, injectSource);
  }
  return await bundleDirectory({ packageDir, entry, injectPath, packageJsons: extracted.packageJsons });
}

interface DirectoryBundle {
  /** Real path of the unzipped package. */
  readonly packageDir: string;
  /** The handler's file, relative to packageDir. */
  readonly entry: string;
  /** Real path of the globals inject file, outside packageDir. */
  readonly injectPath: string | undefined;
  /** Each package.json's bytes by path inside the package. */
  readonly packageJsons: ReadonlyMap<string, Uint8Array>;
}

/** Bundles an unzipped package, reading nothing outside it but the runtime's polyfills. Exported for tests. */
export async function bundleDirectory({ packageDir, entry, injectPath, packageJsons }: DirectoryBundle): Promise<BundleResult> {
  const unsupported = new Set<string>();
  const tsconfig = await readTsconfig(packageDir);
  const missing = new MissingModules(packageDir, join(packageDir, entry), !loadsAsModule(entry, packageJsons));
  let refused: string | undefined;
  let cancel: (() => Promise<void>) | undefined;
  const sdk = awsSdkLayer();
  const confinement = confinementPlugin({
    packageDir,
    polyfillRoots: POLYFILL_ROOTS,
    fallback: sdk,
    trustedFiles: new Set(injectPath === undefined ? [] : [injectPath]),
    onRefused: (message) => {
      // The first refusal fails the deploy: stop esbuild rather than let a
      // glob import go on reading the host's folders.
      if (refused !== undefined) return;
      refused = message;
      void cancel?.();
    },
    onResolved: (path, args) => missing.noteResolved(path, args),
    onUnresolvable: (args) => missing.standIn(args),
    rewrite: async (path, file) => {
      const ext = extname(file);
      if (ext === '.json') return undefined;
      const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : 'js';
      const esm = ext === '.mjs' || ext === '.mts' || (ext !== '.cjs' && ext !== '.cts' && loadsAsModule(file, packageJsons));
      const contents = await withModulePaths(await readFile(path, 'utf8'), file, esm, loader, tsconfig.raw, (specifier) =>
        Promise.resolve(lambdaResolvedPath(specifier, path, packageDir, sdk)),
      );
      if (contents === undefined) return undefined;
      return { contents, loader: esm ? 'js' : loader, resolveDir: dirname(path) };
    },
  });
  const options: BuildOptions & { write: false; metafile: true } = {
    absWorkingDir: packageDir,
    entryPoints: [entry],
    write: false,
    // The map is kept beside the script (no comment in it) and names sources relative to the package root.
    outfile: join(packageDir, BUNDLE_FILE),
    sourcemap: 'external',
    sourcesContent: false,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    // Lambda code is written for Node: pick packages' Node builds. 'module'
    // is what esbuild adds when no conditions are given; keep it.
    conditions: ['node', 'module'],
    logLevel: 'silent',
    metafile: true,
    // Node's globals that V8 lacks (Buffer, URL, URLSearchParams), bundled only where referenced.
    inject: injectPath === undefined ? [] : [injectPath],
    // esbuild would otherwise read tsconfig.json files itself, following
    // `extends` anywhere on disk and quoting what it read in errors.
    tsconfigRaw: tsconfig.raw,
    plugins: [confinement, missing.plugin(), nodeBuiltinsPlugin(unsupported, [...sdk.packages.values()])],
  };
  const ctx = await context(options);
  cancel = () => ctx.cancel();
  let result;
  try {
    result = await ctx.rebuild();
  } catch (err) {
    if (refused !== undefined) throw confinementError(refused, err);
    const failure = await syntaxFailure(err, packageDir, packageJsons);
    if (failure !== undefined) return scriptResult(failure.script, [...tsconfig.warnings, failure.warning]);
    throw buildError(err);
  } finally {
    await ctx.dispose();
  }
  // A cancelled build may resolve with what it had.
  if (refused !== undefined) throw confinementError(refused, undefined);
  const output = result.outputFiles.find((file) => file.path.endsWith(BUNDLE_FILE));
  if (!output) throw new StratusError('INTERNAL', 'esbuild produced no output');
  const sourceMap = result.outputFiles.find((file) => file.path.endsWith(`${BUNDLE_FILE}.map`))?.text;
  const warnings = [...tsconfig.warnings, ...missing.warnings, ...result.warnings.map(formatMessage)];
  for (const name of [...unsupported].sort()) {
    warnings.push(`the code imports the Node.js built-in module '${name}', which is not available in Stratus: loading it fails with Runtime.ImportModuleError`);
  }
  const mismatch = moduleTypeError(entry, await readFile(join(packageDir, entry), 'utf8'), result.metafile.inputs[entry]?.format, packageJsons);
  if (mismatch !== undefined) {
    return scriptResult(throwingModuleSource(mismatch), [...warnings, `${entry}: ${loadFailureWarning(mismatch)}`]);
  }
  // Missing modules' own warnings say what a static import of one does.
  if (missing.loadError !== undefined) return scriptResult(throwingModuleSource(missing.loadError), warnings);
  return withFiles({ script: output.text, files: [], sha256: '', size: 0, warnings, ...(sourceMap !== undefined ? { sourceMap } : {}) }, []);
}

/**
 * What `require.resolve(specifier)` gives on Lambda from the package file at
 * `from` (a real path): a built-in's own name, `/var/task/...` for a file of
 * the package, `/var/runtime/node_modules/...` for the SDK Stratus offers.
 * Node's own resolution finds it; anything it finds outside those folders
 * (a `..` path, a package.json pointing out, the host's node_modules above
 * the package) counts as not found, so nothing of the host is named.
 */
function lambdaResolvedPath(specifier: string, from: string, packageDir: string, sdk: AwsSdkLayer): string | undefined {
  if (BUILTIN_SPECIFIER.test(specifier)) return specifier;
  if (isAbsolute(specifier) || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)) return undefined;
  const inside = (path: string, dir: string): boolean => path.startsWith(dir + sep);
  try {
    const found = realpathSync(createRequire(from).resolve(specifier));
    if (inside(found, packageDir)) return `${TASK_ROOT}/${relative(packageDir, found).split(sep).join('/')}`;
  } catch {
    // Not in the package; perhaps offered.
  }
  const offeredDir = sdk.packageDirOf(specifier);
  if (offeredDir === undefined) return undefined;
  try {
    const found = realpathSync(createRequire(join(sdk.resolveDir, 'index.js')).resolve(specifier));
    const name = /^(@[^/]+\/[^/]+)/.exec(specifier)?.[1] ?? '';
    if (inside(found, offeredDir)) return `/var/runtime/node_modules/${name}/${relative(offeredDir, found).split(sep).join('/')}`;
  } catch {
    // Not found.
  }
  return undefined;
}

/** The bundle's name in esbuild's output; not a file anyone reads. */
const BUNDLE_FILE = '__stratus_bundle.mjs';

function scriptResult(script: string, warnings: string[]): BundleResult {
  return withFiles({ script, files: [], sha256: '', size: 0, warnings }, []);
}

function withFiles(result: BundleResult, files: readonly PackageFile[]): BundleResult {
  const bytes = encodeCodePackage({ script: result.script, files, ...(result.sourceMap !== undefined ? { sourceMap: result.sourceMap } : {}) });
  return { ...result, files, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength };
}

/** What a warning says of an error the function's init will throw, in the words the first invocation will use. */
function loadFailureWarning(error: NodeLoadError): string {
  const firstLine = (text: string): string => text.split('\n')[0] ?? text;
  if (error.name === 'SyntaxError') {
    return `every invocation fails with Runtime.UserCodeSyntaxError "SyntaxError: ${firstLine(error.message)}", as on Lambda`;
  }
  if (error.code !== undefined) return `every invocation fails with Runtime.ImportModuleError "Error: ${firstLine(error.message)}", as on Lambda`;
  return `every invocation fails with ${error.name} "${firstLine(error.message)}", as Node.js loads this file on Lambda`;
}

/**
 * A build that failed on a syntax error in a JavaScript or JSON file gives
 * a script that fails init as Node would have failed loading that file:
 * CommonJS and JSON files are checked here by V8 and JSON.parse, for their
 * exact message; an ES module's own source becomes the script, so the
 * isolate's V8 reports it. TypeScript that does not compile stays a deploy
 * error: Lambda would not run it at all. Undefined for other failures.
 */
async function syntaxFailure(
  err: unknown,
  packageDir: string,
  packageJsons: ReadonlyMap<string, Uint8Array>,
): Promise<{ script: string; warning: string } | undefined> {
  if (!isBuildFailure(err) || err.errors.length === 0 || err.errors.some(isImportProblem)) return undefined;
  const first = err.errors[0];
  const file = first?.location?.file;
  if (first === undefined || file === undefined || file.startsWith('..') || file.startsWith('/')) return undefined;
  const ext = extname(file);
  if (!['.js', '.mjs', '.cjs', '.json'].includes(ext)) return undefined;
  let source: string;
  try {
    source = await readFile(join(packageDir, file), 'utf8');
  } catch {
    return undefined;
  }
  const where = formatMessage(first);
  if (ext !== '.json' && loadsAsModule(file, packageJsons)) {
    return { script: source, warning: `${where}: every invocation fails with Runtime.UserCodeSyntaxError, as on Lambda` };
  }
  const error: NodeLoadError = (ext === '.json' ? jsonSyntaxError(source, taskPath(file)) : commonJsSyntaxError(source, taskPath(file))) ?? {
    name: 'SyntaxError',
    message: first.text,
  };
  return { script: throwingModuleSource(error), warning: `${where}: ${loadFailureWarning(error)}` };
}

/** The first refusal, with where esbuild says the import is when it says so. */
function confinementError(message: string, cause: unknown): StratusError {
  const located = isBuildFailure(cause) ? cause.errors.find((e) => e.pluginName === 'stratus-confinement' && e.text === message && e.location) : undefined;
  return new StratusError('INVALID_CODE', located ? formatMessage(located) : message, {
    details: { errorType: 'Runtime.ImportModuleError' },
    cause,
  });
}

/**
 * The package's root tsconfig.json, for what esbuild takes from it (paths,
 * decorators, class fields, JSX). Only its own compilerOptions count:
 * `extends` could name any file on the host, so it is not followed.
 */
async function readTsconfig(packageDir: string): Promise<{ raw: string; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(join(packageDir, 'tsconfig.json'), 'utf8');
  } catch {
    return { raw: '{}', warnings: [] };
  }
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof parsed !== 'object' || parsed === null) {
    return { raw: '{}', warnings: ['tsconfig.json is not valid JSON and was ignored'] };
  }
  const config = parsed as Record<string, unknown>;
  const warnings = 'extends' in config ? ['tsconfig.json: "extends" is not followed; only its own compilerOptions are used'] : [];
  return { raw: JSON.stringify({ compilerOptions: config['compilerOptions'] ?? {} }), warnings };
}

function buildError(err: unknown): StratusError {
  if (hasCode(err)) return err;
  const errors = isBuildFailure(err) ? err.errors : [];
  if (errors.length === 0) {
    return new StratusError('INTERNAL', `bundling failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const lines = errors.slice(0, ERRORS_SHOWN).map(formatMessage);
  if (errors.length > ERRORS_SHOWN) lines.push(`… and ${errors.length - ERRORS_SHOWN} more errors`);
  return new StratusError('INVALID_CODE', lines.join('\n'), {
    details: { errorType: errors.every(isImportProblem) ? 'Runtime.ImportModuleError' : 'Runtime.UserCodeSyntaxError' },
    cause: err,
  });
}

/** esbuild reports modules it cannot find or load with these texts; everything else is the code itself. */
function isImportProblem(message: Message): boolean {
  return message.text.startsWith('Could not resolve') || message.text.startsWith('No loader is configured');
}

function isBuildFailure(err: unknown): err is BuildFailure {
  return err instanceof Error && Array.isArray((err as Partial<BuildFailure>).errors);
}

function formatMessage(message: Message): string {
  const loc = message.location;
  return loc ? `${loc.file}:${loc.line}:${loc.column + 1}: ${message.text}` : message.text;
}
