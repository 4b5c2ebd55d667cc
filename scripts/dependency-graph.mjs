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

function graph() {
  const rows = [];
  for (const { dir, name } of workspaces) {
    const fromSrc = new Set();
    const fromTests = new Set();
    for (const file of sourceFiles(join(root, dir))) {
      const inSrc = relative(join(root, dir), file).startsWith('src/');
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        // A subpath export (`@stratus/contracts/grpc`) is its own entry: it is how a package keeps a transport apart.
        const match = /^(@stratus\/[^/]+)((?:\/[^/]+)*)$/.exec(fileName);
        if (!match || match[1] === name || !names.has(match[1])) continue;
        (inSrc ? fromSrc : fromTests).add(fileName);
      }
    }
    for (const dep of fromSrc) fromTests.delete(dep);
    rows.push({ name, fromSrc: [...fromSrc].sort(), fromTests: [...fromTests].sort() });
  }
  return rows;
}

function markdown(rows) {
  const short = (list) => (list.length ? list.map((n) => n.replace('@stratus/', '')).join(', ') : '–');
  return [
    '| package | imports (from `src/`) | imports only from tests |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.name.replace('@stratus/', '')} | ${short(r.fromSrc)} | ${short(r.fromTests)} |`),
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
