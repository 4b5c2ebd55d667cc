#!/usr/bin/env node
// Loads each library entry below the services in a fresh Node process and
// fails if it pulled in a transport its README forbids (gRPC, protobufjs,
// NATS, etcd, a logger). A static import graph misses loads that go through a
// dependency's own imports (etcd3 loads grpc-js), so this looks at what the
// process actually loaded. Needs the build (`npx tsc -b`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const grpc = ['@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];
const everyTransport = [...grpc, 'nats', 'etcd3', 'pino'];

/** Entry point -> npm packages it must never load. */
const forbidden = {
  '@stratus/errors': everyTransport,
  '@stratus/contracts': everyTransport,
  '@stratus/runtime': [...everyTransport, 'esbuild'],
  '@stratus/bundler': [...everyTransport, 'isolated-vm'],
  '@stratus/registry': grpc,
  '@stratus/usage': grpc,
  '@stratus/logs': grpc,
  '@stratus/placement': grpc,
  '@stratus/autoscaler': grpc,
  '@stratus/worker-node': grpc,
  '@stratus/billing': grpc,
  // A service's settings schema: launchers import it for the variables' names, so it loads nothing of the service.
  '@stratus/frontend/config': [...everyTransport, 'isolated-vm', 'esbuild', 'prom-client'],
  '@stratus/worker-node/config': [...everyTransport, 'isolated-vm', 'esbuild', 'prom-client'],
  '@stratus/billing/config': [...everyTransport, 'isolated-vm', 'esbuild', 'prom-client'],
  '@stratus/combined/config': [...everyTransport, 'isolated-vm', 'esbuild', 'prom-client'],
};

// Runs in the child: records every URL the ESM loader resolves (through a
// module.register resolve hook) plus every CommonJS module in require.cache
// (CommonJS loaded by CommonJS never reaches the ESM hooks on Node 20), then
// prints the npm package names they belong to.
const probe = `
import { register, createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const hooks = 'data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(data) { port = data.port; }' +
  'export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }');
register(hooks, { data: { port: port2 }, transferList: [port2] });
await import(process.argv[1]);
const loaded = new Set(Object.keys(createRequire(import.meta.url).cache));
for (let m; (m = receiveMessageOnPort(port1)); ) loaded.add(decodeURIComponent(m.message));
port1.close();
const packages = new Set();
for (const file of loaded) {
  const parts = file.split('/node_modules/');
  if (parts.length < 2) continue;
  const rest = parts[parts.length - 1].split('/');
  packages.add(rest[0].startsWith('@') ? rest[0] + '/' + rest[1] : rest[0]);
}
process.stdout.write(JSON.stringify([...packages].sort()));
`;

if (!existsSync(`${root}/packages/contracts/dist/index.js`)) {
  console.error('check-transport-free: no build found; run `npx tsc -b` first');
  process.exit(2);
}

let failures = 0;
for (const [entry, banned] of Object.entries(forbidden)) {
  const child = spawnSync(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', probe, entry], {
    cwd: root,
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    console.error(`✗ ${entry}: could not be loaded\n${child.stderr}`);
    failures++;
    continue;
  }
  const loaded = JSON.parse(child.stdout);
  const bad = banned.filter((name) => loaded.includes(name));
  if (bad.length > 0) {
    console.error(`✗ ${entry} loads ${bad.join(', ')}; its README forbids that. Move the import behind a subpath export or into main.ts.`);
    failures++;
  } else {
    console.log(`✓ ${entry} loads none of ${banned.join(', ')}`);
  }
}
if (failures > 0) process.exit(1);
