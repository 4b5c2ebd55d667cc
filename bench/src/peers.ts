import { execFile } from 'node:child_process';
import { access, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePorts } from '@stratus/local-cluster';
import {
  LAMBDA_HANDLER_SOURCE,
  PEER_PACKAGES,
  WORKERD_WORKER_SOURCE,
  peersPackageJson,
  serverlessArgs,
  serverlessEnv,
  serverlessYml,
  workerdArgs,
  workerdConfig,
} from './peer-config.js';
import { startPeerProcess } from './peer-process.js';

const run = promisify(execFile);

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const WORKERD_READY_MS = 20_000;
/** serverless loads the whole framework and its plugin first: about 10 s on two busy cores. */
const SERVERLESS_READY_MS = 90_000;

/** A peer answering HTTP on loopback. */
export interface PeerServer {
  readonly url: string;
  readonly pid: number;
  readonly startupMs: number;
  stop(): Promise<void>;
}

export interface PeerSpec {
  readonly name: string;
  /** The npm package whose version the report shows. */
  readonly packageName: string;
  /** How it is run, for the report. */
  readonly setup: string;
  start(peersDir: string, workDir: string, payload: string): Promise<PeerServer>;
}

/** Installed versions of the pinned packages in `peersDir`, by name; a missing one is absent. */
export async function installedPeerVersions(peersDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(PEER_PACKAGES)) {
    try {
      const text = await readFile(join(peersDir, 'node_modules', name, 'package.json'), 'utf8');
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === 'string') out[name] = version;
    } catch {
      // not installed
    }
  }
  return out;
}

/**
 * Installs the pinned peers into `peersDir` (a folder with its own
 * package.json, outside the workspace's dependencies) unless they are there
 * already. Resolves to null when installed, or to why not.
 */
export async function installPeers(peersDir: string): Promise<string | null> {
  const installed = await installedPeerVersions(peersDir);
  if (Object.entries(PEER_PACKAGES).every(([name, version]) => installed[name] === version)) return null;
  await mkdir(peersDir, { recursive: true });
  await writeFile(join(peersDir, 'package.json'), peersPackageJson());
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: peersDir,
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 2 ** 20,
    });
    return null;
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    const tail = (stderr ?? '').trim().split('\n').slice(-8).join('\n');
    return `npm install in ${peersDir} failed: ${tail || message}`;
  }
}

export const WORKERD: PeerSpec = {
  name: 'workerd',
  packageName: 'workerd',
  setup: 'an ES module worker answering the POSTed JSON, one `workerd serve` process, HTTP/1.1 on loopback',
  async start(peersDir, workDir, payload) {
    const binary = join(peersDir, 'node_modules', 'workerd', 'bin', 'workerd');
    await access(binary);
    const dir = join(workDir, 'workerd');
    await mkdir(dir, { recursive: true });
    const [port] = await findFreePorts(1);
    if (port === undefined) throw new Error('no free port');
    await writeFile(join(dir, 'worker.js'), WORKERD_WORKER_SOURCE);
    await writeFile(join(dir, 'config.capnp'), workerdConfig(port));
    const url = `http://127.0.0.1:${port}/`;
    const proc = await startPeerProcess({
      command: binary,
      args: workerdArgs('config.capnp'),
      cwd: dir,
      env: {},
      logFile: join(dir, 'output.log'),
      url,
      payload,
      readyTimeoutMs: WORKERD_READY_MS,
    });
    return { url, ...proc, stop: () => proc.stop() };
  },
};

export const SERVERLESS_OFFLINE: PeerSpec = {
  name: 'serverless-offline',
  packageName: 'serverless-offline',
  setup:
    'a Node.js 20 Lambda handler behind an HTTP API (POST /), `serverless offline start --useInProcess` (its default runner starts a worker thread per concurrent request), HTTP/1.1 on loopback',
  async start(peersDir, workDir, payload) {
    const cli = join(peersDir, 'node_modules', 'serverless', 'bin', 'serverless.js');
    await access(cli);
    const dir = join(workDir, 'serverless-offline');
    const home = join(dir, 'home');
    await mkdir(home, { recursive: true });
    await writeFile(join(dir, 'serverless.yml'), serverlessYml());
    await writeFile(join(dir, 'handler.js'), LAMBDA_HANDLER_SOURCE);
    // serverless finds its plugin in the service's node_modules.
    await symlink(join(peersDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const [httpPort, lambdaPort] = await findFreePorts(2);
    if (httpPort === undefined || lambdaPort === undefined) throw new Error('no free ports');
    const url = `http://127.0.0.1:${httpPort}/`;
    const proc = await startPeerProcess({
      command: process.execPath,
      args: [cli, ...serverlessArgs({ httpPort, lambdaPort })],
      cwd: dir,
      env: serverlessEnv(home),
      logFile: join(dir, 'output.log'),
      url,
      payload,
      readyTimeoutMs: SERVERLESS_READY_MS,
    });
    return { url, ...proc, stop: () => proc.stop() };
  },
};

export const PEERS: readonly PeerSpec[] = [WORKERD, SERVERLESS_OFFLINE];
