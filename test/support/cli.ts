import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What one run of the `stratus` executable gave: its exit code and output. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the real `stratus` executable, as `npx stratus` does, against a
 * cluster's gRPC frontend with its API key (no colour, so output compares).
 */
export function runStratus(cluster: { readonly grpcAddress: string; readonly apiKey: string }, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['packages/cli/bin/stratus.js', ...args, '--endpoint', cluster.grpcAddress],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', STRATUS_API_KEY: cluster.apiKey } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
