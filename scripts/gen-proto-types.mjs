#!/usr/bin/env node
// TypeScript types for the messages and services in proto/, generated with
// proto-loader-gen-types using the same options the loader uses at run time
// (PROTO_LOADER_OPTIONS in @stratus/contracts/grpc), so the types describe
// the objects grpc-js really hands over.
//   node scripts/gen-proto-types.mjs          regenerate packages/contracts/src/generated/
//   node scripts/gen-proto-types.mjs --check  fail when the checked-in files differ from a fresh generation
// Reads the options from the build of @stratus/contracts: run `npx tsc -b` first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = join(root, 'packages/contracts/src/generated');
const HEADER = '// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.\n';
const check = process.argv.includes('--check');

const grpcApi = join(root, 'packages/contracts/dist/grpc-api.js');
if (!existsSync(grpcApi)) {
  console.error('gen-proto-types: packages/contracts is not built; run `npx tsc -b` first');
  process.exit(2);
}
const { PROTO_FILES, PROTO_LOADER_OPTIONS } = await import(pathToFileURL(grpcApi).href);

function generatorFlags(options) {
  const flags = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'includeDirs') continue; // proto/ is passed relative to the repository, so the output does not name this checkout
    if (typeof value === 'boolean') {
      if (value) flags.push(`--${key}`);
    } else if (typeof value === 'function') {
      flags.push(`--${key}=${value.name}`); // longs: Number, enums: String, bytes: String
    } else {
      throw new Error(`gen-proto-types: no generator flag for the loader option ${key}=${String(value)}; teach this script about it`);
    }
  }
  return flags;
}

function generate(outDir) {
  execFileSync(
    join(root, 'node_modules/.bin/proto-loader-gen-types'),
    [
      ...generatorFlags(PROTO_LOADER_OPTIONS),
      '--includeComments',
      '--grpcLib=@grpc/grpc-js',
      '--importFileExtension=.js',
      '-I',
      'proto',
      '-O',
      outDir,
      ...PROTO_FILES,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const file of files(outDir)) writeFileSync(join(outDir, file), HEADER + readFileSync(join(outDir, file), 'utf8'));
}

function files(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
  });
}

if (!check) {
  rmSync(target, { recursive: true, force: true });
  generate(target);
  console.log(`gen-proto-types: wrote ${files(target).length} files to ${relative(root, target)}/`);
} else {
  const fresh = mkdtempSync(join(tmpdir(), 'stratus-proto-types-'));
  try {
    generate(fresh);
    const want = new Set(files(fresh));
    const have = new Set(files(target));
    const stale = [
      ...[...want].filter((f) => !have.has(f)).map((f) => `missing: ${f}`),
      ...[...have].filter((f) => !want.has(f)).map((f) => `not generated from proto/: ${f}`),
      ...[...want]
        .filter((f) => have.has(f) && readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(target, f), 'utf8'))
        .map((f) => `out of date: ${f}`),
    ];
    if (stale.length > 0) {
      console.error(`${relative(root, target)}/ does not match proto/:\n  ${stale.sort().join('\n  ')}\nRun \`npm run gen:proto\` and commit the result.`);
      process.exit(1);
    }
    console.log(`gen-proto-types: ${relative(root, target)}/ matches proto/ (${want.size} files)`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}
