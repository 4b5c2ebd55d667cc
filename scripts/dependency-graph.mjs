#!/usr/bin/env node
// Which workspace package imports which, read from the source (not from
// package.json), so it shows the graph as the code has it.
//   node scripts/dependency-graph.mjs            print the graph as markdown
//   node scripts/dependency-graph.mjs --write    refresh the generated part of docs/dependency-graph.md
//   node scripts/dependency-graph.mjs --root DIR read another checkout (e.g. an old commit's `git archive`)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const here = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { root: { type: 'string' }, write: { type: 'boolean' } } });
const root = values.root ?? here;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const workspaces = rootManifest.workspaces.map((dir) => ({
  dir,
  name: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name,
}));
const names = new Set(workspaces.map((w) => w.name));

// A subpath export (`@stratus/contracts/grpc`) is its own entry: it is how a package keeps a transport apart.
const isOtherWorkspace = (self) => (specifier) => {
  const match = /^(@stratus\/[^/]+)((?:\/[^/]+)*)$/.exec(specifier);
  return match !== null && match[1] !== self && names.has(match[1]);
};

function stringsIn(file, text) {
  const out = [];
  const visit = (node) => {
    if (ts.isStringLiteralLike(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
  return out;
}

function graph() {
  const rows = [];
  for (const { dir, name } of workspaces) {
    const fromSrc = new Set();
    const fromTests = new Set();
    const namedInSrc = new Set();
    for (const file of sourceFiles(join(root, dir))) {
      const inSrc = relative(join(root, dir), file).startsWith('src/');
      const text = readFileSync(file, 'utf8');
      const imported = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
      for (const specifier of imported.filter(isOtherWorkspace(name))) (inSrc ? fromSrc : fromTests).add(specifier);
      // Named in a string but not imported: local-cluster starts `@stratus/frontend/main` as a child process.
      if (inSrc) for (const specifier of stringsIn(file, text).filter(isOtherWorkspace(name))) if (!imported.includes(specifier)) namedInSrc.add(specifier);
    }
    for (const dep of fromSrc) fromTests.delete(dep);
    for (const dep of fromSrc) namedInSrc.delete(dep);
    rows.push({ name, fromSrc: [...fromSrc].sort(), fromTests: [...fromTests].sort(), named: [...namedInSrc].sort() });
  }
  return rows;
}

function markdown(rows) {
  const short = (list) => (list.length ? list.map((n) => n.replace('@stratus/', '')).join(', ') : '–');
  return [
    '| package | imports (from `src/`) | imports only from tests | names without importing (from `src/`) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.name.replace('@stratus/', '')} | ${short(r.fromSrc)} | ${short(r.fromTests)} | ${short(r.named)} |`),
  ].join('\n');
}

const table = markdown(graph());
if (!values.write) {
  process.stdout.write(table + '\n');
} else {
  const doc = join(root, 'docs/dependency-graph.md');
  const begin = '<!-- generated: current -->';
  const end = '<!-- end generated -->';
  const text = readFileSync(doc, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${doc} lacks the ${begin} ... ${end} markers`);
  writeFileSync(doc, text.slice(0, from + begin.length) + '\n' + table + '\n' + text.slice(to));
}
