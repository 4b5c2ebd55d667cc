import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CliRun } from './cli.js';
import type { LambdaApiTarget } from './lambda-api.js';

/** AWS CLI v2 from the Debian package, by its full path: an older pip-installed v1 may come first on PATH. */
export const AWS_CLI = '/usr/bin/aws';

/** Whether AWS CLI tests are skipped: only off CI (where `.ci/run` installs it) and when it is absent. */
export const awsCliMissing = !existsSync(AWS_CLI) && process.env['CI'] !== 'true';

/** The access key the AWS CLI signs with: a Stratus API key's id and secret. */
export type AwsCliCredentials = Pick<LambdaApiTarget, 'keyId' | 'secret'>;

/** Files a test's AWS CLI home starts with, by name (`fileb://fn.zip` reads `fn.zip` there). */
export type AwsCliFiles = Readonly<Record<string, Uint8Array | string>>;

/**
 * The AWS CLI run against a cluster's Lambda REST API from a temp HOME of its own (also its working directory): no
 * user configuration or credentials file applies, `fileb://` paths and output files resolve there, and the fixture
 * removes it.
 */
export interface AwsCli {
  /** The temp HOME and working directory. */
  readonly home: string;
  /** `aws lambda <args>` as the target's key; resolves for a failing command too (AWS CLI errors exit 254). */
  readonly lambda: (...args: readonly string[]) => Promise<CliRun>;
  /** The same, signed with other credentials (another key, a wrong secret). */
  readonly lambdaAs: (credentials: AwsCliCredentials, ...args: readonly string[]) => Promise<CliRun>;
}

/** An {@link AwsCli} that removes its home when disposed (`await using`), for one test. */
export interface AwsCliHome extends AwsCli, AsyncDisposable {
  readonly close: () => Promise<void>;
}

/** A target now, or one read at each run (a cluster started in the file's `beforeAll` is not there yet when a `describe` body runs). */
type TargetSource = LambdaApiTarget | (() => LambdaApiTarget);

/** Makes a temp HOME with `files` in it, for `await using aws = await awsCliHome(target)` in one test. */
export async function awsCliHome(target: TargetSource, files: AwsCliFiles = {}): Promise<AwsCliHome> {
  const home = await mkdtemp(join(tmpdir(), 'stratus-aws-cli-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(home, name), content);
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= rm(home, { recursive: true, force: true }));
  const targetNow = (): LambdaApiTarget => (typeof target === 'function' ? target() : target);
  return {
    home,
    lambda: (...args) => awsLambda(targetNow(), home, args),
    lambdaAs: (credentials, ...args) => awsLambda({ ...targetNow(), ...credentials }, home, args),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * An {@link AwsCli} for the tests of the `describe` block this is called in: its home is made in the block's
 * `beforeAll` and removed in its `afterAll`, however the tests end. `target` is read at each run.
 */
export function useAwsCli(target: () => LambdaApiTarget, files: AwsCliFiles = {}): AwsCli {
  let current: AwsCliHome | undefined;
  const started = (): AwsCliHome => {
    if (current === undefined) throw new Error('useAwsCli: its home is made in beforeAll; call it in a describe block, use it in tests');
    return current;
  };
  beforeAll(async () => {
    current = await awsCliHome(target, files);
  });
  afterAll(async () => {
    await current?.close();
  });
  return {
    get home() {
      return started().home;
    },
    lambda: (...args) => started().lambda(...args),
    lambdaAs: (credentials, ...args) => started().lambdaAs(credentials, ...args),
  };
}

/** `aws lambda <args>` with JSON output, region us-east-1, one attempt, no pager and no instance metadata lookups. */
function awsLambda(target: LambdaApiTarget, home: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ['--endpoint-url', target.endpoint, '--region', 'us-east-1', '--output', 'json', 'lambda', ...args],
      {
        cwd: home,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: home,
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
