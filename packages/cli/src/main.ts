import { Command } from 'commander';
import { hasCode } from '@stratus/errors';
import { ETCD_AUTH_SETTINGS, SHARED_SETTINGS } from '@stratus/contracts';
import { DEFAULT_ENDPOINT, resolveApiKey } from '@stratus/client';
import type { CliContext } from './context.js';
import { registerBench } from './commands/bench.js';
import { registerDeploy } from './commands/deploy.js';
import { registerFn } from './commands/fn.js';
import { registerGet } from './commands/get.js';
import { registerInvoke } from './commands/invoke.js';
import { registerLs } from './commands/ls.js';
import { registerLogs } from './commands/logs.js';
import { registerNodes } from './commands/nodes.js';
import { registerRm } from './commands/rm.js';
import { registerUp } from './commands/up.js';
import { registerUsage } from './commands/usage.js';
import { registerKeys } from './commands/keys.js';
import { registerEtcdAuth } from './commands/etcd-auth.js';
import { registerCerts } from './commands/certs.js';
import { registerVersions } from './commands/versions.js';
import { registerAsync } from './commands/async.js';
import { registerUrl } from './commands/url.js';
import { registerTriggers } from './commands/triggers.js';
import { registerSchedules } from './commands/schedules.js';
import { registerObjects } from './commands/objects.js';
import { registerMappings } from './commands/mappings.js';

/** Exit codes: 0 success, 1 a failure (platform error, or the handler failed), 2 bad usage or arguments. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs the `stratus` command line (arguments without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode = 0;
  const program = new Command('stratus')
    .description('Stratus: run AWS Lambda-style functions on machines you own')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // Usage errors get the same "error: CODE: message" shape as every other error.
      outputError: (text, write) => write(text.replace(/^error: /, 'error: INVALID_ARGUMENT: ')),
    })
    .showHelpAfterError('(run with --help for usage)');

  registerUp(program, ctx);
  registerDeploy(program, ctx);
  registerInvoke(program, ctx, (code) => {
    exitCode = code;
  });
  registerLs(program, ctx);
  registerLogs(program, ctx);
  registerGet(program, ctx);
  registerRm(program, ctx);
  registerNodes(program, ctx);
  registerUsage(program, ctx);
  registerFn(program, ctx);
  registerVersions(program, ctx);
  registerBench(program, ctx);
  registerKeys(program, ctx);
  registerEtcdAuth(program, ctx);
  registerCerts(program, ctx);
  registerAsync(program, ctx);
  registerUrl(program, ctx);
  registerTriggers(program, ctx);
  registerSchedules(program, ctx);
  registerObjects(program, ctx);
  registerMappings(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(ctx, err);
  }
}

function reportError(ctx: CliContext, err: unknown): number {
  if (isCommanderExit(err)) {
    // Commander has printed the message (or the help) already.
    return err.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (hasCode(err)) {
    ctx.stderr.write(`error: ${err.code}: ${err.message}\n`);
    if (err.code === 'UNAVAILABLE') ctx.stderr.write('hint: start a local cluster with `npx stratus up`, or pass --endpoint\n');
    if (err.code === 'UNAUTHENTICATED' && ctx.apiKey === undefined) {
      ctx.stderr.write('hint: set STRATUS_API_KEY to a key (`stratus keys create`), or run from the folder holding .stratus/admin.key\n');
    }
    return err.code === 'INVALID_ARGUMENT' ? EXIT_USAGE : EXIT_FAILURE;
  }
  // Not a Stratus error, so a bug: the stack is what someone will need.
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  ctx.stderr.write(`error: INTERNAL: ${detail}\n`);
  return EXIT_FAILURE;
}

function isCommanderExit(err: unknown): err is { exitCode: number } {
  if (typeof err !== 'object' || err === null) return false;
  const { code, exitCode } = err as { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
}

/** The process entry point (bin/stratus.js): the only place the CLI reads the environment. */
export async function main(): Promise<void> {
  let apiKey: string | undefined;
  try {
    apiKey = resolveApiKey({ env: process.env, cwd: process.cwd() });
  } catch (err) {
    process.stderr.write(`error: ${hasCode(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    apiKey,
    defaultEndpoint: process.env['STRATUS_ENDPOINT'] || DEFAULT_ENDPOINT,
    defaultHttpEndpoint: process.env['STRATUS_HTTP_ENDPOINT'] || undefined,
    logLevel: process.env[SHARED_SETTINGS.logLevel.env] || 'info',
    etcdTls: { ca: process.env['STRATUS_ETCD_TLS_CA'], cert: process.env['STRATUS_ETCD_TLS_CERT'], key: process.env['STRATUS_ETCD_TLS_KEY'] },
    stderrIsTty: process.stderr.isTTY === true,
    etcdAuth: {
      etcdUser: process.env[ETCD_AUTH_SETTINGS.etcdUser.env] || undefined,
      etcdPassword: process.env[ETCD_AUTH_SETTINGS.etcdPassword.env] || undefined,
      etcdPasswordFile: process.env[ETCD_AUTH_SETTINGS.etcdPasswordFile.env] || undefined,
    },
  });
}
