import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ImportKind, OnResolveArgs, OnResolveResult, Plugin } from 'esbuild';
import { importNotFound, requireNotFound, taskPath, throwingModuleSource, type NodeLoadError } from './load-errors.js';

/** Namespace of the stand-ins for modules the code names but the package lacks. */
export const MISSING_NAMESPACE = 'stratus-missing';

interface Parent {
  readonly path: string;
  readonly kind: ImportKind;
}

/**
 * Modules the code imports that are not in the package. Node fails a
 * `require()` or `import()` of one only when it runs (libraries guard
 * optional dependencies with try/catch: `pg` and `pg-native`), so each
 * becomes a module that throws Node's "Cannot find module" error when
 * evaluated. A static `import` of one fails the whole module graph before
 * anything runs, so it fails the function's init instead (`loadError`).
 */
export class MissingModules {
  /** Each file's first importer, as Node's `module.parent`: the require stack. */
  readonly #parents = new Map<string, Parent>();
  readonly #errors = new Map<string, NodeLoadError>();
  readonly #warnings: string[] = [];
  #loadError: NodeLoadError | undefined;

  constructor(
    private readonly packageDir: string,
    private readonly entryPath: string,
    private readonly entryLoadsAsCommonJs: boolean,
  ) {}

  /** Warnings naming each missing module and where it is imported. */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /** The error the function's init fails with (a static import of a missing module), if any. */
  get loadError(): NodeLoadError | undefined {
    return this.#loadError;
  }

  /** Records where a file inside the package was first imported from. */
  noteResolved(path: string, args: OnResolveArgs): void {
    if (args.kind === 'entry-point' || this.#parents.has(path)) return;
    this.#parents.set(path, { path: args.importer, kind: args.kind });
  }

  /**
   * A stand-in for an import of user code that esbuild could not resolve,
   * when what it names is absent from the package; undefined leaves it an
   * error (a package that is there but does not resolve, a path that leaves
   * the package, a package.json "imports" name).
   */
  standIn(args: OnResolveArgs): OnResolveResult | undefined {
    if (!this.#absent(args.path, args.resolveDir)) return undefined;
    const importer = this.#shown(args.importer);
    const key = `${args.kind}\0${args.importer}\0${args.path}`;
    let error: NodeLoadError;
    if (args.kind === 'require-call') {
      error = requireNotFound(args.path, this.#requireStack(args.importer), this.#reachesRuntime(args.importer));
      this.#warnings.push(
        `${importer}: require(${JSON.stringify(args.path)}) finds no module in the package: the call throws "Cannot find module '${args.path}'" (MODULE_NOT_FOUND) when it runs, as on Lambda`,
      );
    } else if (args.kind === 'dynamic-import') {
      error = importNotFound(args.path, taskPath(importer));
      this.#warnings.push(
        `${importer}: import(${JSON.stringify(args.path)}) finds no module in the package: it rejects with ERR_MODULE_NOT_FOUND when it runs, as on Lambda`,
      );
    } else if (args.kind === 'import-statement') {
      error = importNotFound(args.path, taskPath(importer));
      this.#loadError ??= error;
      this.#warnings.push(
        `${importer}: import ${JSON.stringify(args.path)} finds no module in the package: every invocation fails with Runtime.ImportModuleError "Error: ${error.message}" before any code runs, as on Lambda`,
      );
    } else {
      return undefined;
    }
    this.#errors.set(key, error);
    return { path: key, namespace: MISSING_NAMESPACE };
  }

  /** Loads the stand-ins. */
  plugin(): Plugin {
    return {
      name: 'stratus-missing-modules',
      setup: (build) => {
        build.onLoad({ filter: /.*/, namespace: MISSING_NAMESPACE }, (args) => {
          const error = this.#errors.get(args.path);
          return error === undefined ? undefined : { contents: throwingModuleSource(error), loader: 'js' };
        });
      },
    };
  }

  /** The importer and its CommonJS parents, as Node lists them (nearest first). */
  #requireStack(importer: string): string[] {
    const stack = [taskPath(this.#shown(importer))];
    let current = importer;
    for (let parent = this.#parents.get(current); parent !== undefined && parent.kind === 'require-call'; parent = this.#parents.get(current)) {
      current = parent.path;
      stack.push(taskPath(this.#shown(current)));
    }
    return stack;
  }

  /** Whether the chain of requires reaches the handler module, which Lambda's runtime requires when it is CommonJS. */
  #reachesRuntime(importer: string): boolean {
    let current = importer;
    for (;;) {
      if (current === this.entryPath) return this.entryLoadsAsCommonJs;
      const parent = this.#parents.get(current);
      if (parent === undefined || parent.kind !== 'require-call') return false;
      current = parent.path;
    }
  }

  #absent(specifier: string, resolveDir: string): boolean {
    if (specifier.startsWith('#')) return false;
    if (specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../')) {
      return this.#inside(resolve(resolveDir, specifier));
    }
    const parts = specifier.split('/');
    const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
    for (let dir = resolveDir; this.#inside(dir); dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules', packageName))) return false;
      if (dir === this.packageDir) break;
    }
    return true;
  }

  #inside(path: string): boolean {
    return path === this.packageDir || path.startsWith(this.packageDir + sep);
  }

  #shown(path: string): string {
    return relative(this.packageDir, path).split(sep).join('/');
  }
}
