#!/usr/bin/env node
// Every workspace package's package.json says what it uses, no more, no less:
// - each package its code imports is a dependency (devDependency or a root
//   devDependency for tests), so nothing works only because npm hoisted it;
// - each workspace package listed as a dependency is used by its src/ (as a
//   devDependency, by its tests), so the dependency graph in package.json is
//   the real one. A workspace package counts as used wherever the code names
//   it in a string (import, dynamic import, or a specifier it resolves, as
//   local-cluster does with `@stratus/frontend/main`).
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const rootDevDeps = new Set(Object.keys(rootManifest.devDependencies ?? {}));
const builtins = new Set(builtinModules);
const workspaces = rootManifest.workspaces.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }));
const workspaceNames = new Set(workspaces.map((w) => w.manifest.name));

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name === 'results' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return undefined; // relative, absolute, node:, stratus:host
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? undefined : name;
}

/** Packages imported (import, export from, import(), require()) and workspace packages named in any string. */
function referencesIn(file) {
  const text = readFileSync(file, 'utf8');
  const imported = new Set();
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    const name = packageOf(fileName);
    if (name) imported.add(name);
  }
  const named = new Set();
  const visit = (node) => {
    if (ts.isStringLiteralLike(node)) {
      const name = packageOf(node.text);
      if (name && workspaceNames.has(name)) named.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
  return { imported, named };
}

const problems = [];
for (const { dir, manifest } of workspaces) {
  const deps = new Set(Object.keys(manifest.dependencies ?? {}));
  const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}));
  // A package with a src/ ships src/ and bin/; in one without (the e2e tests), everything is test code.
  const hasSrc = readdirSync(join(root, dir)).includes('src');
  const usedBySrc = new Set();
  const usedByTests = new Set();
  for (const file of sourceFiles(join(root, dir))) {
    const rel = relative(join(root, dir), file);
    const shipped = hasSrc && (rel.startsWith('src/') || rel.startsWith('bin/'));
    const { imported, named } = referencesIn(file);
    for (const name of imported) {
      if (name === manifest.name) continue;
      const declared = shipped ? deps.has(name) : deps.has(name) || devDeps.has(name) || rootDevDeps.has(name);
      if (!declared) problems.push(`${dir}/${rel} imports ${name}, which ${dir}/package.json does not list in ${shipped ? 'dependencies' : 'dependencies or devDependencies'}`);
    }
    for (const name of new Set([...imported, ...named])) (shipped ? usedBySrc : usedByTests).add(name);
  }
  const usedAnywhere = new Set([...usedBySrc, ...usedByTests]);
  for (const name of deps) {
    if (workspaceNames.has(name) && !(hasSrc ? usedBySrc : usedAnywhere).has(name)) {
      problems.push(`${dir}/package.json lists ${name} in dependencies, but ${hasSrc ? 'its src/ never uses it' : 'nothing in it uses it'}${usedByTests.has(name) ? ' (only its tests do: make it a devDependency)' : ''}`);
    }
  }
  for (const name of devDeps) {
    if (workspaceNames.has(name) && !usedAnywhere.has(name)) problems.push(`${dir}/package.json lists ${name} in devDependencies, but nothing in it uses it`);
  }
}

if (problems.length > 0) {
  console.error(`package.json dependencies do not match the imports:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-package-deps: the dependencies of ${workspaces.length} workspace packages match their imports`);
