import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { context, type BuildFailure, type BuildOptions, type Message } from 'esbuild';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { StratusError, hasCode } from '@stratus/errors';
import { LIMITS } from '@stratus/contracts';
import { globalsInjectSource, nodeBuiltinsPlugin, POLYFILL_ROOTS } from './node-builtins-plugin.js';
import { confinementPlugin } from './confinement-plugin.js';
import { checkModuleType } from './module-type.js';
import { resolveHandlerFile } from './resolve-handler.js';
import { extractZip, type ExtractLimits } from './extract-zip.js';

/** Lambda's limit on a function's unzipped code (250 MB). */
export const UNZIPPED_MAX_BYTES = LIMITS.unzippedCodeMaxBytes;

/** What a deploy may unzip: Lambda's 50 MB zipped and 250 MB unzipped, and at most LIMITS.zipMaxEntries entries. */
export const CODE_LIMITS: ExtractLimits = {
  zipMaxBytes: LIMITS.zipMaxBytes,
  unzippedMaxBytes: LIMITS.unzippedCodeMaxBytes,
  maxEntries: LIMITS.zipMaxEntries,
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
  /** Hex SHA-256 of the script's UTF-8 bytes. */
  readonly sha256: string;
  /** Size of the script in UTF-8 bytes. */
  readonly size: number;
  /** esbuild's warnings, each as "file:line:column: text". */
  readonly warnings: string[];
}

/** How many esbuild errors a deploy error message quotes. */
const ERRORS_SHOWN = 5;

/**
 * Turns uploaded code into the single script the runtime loads. Fails with
 * INVALID_CODE (details.errorType a Lambda `Runtime.*` name where Lambda has
 * one) for what Lambda would report at the first invocation, so users learn
 * of it at deploy time.
 */
export async function bundleFunction(options: BundleOptions): Promise<BundleResult> {
  // The package and what the bundler adds live side by side, so nothing the
  // zip holds can stand in for the bundler's own files.
  const workDir = await realpath(await mkdtemp(join(tmpdir(), 'stratus-bundle-')));
  try {
    const packageDir = join(workDir, 'package');
    await mkdir(packageDir);
    const extracted = await extractZip(options.zip, packageDir, options.limits ?? CODE_LIMITS);
    const entry = resolveHandlerFile(options.handler, extracted.paths);
    const injectSource = globalsInjectSource(extracted.globalsUsed);
    let injectPath: string | undefined;
    if (injectSource !== undefined) {
      injectPath = join(workDir, 'inject', 'globals.mjs');
      await mkdir(dirname(injectPath), { recursive: true });
      await writeFile(injectPath, injectSource);
    }
    return await bundleDirectory({ packageDir, entry, injectPath, packageJsons: extracted.packageJsons });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
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
  let refused: string | undefined;
  let cancel: (() => Promise<void>) | undefined;
  const confinement = confinementPlugin({
    packageDir,
    polyfillRoots: POLYFILL_ROOTS,
    trustedFiles: new Set(injectPath === undefined ? [] : [injectPath]),
    onRefused: (message) => {
      // The first refusal fails the deploy: stop esbuild rather than let a
      // glob import go on reading the host's folders.
      if (refused !== undefined) return;
      refused = message;
      void cancel?.();
    },
  });
  const options: BuildOptions & { write: false; metafile: true } = {
    absWorkingDir: packageDir,
    entryPoints: [entry],
    write: false,
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
    plugins: [confinement, nodeBuiltinsPlugin(unsupported)],
  };
  const ctx = await context(options);
  cancel = () => ctx.cancel();
  let result;
  try {
    result = await ctx.rebuild();
  } catch (err) {
    if (refused !== undefined) throw confinementError(refused, err);
    throw buildError(err);
  } finally {
    await ctx.dispose();
  }
  // A cancelled build may resolve with what it had.
  if (refused !== undefined) throw confinementError(refused, undefined);
  const output = result.outputFiles[0];
  if (!output) throw new StratusError('INTERNAL', 'esbuild produced no output');
  checkModuleType(entry, result.metafile.inputs[entry]?.format, packageJsons);
  const warnings = [...tsconfig.warnings, ...result.warnings.map(formatMessage)];
  for (const name of [...unsupported].sort()) {
    warnings.push(`the code imports the Node.js built-in module '${name}', which is not available in Stratus: loading it fails with Runtime.ImportModuleError`);
  }
  const script = output.text;
  return {
    script,
    sha256: createHash('sha256').update(output.contents).digest('hex'),
    size: output.contents.byteLength,
    warnings,
  };
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
