import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LIMITS } from '@stratus/contracts';
import type { LogTypeName } from '@stratus/contracts/grpc';
import { hasCode } from '@stratus/errors';
import { invokeWithRetries, type InvokeResult } from '@stratus/client';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { invokeJson, toJson } from '../output.js';
import { logType, nonNegativeInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface InvokeOptions extends CommonOptions {
  readonly payload?: string;
  readonly payloadFile?: string;
  readonly logType?: LogTypeName;
  readonly qualifier?: string;
  readonly retries: number;
  readonly clientToken?: string;
  readonly async?: boolean;
}

/** Long enough for the longest function timeout; the frontend enforces the function's own. */
const INVOKE_DEADLINE_MS = (LIMITS.timeoutMaxSec + 60) * 1000;

/**
 * Prints an invocation the way the CLI does everywhere: the log tail (if any)
 * and a failed handler's error object on stderr, a result on stdout.
 * Returns the process exit code: 1 when the handler failed.
 */
function printInvokeResult(ctx: CliContext, result: InvokeResult, json: boolean): number {
  if (json) {
    ctx.stdout.write(toJson(invokeJson(result)));
  } else {
    if (result.logText) ctx.stderr.write(result.logText.endsWith('\n') ? result.logText : `${result.logText}\n`);
    const sink = result.functionError ? ctx.stderr : ctx.stdout;
    if (result.payloadText) sink.write(`${result.payloadText}\n`);
  }
  return result.functionError ? 1 : 0;
}

export function registerInvoke(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  addCommonOptions(
    program
      .command('invoke')
      .description("run a function and print its result (a failed handler's error goes to stderr, exit code 1)")
      .argument('<name>', 'function name, optionally name:qualifier')
      .option('--payload <json>', 'the event, as JSON (default: {})')
      .option('--payload-file <file>', 'read the event from a file')
      .option('--log-type <type>', 'Tail prints the last 4 KB of the log on stderr; None (default) does not', logType)
      .option('--qualifier <q>', 'version or alias')
      .option('--retries <n>', 'retry a call that failed retryably this many times; every attempt carries one client token, so the function runs at most once', nonNegativeInt, 2)
      .option('--client-token <token>', 'the client token (default: a new random one); a call with a token already used within 10 minutes gets that call’s result')
      .option('--async', 'an Event invocation: print its request id once the event is stored (202); `stratus async status ID` follows it'),
    ctx,
  ).action(async (name: string, options: InvokeOptions) => {
    const payload = await readPayload(ctx, options);
    if (options.async === true) {
      if (options.logType === 'TAIL') throw usageError('--log-type Tail needs a synchronous call: an Event invocation returns before it runs');
      // Acceptance is safe to retry only with care: a retry may store the event twice, so none is made here.
      const accepted = await withClient(ctx, options, (client) =>
        client.invoke({ functionName: name, payload, invocationType: 'EVENT', ...(options.qualifier !== undefined ? { qualifier: options.qualifier } : {}) }),
      );
      ctx.stdout.write(options.json === true ? toJson({ requestId: accepted.requestId, statusCode: accepted.statusCode }) : `${accepted.requestId}\n`);
      return;
    }
    const result = await withClient(
      ctx,
      options,
      (client) =>
        invokeWithRetries(
          client,
          {
            functionName: name,
            payload,
            ...(options.qualifier !== undefined ? { qualifier: options.qualifier } : {}),
            ...(options.logType !== undefined ? { logType: options.logType } : {}),
            ...(options.clientToken !== undefined ? { clientToken: options.clientToken } : {}),
          },
          {
            retries: options.retries,
            onRetry: (err, attempt) => ctx.stderr.write(`retrying (${attempt} of ${options.retries}) after ${hasCode(err) ? err.code : 'an error'}: ${err.message}\n`),
          },
        ),
      INVOKE_DEADLINE_MS,
    );
    setExitCode(printInvokeResult(ctx, result, options.json === true));
  });
}

async function readPayload(ctx: CliContext, options: InvokeOptions): Promise<string> {
  if (options.payload !== undefined && options.payloadFile !== undefined) {
    throw usageError('give --payload or --payload-file, not both');
  }
  let text: string;
  let source: string;
  if (options.payloadFile !== undefined) {
    source = options.payloadFile;
    text = await readFile(resolve(ctx.cwd, options.payloadFile), 'utf8').catch((err: unknown) => {
      throw usageError(`cannot read --payload-file ${options.payloadFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
    });
  } else if (options.payload !== undefined) {
    source = '--payload';
    text = options.payload;
  } else {
    return '';
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw usageError(`${source} is not valid JSON: ${(err as Error).message}`, err);
  }
  return text;
}
