import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const TEST_PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@stratus/e2e/package.json'));

/** What a deployment package needs of a library: its code and manifests (no docs, tests, types or maps). */
const SHIPPED = /\.(js|cjs|mjs|json)$/;
const SKIPPED_DIRS = new Set(['test', 'tests', '.github', 'docs', 'example', 'examples', 'node_modules']);

/** Where Node finds package `name` from folder `from`: the nearest node_modules/<name> up the tree. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`npm package ${name} is not installed (add it to test/package.json)`);
  }
}

function filesUnder(dir: string, root: string, into: Record<string, string>, prefix: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(entry)) filesUnder(path, root, into, prefix);
    } else if (SHIPPED.test(entry)) {
      into[`${prefix}/${relative(root, path)}`] = readFileSync(path, 'utf8');
    }
  }
}

/**
 * The files `npm install <name>` would put in a function's package, read from this repository's node_modules
 * (the test workspace's dev dependencies): `node_modules/<name>/...` and the same for every package it depends on,
 * flattened as npm does. A conformance case deploys them like a user's zip with its node_modules.
 */
export function npmPackageFiles(...names: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const seen = new Set<string>();
  const queue = names.map((name) => ({ name, from: TEST_PACKAGE_DIR }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next.name)) continue;
    seen.add(next.name);
    const dir = packageDir(next.name, next.from);
    filesUnder(dir, dir, files, `node_modules/${next.name}`);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dependency, from: dir });
  }
  return files;
}
