import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export function machineInfo(): { cpus: number; cpuModel: string; memoryMb: number; os: string; loadAverageAtStart: number[] } {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg(),
  };
}

async function packageVersion(name: string): Promise<string> {
  try {
    const text = await readFile(require.resolve(`${name}/package.json`), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function commandVersion(binary: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(binary, [...args]);
    return stdout.split('\n')[0]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Versions of what the figures depend on. */
export async function versions(binaries: { readonly natsServer: string; readonly etcd: string }): Promise<Record<string, string>> {
  const [stratus, ivm, grpc, nats, etcd] = await Promise.all([
    packageVersion('@stratus/client'),
    packageVersion('isolated-vm'),
    packageVersion('@grpc/grpc-js'),
    commandVersion(binaries.natsServer, ['--version']),
    commandVersion(binaries.etcd, ['--version']),
  ]);
  return { stratus, node: process.version, 'isolated-vm': ivm, '@grpc/grpc-js': grpc, 'nats-server': nats, etcd };
}

export async function gitInfo(cwd: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  try {
    const [{ stdout: commit }, { stdout: status }] = await Promise.all([
      run('git', ['rev-parse', 'HEAD'], { cwd }),
      run('git', ['status', '--porcelain'], { cwd }),
    ]);
    return { commit: commit.trim(), dirty: status.trim() !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}
