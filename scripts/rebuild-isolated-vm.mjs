// Compiles isolated-vm again after patch-package changed its C++ sources (patches/isolated-vm+*.patch): its own
// install script compiled (or downloaded) the unpatched sources before the root postinstall applied the patch.
// Skipped when the binary was already built from this patch (a stamp next to it holds the patch's hash), so a
// repeated `npm install` costs nothing; npm replacing the package removes the stamp.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const patches = readdirSync(path.join(root, 'patches')).filter((name) => name.startsWith('isolated-vm+'));
if (patches.length === 0) process.exit(0);
const patchHash = createHash('sha256');
for (const name of patches.sort()) patchHash.update(readFileSync(path.join(root, 'patches', name)));
const hash = patchHash.digest('hex');

const require = createRequire(path.join(root, 'package.json'));
const dir = path.dirname(require.resolve('isolated-vm/package.json'));
const stamp = path.join(dir, 'out', '.stratus-patch');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);

// npm runs lifecycle scripts with its own node-gyp on PATH; use the headers next to this node when it has them
// (Debian's nodejs ships them), so nothing is downloaded.
const nodeGyp = process.env.npm_config_node_gyp ?? 'node-gyp';
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir = existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
const args = ['rebuild', '--release', '-j', 'max', ...nodedir];
console.log(`rebuilding isolated-vm from its patched sources (${patches.join(', ')})`);
if (nodeGyp.endsWith('.js')) execFileSync(process.execPath, [nodeGyp, ...args], { cwd: dir, stdio: 'inherit' });
else execFileSync(nodeGyp, args, { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
writeFileSync(stamp, hash);
