import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMemoryBudgetMb } from '@stratus/worker-node/config';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually } from './support/code.js';
import { runStratus, type CliRun } from './support/cli.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));


let cluster: TestCluster;
let workDir: string;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  workDir = await mkdtemp(join(tmpdir(), 'stratus-cli-'));
});
afterAll(async () => {
  await cluster?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Runs the real `stratus` executable against the test cluster. */
function stratus(...args: string[]): Promise<CliRun> {
  return runStratus(cluster, args);
}

// Each test runs several CLI processes, each loading Node and the client: seconds apiece on a busy machine.
describe('the stratus command against a running cluster', { timeout: 120_000 }, () => {
  it('deploys a folder, invokes it, lists, gets and removes it', async () => {
    const deployed = await stratus('deploy', 'examples/hello', '--name', 'hello2');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).toContain('hello2');

    const invoked = await stratus('invoke', 'hello2', '--payload', '{"name":"Ada"}');
    expect(invoked.code, invoked.stderr).toBe(0);
    expect(JSON.parse(invoked.stdout)).toMatchObject({ message: 'Hello, Ada!' });

    const listed = await stratus('ls', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.stringify(JSON.parse(listed.stdout))).toContain('"hello2"');

    const got = await stratus('get', 'hello2', '--json');
    expect(JSON.parse(got.stdout)).toMatchObject({ functionName: 'hello2', handler: 'index.handler', memorySizeMb: 128 });

    const removed = await stratus('rm', 'hello2');
    expect(removed.code).toBe(0);
    const gone = await stratus('get', 'hello2');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('FUNCTION_NOT_FOUND');
  });

  it('exits non-zero with Lambda’s error object when the handler throws', async () => {
    const file = join(workDir, 'fails.js');
    await writeFile(file, `exports.handler = async () => { throw new TypeError('bad input'); };`);
    expect((await stratus('deploy', file)).code).toBe(0);
    const invoked = await stratus('invoke', 'fails');
    expect(invoked.code).toBe(1);
    expect(JSON.parse(invoked.stderr.trim().split('\n')[0] ?? '')).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  it('prints what deploying found on stderr as warnings, and returns them with --json', async () => {
    const file = join(workDir, 'uses-child-process.js');
    await writeFile(file, `const cp = require('child_process');\nexports.handler = async () => typeof cp;`);
    const deployed = await stratus('deploy', file);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toMatch(/^warning: .*'child_process'.*not available in Stratus/m);
    expect(deployed.stdout).not.toContain('warning');

    const again = await stratus('deploy', file, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^warning: .*'child_process'/m);
    const json = JSON.parse(again.stdout) as { action: string; warnings: string[]; function: { deployWarnings: string[] } };
    expect(json.action).toBe('updated');
    expect(json.warnings).toEqual([expect.stringMatching(/'child_process'.*not available in Stratus/)]);
    expect(json.function.deployWarnings).toEqual(json.warnings);
  });

  it('rejects a payload that is not JSON before sending it', async () => {
    const invoked = await stratus('invoke', 'fails', '--payload', '{oops');
    expect(invoked.code).toBe(2);
    expect(invoked.stderr).toMatch(/error: INVALID_/);
  });

  it('shows nodes and usage', async () => {
    const nodes = await eventually(async () => {
      const run = await stratus('nodes', '--json');
      const parsed = JSON.parse(run.stdout) as Array<{ nodeId: string; lastHeartbeatMs: number; memoryBudgetMb: number }>;
      return parsed.length === 1 && parsed[0]!.lastHeartbeatMs > 0 ? parsed : undefined;
    }, 'the node with a heartbeat');
    // The cluster sets no budget, so the node takes its default: what this machine has, less its reserve.
    const budgetMb = defaultMemoryBudgetMb();
    expect(nodes[0]).toMatchObject({ nodeId: 'node-1', state: 'running', memoryBudgetMb: budgetMb });
    const table = await stratus('nodes');
    expect(table.stdout).toContain('node-1');
    expect(table.stdout).toMatch(new RegExp(`\\d+/${budgetMb} MB`));

    const usage = await eventually(async () => {
      const run = await stratus('usage', '--json');
      const parsed = JSON.parse(run.stdout) as { functions: Array<{ functionName: string; requests: number }> };
      return parsed.functions.find((f) => f.functionName === 'fails')?.requests === 1 ? parsed : undefined;
    }, 'usage of the failed invocation');
    expect(usage.functions.find((f) => f.functionName === 'fails')).toMatchObject({ requests: 1 });
    const usageTable = await stratus('usage');
    expect(usageTable.stdout).toMatch(/fails/);
  });

  it('reserves, shows and removes a function’s concurrency', async () => {
    const reserved = await stratus('fn', 'concurrency', 'fails', '--reserved', '5', '--json');
    expect(reserved.code, reserved.stderr).toBe(0);
    expect(JSON.parse(reserved.stdout)).toMatchObject({ functionName: 'fails', hasReservation: true, reservedConcurrentExecutions: 5 });
    const account = await stratus('fn', 'concurrency');
    expect(account.stdout).toMatch(/account limit\s+1000/);
    expect(account.stdout).toMatch(/unreserved\s+995/);
    const tooMuch = await stratus('fn', 'concurrency', 'fails', '--reserved', '950');
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toContain('INVALID_ARGUMENT');
    expect((await stratus('fn', 'concurrency', 'fails', '--delete')).code).toBe(0);
    expect(JSON.parse((await stratus('fn', 'concurrency', 'fails', '--json')).stdout)).toMatchObject({ hasReservation: false });
  });

  it('names the endpoint when nothing listens there', async () => {
    const run = await new Promise<CliRun>((resolve) =>
      execFile(process.execPath, ['packages/cli/bin/stratus.js', 'ls', '--endpoint', '127.0.0.1:1'], { cwd: repoRoot }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('127.0.0.1:1');
  });
});
