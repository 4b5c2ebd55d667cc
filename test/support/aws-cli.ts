import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CliRun } from './cli.js';

/** AWS CLI v2 from the Debian package, by its full path: an older pip-installed v1 may come first on PATH. */
export const AWS_CLI = '/usr/bin/aws';

/** Whether AWS CLI tests are skipped: only off CI (where `.ci/run` installs it) and when it is absent. */
export const awsCliMissing = !existsSync(AWS_CLI) && process.env['CI'] !== 'true';

/** Where and as whom the AWS CLI calls Stratus's Lambda REST API. */
export interface AwsCliTarget {
  /** The Lambda REST API's base URL (`--endpoint-url`). */
  readonly endpoint: string;
  /** An API key id and secret, as the access key id and secret access key. */
  readonly keyId: string;
  readonly secret: string;
  /** HOME and working directory: a temp dir of the test's, so no user configuration applies and `fileb://` paths resolve there. */
  readonly home: string;
}

/**
 * Runs `aws lambda <args>` (JSON output, region us-east-1, one attempt, no
 * pager, no instance metadata lookups) and gives its exit code and output;
 * a failing command resolves too (AWS CLI errors exit 254).
 */
export function awsLambda(target: AwsCliTarget, ...args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ['--endpoint-url', target.endpoint, '--region', 'us-east-1', '--output', 'json', 'lambda', ...args],
      {
        cwd: target.home,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: target.home,
          AWS_ACCESS_KEY_ID: target.keyId,
          AWS_SECRET_ACCESS_KEY: target.secret,
          AWS_PAGER: '',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_MAX_ATTEMPTS: '1',
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}
