import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The AWS SDK v3 packages a function may import without shipping them, as
 * Lambda's Node.js 20 runtime offers its own SDK: this package's pinned
 * dependencies (package.json, exact versions in the lockfile). Everything
 * they depend on (`@smithy/*`, `@aws-sdk/core`, …) is offered too, as
 * Lambda's `/var/runtime/node_modules` holds it.
 */
export const AWS_SDK_PACKAGES: readonly string[] = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sqs',
  '@aws-sdk/lib-dynamodb',
];

/** Scopes of the packages the SDK is made of; nothing else in this repository's node_modules is offered. */
const SDK_SCOPES = ['@aws-sdk/', '@smithy/', '@aws-crypto/', '@aws/'];

/** A package name and an optional subpath, with no `.`/`..` segments, nothing that could walk out of the package. */
const SCOPED_SPECIFIER = /^(@[a-z0-9-]+\/[a-z0-9._-]+)(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

export interface AwsSdkLayer {
  /** A folder from which Node's lookup finds every offered package (the `node_modules` they were installed into, one up). */
  readonly resolveDir: string;
  /** Each offered package's name and real folder: the SDK's clients and everything they depend on, in the SDK's scopes. */
  readonly packages: ReadonlyMap<string, string>;
  /** Real paths of the `node_modules` folders those packages live in: what bundling may read for them. */
  readonly roots: readonly string[];
  /**
   * The real folder of the offered package an import names, when the function's package does not satisfy it
   * and the layer may: a package name and subpath with no `.`/`..` segments; what it resolves to must stay
   * inside that folder. Undefined for anything else.
   */
  packageDirOf(specifier: string): string | undefined;
}

let layer: AwsSdkLayer | undefined;

/** The SDK packages installed with this package, found once per process. */
export function awsSdkLayer(): AwsSdkLayer {
  layer ??= findLayer();
  return layer;
}

function findLayer(): AwsSdkLayer {
  const packages = new Map<string, string>();
  // Found as Node would from this package's own files: its dependencies, wherever npm put them.
  const ownDir = fileURLToPath(new URL('.', import.meta.url));
  const queue = AWS_SDK_PACKAGES.map((name) => ({ name, from: ownDir }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (packages.has(next.name) || !SDK_SCOPES.some((scope) => next.name.startsWith(scope))) continue;
    const dir = realpathSync(packageDir(next.name, next.from));
    packages.set(next.name, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dependency, from: dir });
  }
  const first = packages.get(AWS_SDK_PACKAGES[0] ?? '');
  if (first === undefined) throw new Error('the AWS SDK layer is not installed');
  const roots = [...new Set([...packages.values()].map(nodeModulesOf))];
  return {
    resolveDir: dirname(nodeModulesOf(first)),
    packages,
    roots,
    packageDirOf: (specifier) => {
      const name = SCOPED_SPECIFIER.exec(specifier)?.[1];
      return name === undefined ? undefined : packages.get(name);
    },
  };
}

/** Where Node finds package `name` from folder `from`: the nearest node_modules/<name> up the tree. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the AWS SDK layer lacks ${name}: reinstall @stratus/bundler's dependencies`);
  }
}

function nodeModulesOf(dir: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = dir.lastIndexOf(marker);
  if (at === -1) throw new Error(`${dir} is not inside a node_modules folder`);
  return dir.slice(0, at + marker.length - 1);
}
