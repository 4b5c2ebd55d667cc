import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { StratusError } from '@stratus/errors';

export interface ServerBinaries {
  /** Absolute path of nats-server. */
  readonly natsServer: string;
  /** Absolute path of etcd. */
  readonly etcd: string;
}

export interface LocateServerBinariesOptions {
  /**
   * Install what is missing with apt-get (Debian packages nats-server and
   * etcd-server). Only done when running as root with apt-get available;
   * otherwise a missing binary is an error that gives the command to run.
   */
  readonly install: boolean;
  /** Told, in a sentence, what is being installed and why. */
  readonly log: (line: string) => void;
  /** Where NATS_SERVER_BIN, ETCD_BIN and PATH are read from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

interface BinarySpec {
  readonly key: keyof ServerBinaries;
  readonly name: string;
  readonly envVar: string;
  readonly debianPath: string;
  readonly debianPackage: string;
}

const SPECS: readonly BinarySpec[] = [
  { key: 'natsServer', name: 'nats-server', envVar: 'NATS_SERVER_BIN', debianPath: '/usr/sbin/nats-server', debianPackage: 'nats-server' },
  { key: 'etcd', name: 'etcd', envVar: 'ETCD_BIN', debianPath: '/usr/bin/etcd', debianPackage: 'etcd-server' },
];

export const INSTALL_COMMAND = 'sudo apt-get install -y nats-server etcd-server';

const APT_TIMEOUT_MS = 10 * 60_000;

/**
 * Finds nats-server and etcd. For each: the env override (NATS_SERVER_BIN,
 * ETCD_BIN) if set, then PATH, then the Debian package's location (/usr/sbin
 * is often not on a user's PATH). Missing binaries are installed when
 * `install` is set and that is possible, else this throws UNAVAILABLE.
 */
export async function locateServerBinaries(options: LocateServerBinariesOptions): Promise<ServerBinaries> {
  const env = options.env ?? process.env;
  const found = new Map<keyof ServerBinaries, string>();
  const missing: BinarySpec[] = [];
  for (const spec of SPECS) {
    const path = await locate(spec, env);
    if (path === undefined) missing.push(spec);
    else found.set(spec.key, path);
  }

  if (missing.length > 0) {
    if (!options.install || !(await canInstall(env))) throw notFound(missing);
    const packages = missing.map((spec) => spec.debianPackage);
    for (const spec of missing) {
      options.log(`${spec.name} not found; installing Debian package ${spec.debianPackage} with apt-get ...`);
    }
    await aptGet(['update', '-qq'], env);
    await aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages], env);
    const stillMissing: BinarySpec[] = [];
    for (const spec of missing) {
      const path = await locate(spec, env);
      if (path === undefined) stillMissing.push(spec);
      else found.set(spec.key, path);
    }
    if (stillMissing.length > 0) throw notFound(stillMissing);
    options.log(`installed ${packages.join(' ')}`);
  }

  const natsServer = found.get('natsServer');
  const etcd = found.get('etcd');
  if (natsServer === undefined || etcd === undefined) throw new StratusError('INTERNAL', 'binary lookup incomplete');
  return { natsServer, etcd };
}

async function locate(spec: BinarySpec, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const override = env[spec.envVar];
  if (override !== undefined && override !== '') {
    // An explicit override that is wrong is a mistake to report, not to paper over with PATH.
    if (await isExecutableFile(override)) return override;
    throw new StratusError('UNAVAILABLE', `${spec.envVar}=${override} is not an executable file`);
  }
  return (await findOnPath(spec.name, env)) ?? ((await isExecutableFile(spec.debianPath)) ? spec.debianPath : undefined);
}

async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function canInstall(env: NodeJS.ProcessEnv): Promise<boolean> {
  return process.getuid?.() === 0 && (await findOnPath('apt-get', env)) !== undefined;
}

function aptGet(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'apt-get',
      args,
      { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: APT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (!err) {
          resolve();
          return;
        }
        const output = stderr.trim().split('\n').slice(-20).join('\n');
        reject(
          new StratusError('UNAVAILABLE', `apt-get ${args.join(' ')} failed: ${err.message}${output ? `\n${output}` : ''}`, {
            cause: err,
          }),
        );
      },
    );
  });
}

function notFound(missing: readonly BinarySpec[]): StratusError {
  const names = missing.map((spec) => `${spec.name} (looked at $${spec.envVar}, PATH, ${spec.debianPath})`);
  return new StratusError(
    'UNAVAILABLE',
    `${names.join(' and ')} not found. Install with: ${INSTALL_COMMAND} ` +
      `(or set NATS_SERVER_BIN / ETCD_BIN to the binaries)`,
  );
}
