// Temporary: replace with startNats() from @stratus/testing once it exists.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface NatsFixture {
  readonly url: string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const NATS_SERVER = '/usr/sbin/nats-server';
const START_TIMEOUT_MS = 10_000;

/** Starts nats-server with JetStream on a free port (port -1, read back from the ports file) in a temp dir. */
export async function startNats(): Promise<NatsFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'stratus-nats-'));
  const config = join(dir, 'nats.conf');
  await writeFile(
    config,
    [
      'listen: 127.0.0.1:-1',
      `ports_file_dir: ${JSON.stringify(dir)}`,
      `jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }`,
      '',
    ].join('\n'),
  );
  const child = spawn(NATS_SERVER, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_192);
  });
  const exited = once(child, 'exit');

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const url = await readUrl(dir, child.pid ?? 0, () => child.exitCode !== null);
    return { url, stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await stop();
    throw new Error(`nats-server did not start: ${String(err)}\n${stderr}`);
  }
}

async function readUrl(dir: string, pid: number, hasExited: () => boolean): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const portsFile = `nats-server_${pid}.ports`;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('nats-server exited');
    if ((await readdir(dir)).includes(portsFile)) {
      const ports = JSON.parse(await readFile(join(dir, portsFile), 'utf8')) as { nats?: string[] };
      const url = ports.nats?.[0];
      if (url !== undefined) return url;
    }
    await sleep(20);
  }
  throw new Error('timed out waiting for the ports file');
}
