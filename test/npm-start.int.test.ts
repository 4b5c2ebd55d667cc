import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantsOf, isAlive } from '@stratus/testing';
import { awsCliMissing } from './support/aws-cli.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

let child: ChildProcess | undefined;
let dataDir: string | undefined;
let shellDir: string | undefined;
afterEach(async () => {
  if (shellDir) await rm(shellDir, { recursive: true, force: true });
  if (child && child.exitCode === null) {
    for (const pid of descendantsOf(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** How long `stratus up` may take to print everything it prints at start: a bound for a hung start, not a measure of speed. */
const STARTUP_BOUND_MS = 150_000;

/**
 * Resolves when the output has a match for `pattern`, checked each time the process writes; rejects when it exits
 * first, or when `deadlineMs` (ms since the epoch) passes, with what it printed.
 */
function waitFor(output: () => string, pattern: RegExp, deadlineMs: number, proc: ChildProcess): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      proc.stdout?.off('data', check);
      proc.stderr?.off('data', check);
      proc.off('exit', exited);
    };
    const check = (): void => {
      const match = output().match(pattern);
      if (match === null) return;
      done();
      resolve(match);
    };
    const exited = (): void => {
      // The last chunks may come after the exit event: look once more.
      check();
      done();
      reject(new Error(`stratus up exited (${proc.exitCode}) before printing ${pattern}:\n${output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`stratus up did not print ${pattern} within ${STARTUP_BOUND_MS / 1000} s of starting:\n${output()}`));
    }, Math.max(0, deadlineMs - Date.now()));
    // Listeners added after the test's own, so `output()` already holds the chunk.
    proc.stdout?.on('data', check);
    proc.stderr?.on('data', check);
    if (proc.exitCode !== null) exited();
    else proc.once('exit', exited);
    check();
  });
}

describe('npm start (stratus up)', () => {
  it('brings up a local cluster, runs the example, and leaves no process behind after Ctrl-C', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stratus-up-'));
    // The same entry point `npm start` runs, on a free port and a private data dir.
    const proc = spawn(process.execPath, ['packages/cli/bin/stratus.js', 'up', '--grpc-address', '127.0.0.1:0', '--http-address', '127.0.0.1:0', '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    // One bound for the whole start (etcd, NATS, the nodes, billing, a deploy and a call); each line is waited for as it is written.
    const startupDeadline = Date.now() + STARTUP_BOUND_MS;
    await waitFor(() => output, /Hello, Stratus!/, startupDeadline, proc);
    await waitFor(() => output, /REPORT RequestId: [0-9a-f-]+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/, startupDeadline, proc);
    // How to reach the same function with the AWS CLI, on the Lambda API's own (free) port.
    await waitFor(() => output, /aws lambda invoke --function-name hello .* --endpoint-url http:\/\/127\.0\.0\.1:[1-9]\d*/, startupDeadline, proc);
    const [, curlLine = ''] = await waitFor(() => output, /^curl: (curl http:\/\/127\.0\.0\.1:\d+\/lambda-url\/hello\/)$/m, startupDeadline, proc);

    // The lines it prints work as they are, pasted into a shell elsewhere: the function URL with curl, the AWS CLI with the exported key.
    shellDir = await mkdtemp(join(tmpdir(), 'stratus-up-shell-'));
    const shell = (line: string) => run('bash', ['-c', line], { cwd: shellDir, env: { PATH: process.env['PATH'] ?? '', HOME: shellDir ?? '', AWS_PAGER: '' } });
    expect(JSON.parse((await shell(curlLine)).stdout)).toMatchObject({ message: 'Hello, world!' });
    if (!awsCliMissing) {
      const exportLine = /^aws: {2}(export .*)$/m.exec(output)?.[1] ?? '';
      const awsLine = /^ {6}(\/usr\/bin\/aws lambda invoke .*)$/m.exec(output)?.[1] ?? '';
      const invoked = await shell(`${exportLine}\n${awsLine}`);
      expect(invoked.stdout).toContain('"StatusCode": 200');
      expect(invoked.stdout).toContain('{"message":"Hello, Ada!"');
    }

    const children = descendantsOf(proc.pid!);
    // etcd, nats-server, the combined frontend and node, one more node, billing.
    expect(children.length).toBeGreaterThanOrEqual(5);

    proc.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const survivors = children.filter(isAlive);
    expect(survivors, `processes left behind: ${survivors.join(', ')}\n${output}`).toEqual([]);
    // The start's bound, then the AWS CLI (it starts Python: seconds on a loaded machine) and the shutdown.
  }, STARTUP_BOUND_MS + 120_000);
});
