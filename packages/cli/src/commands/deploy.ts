import { resolve } from 'node:path';
import type { Command } from 'commander';
import { StratusError, hasCode } from '@stratus/errors';
import { LIMITS } from '@stratus/contracts';
import type { FunctionConfigurationMessage } from '@stratus/contracts/grpc';
import type { EgressInput, LoggingInput, StratusClient } from '@stratus/client';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { describeFunction, formatBytes, toJson } from '../output.js';
import { packPath } from '../pack.js';
import { applicationLogLevel, egressAllowList, egressMode, envPair, logFormat, positiveInt, systemLogLevel, tagPair } from '../parse.js';
import { usageError } from '../usage-error.js';

interface DeployOptions extends CommonOptions {
  readonly name?: string;
  readonly handler?: string;
  readonly memory?: number;
  readonly timeout?: number;
  readonly ephemeralStorage?: number;
  readonly env?: Record<string, string>;
  readonly description?: string;
  readonly egress?: 'public' | 'none';
  readonly egressAllow?: string[];
  readonly logFormat?: 'Text' | 'JSON';
  readonly applicationLogLevel?: string;
  readonly systemLogLevel?: string;
  readonly logGroup?: string;
  readonly tag?: Record<string, string>;
}

/** What `deployPath` should set; unset fields keep the function's current value (or the defaults on create). */
export interface DeploySettings {
  readonly name?: string;
  readonly handler?: string;
  readonly memorySizeMb?: number;
  readonly timeoutSec?: number;
  readonly ephemeralStorageMb?: number;
  /** Replaces the whole environment when given. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly description?: string;
  /** Replaces the whole egress setting when given. */
  readonly egress?: EgressInput;
  /** Replaces the whole logging setting when given. */
  readonly logging?: LoggingInput;
  /** Replaces all tags when given. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Deployed {
  readonly action: 'created' | 'updated';
  readonly function: FunctionConfigurationMessage;
  /**
   * What bundling found that Lambda would report only when the function
   * loads or runs (a missing module, a syntax error, a Node.js built-in
   * Stratus lacks): the deploy succeeded, the first invocation will not.
   */
  readonly warnings: readonly string[];
}

/**
 * Zips `path` and creates the function, or, when it exists, replaces its code
 * and the settings given.
 */
export async function deployPath(client: StratusClient, path: string, settings: DeploySettings): Promise<Deployed> {
  const packed = await packPath(path);
  if (packed.zip.byteLength > LIMITS.zipMaxBytes) {
    throw new StratusError(
      'INVALID_CODE',
      `the zip of ${path} is ${formatBytes(packed.zip.byteLength)}; the limit is ${formatBytes(LIMITS.zipMaxBytes)}`,
    );
  }
  const functionName = settings.name ?? packed.defaultName;
  const handler = settings.handler ?? packed.defaultHandler;
  try {
    const created = await client.createFunction({
      functionName,
      zipFile: packed.zip,
      ...(handler !== undefined ? { handler } : {}),
      ...(settings.memorySizeMb !== undefined ? { memorySizeMb: settings.memorySizeMb } : {}),
      ...(settings.timeoutSec !== undefined ? { timeoutSec: settings.timeoutSec } : {}),
      ...(settings.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: settings.ephemeralStorageMb } : {}),
      ...(settings.environment !== undefined ? { environment: settings.environment } : {}),
      ...(settings.description !== undefined ? { description: settings.description } : {}),
      ...(settings.egress !== undefined ? { egress: settings.egress } : {}),
      ...(settings.logging !== undefined ? { logging: settings.logging } : {}),
      ...(settings.tags !== undefined ? { tags: settings.tags } : {}),
    });
    return { action: 'created', function: created, warnings: created.deployWarnings };
  } catch (err) {
    if (!hasCode(err, 'FUNCTION_ALREADY_EXISTS')) throw err;
  }
  const updated = await client.updateFunction({
    functionName,
    zipFile: packed.zip,
    ...(handler !== undefined ? { handler } : {}),
    ...(settings.memorySizeMb !== undefined ? { memorySizeMb: settings.memorySizeMb } : {}),
    ...(settings.timeoutSec !== undefined ? { timeoutSec: settings.timeoutSec } : {}),
    ...(settings.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: settings.ephemeralStorageMb } : {}),
    ...(settings.environment !== undefined ? { environment: settings.environment, replaceEnvironment: true } : {}),
    ...(settings.description !== undefined ? { description: settings.description } : {}),
    ...(settings.egress !== undefined ? { egress: settings.egress } : {}),
    ...(settings.logging !== undefined ? { logging: settings.logging } : {}),
    ...(settings.tags !== undefined ? { tags: settings.tags, replaceTags: true } : {}),
  });
  return { action: 'updated', function: updated, warnings: updated.deployWarnings };
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('deploy')
      .description('zip a folder or a single file and create the function, or update its code and settings')
      .argument('<path>', 'folder (zipped whole, without .git) or single file (handler defaults to <file>.handler)')
      .option('--name <name>', "function name (default: the folder's or file's name)")
      .option('--handler <file.export>', 'handler (default: index.handler for a folder)')
      .option('--memory <mb>', 'memory size in MB', positiveInt)
      .option('--timeout <sec>', 'timeout in seconds', positiveInt)
      .option('--ephemeral-storage <mb>', `what /tmp may hold, in MB (${LIMITS.ephemeralStorageMinMb} to ${LIMITS.ephemeralStorageMaxMb}; default ${LIMITS.ephemeralStorageDefaultMb})`, positiveInt)
      .option('--env <KEY=VALUE>', 'environment variable, repeatable; replaces the whole environment', envPair)
      .option('--description <text>', 'description')
      .option('--egress <mode>', 'outbound network access: "public" (public addresses, the default) or "none" (only what --egress-allow names)', egressMode)
      .option(
        '--egress-allow <list>',
        'destinations allowed beyond public addresses, comma-separated, repeatable: host, *.domain, IP or CIDR, each with an optional :port (e.g. 127.0.0.1:8080,10.0.0.0/8); with --egress, replaces the whole egress setting',
        egressAllowList,
      )
      .option('--log-format <format>', 'Text (the default) or JSON: one JSON object per log record and platform event', logFormat)
      .option('--application-log-level <level>', 'with JSON: TRACE, DEBUG, INFO (the default), WARN, ERROR or FATAL; console calls below it are dropped', applicationLogLevel)
      .option('--system-log-level <level>', 'with JSON: DEBUG, INFO (the default) or WARN; platform events below it are left out', systemLogLevel)
      .option('--log-group <name>', 'the log group name the function sees (default /aws/lambda/<name>)')
      .option('--tag <KEY=VALUE>', 'tag, repeatable; replaces all tags', tagPair),
    ctx,
  ).action(async (path: string, options: DeployOptions) => {
    if (path === '') throw usageError('path must not be empty');
    const deployed = await withClient(ctx, options, (client) =>
      deployPath(client, resolve(ctx.cwd, path), {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.handler !== undefined ? { handler: options.handler } : {}),
        ...(options.memory !== undefined ? { memorySizeMb: options.memory } : {}),
        ...(options.timeout !== undefined ? { timeoutSec: options.timeout } : {}),
        ...(options.ephemeralStorage !== undefined ? { ephemeralStorageMb: options.ephemeralStorage } : {}),
        ...(options.env !== undefined ? { environment: options.env } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.egress !== undefined || options.egressAllow !== undefined
          ? { egress: { mode: options.egress ?? 'public', allow: options.egressAllow ?? [] } }
          : {}),
        ...(logFlagsGiven(options) ? { logging: loggingOf(options) } : {}),
        ...(options.tag !== undefined ? { tags: options.tag } : {}),
      }),
    );
    // On stderr in both modes, so `--json` output stays one JSON document (which holds them too).
    for (const warning of deployed.warnings) ctx.stderr.write(`warning: ${warning}\n`);
    if (options.json) {
      ctx.stdout.write(toJson(deployed));
    } else {
      ctx.stdout.write(`${deployed.action} function ${deployed.function.functionName}\n${describeFunction(deployed.function)}`);
    }
  });
}

function logFlagsGiven(options: DeployOptions): boolean {
  return options.logFormat !== undefined || options.applicationLogLevel !== undefined || options.systemLogLevel !== undefined || options.logGroup !== undefined;
}

/** The flags replace the whole setting; a level flag alone means JSON, the only format with levels. */
function loggingOf(options: DeployOptions): LoggingInput {
  const levels = options.applicationLogLevel !== undefined || options.systemLogLevel !== undefined;
  const format = options.logFormat ?? (levels ? 'JSON' : 'Text');
  return {
    logFormat: format,
    ...(options.applicationLogLevel !== undefined ? { applicationLogLevel: options.applicationLogLevel } : {}),
    ...(options.systemLogLevel !== undefined ? { systemLogLevel: options.systemLogLevel } : {}),
    ...(options.logGroup !== undefined ? { logGroup: options.logGroup } : {}),
  };
}
