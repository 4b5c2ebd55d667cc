import type { Command } from 'commander';
import type { AsyncInvocationMessage, FunctionEventInvokeConfigMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { keyValues, toJson } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface RedriveOptions extends CommonOptions {
  readonly all?: string;
}

interface ConfigOptions extends CommonOptions {
  readonly retries?: number;
  readonly maxAge?: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
  readonly recursiveLoop?: string;
  readonly delete?: boolean;
  readonly qualifier?: string;
  readonly list?: boolean;
}

/** `stratus async status|cancel|redrive|config`: asynchronous invocations by request id, and each function's settings for them. */
export function registerAsync(program: Command, ctx: CliContext): void {
  const group = program.command('async').description('asynchronous (Event) invocations: their state, cancel, redrive, and per-function settings');

  addCommonOptions(group.command('status').description('what became of an Event invocation').argument('<requestId>', 'the id `stratus invoke --async` printed'), ctx).action(
    async (requestId: string, options: CommonOptions) => {
      const status = await withClient(ctx, options, (client) => client.getAsyncInvocation(requestId));
      ctx.stdout.write(options.json === true ? toJson(statusJson(status)) : describeStatus(status));
    },
  );

  addCommonOptions(group.command('cancel').description('cancel an Event invocation that is queued or waiting for a retry').argument('<requestId>'), ctx).action(
    async (requestId: string, options: CommonOptions) => {
      const status = await withClient(ctx, options, (client) => client.cancelAsyncInvocation(requestId));
      ctx.stdout.write(options.json === true ? toJson(statusJson(status)) : `cancelled ${status.requestId}\n`);
    },
  );

  addCommonOptions(
    group
      .command('redrive')
      .description('queue dead-lettered Event invocations again: one by request id, or every one of a function with --all NAME')
      .argument('[requestId]')
      .option('--all <function>', 'every dead-lettered invocation of this function'),
    ctx,
  ).action(async (requestId: string | undefined, options: RedriveOptions) => {
    if ((requestId === undefined) === (options.all === undefined)) throw usageError('give a request id or --all FUNCTION, not both');
    const ids = await withClient(ctx, options, (client) =>
      client.redriveAsyncInvocations(requestId !== undefined ? { requestId } : { functionName: options.all ?? '' }),
    );
    ctx.stdout.write(options.json === true ? toJson({ requestIds: ids }) : ids.map((id) => `${id}\n`).join('') || 'nothing to redrive\n');
  });

  addCommonOptions(
    group
      .command('config')
      .description("show or change a function's settings for Event invocations (Lambda's FunctionEventInvokeConfig); with no option, show them")
      .argument('<function>')
      .option('--retries <n>', 'retries after a failed attempt, 0 to 2 (default 2)', nonNegativeInt)
      .option('--max-age <seconds>', 'how long an event may wait, retries included, 60 to 21600 (default 21600)', positiveInt)
      .option('--on-success <destination>', "function:NAME, nats:SUBJECT or jetstream:SUBJECT ('' removes it)")
      .option('--on-failure <destination>', "function:NAME, nats:SUBJECT or jetstream:SUBJECT ('' removes it)")
      .option('--recursive-loop <mode>', 'Terminate (default): stop chains deeper than 16; Allow: let them run')
      .option('--qualifier <alias-or-version>', "the settings of an alias or version (each has its own; one without gets Lambda's defaults, not the function's)")
      .option('--list', "list the function's settings and every alias's and version's")
      .option('--delete', 'remove the settings (Lambda defaults apply)'),
    ctx,
  ).action(async (name: string, options: ConfigOptions) => {
    const changing =
      options.retries !== undefined ||
      options.maxAge !== undefined ||
      options.onSuccess !== undefined ||
      options.onFailure !== undefined ||
      options.recursiveLoop !== undefined;
    const qualifier = options.qualifier ?? '';
    if (options.list === true) {
      if (changing || options.delete === true || qualifier !== '') throw usageError('--list takes no other option');
      const configs = await withClient(ctx, options, (client) => client.listFunctionEventInvokeConfigs(name));
      ctx.stdout.write(options.json === true ? toJson({ functionEventInvokeConfigs: configs }) : configs.map(describeConfig).join('\n') || `${name} has no Event invocation settings\n`);
      return;
    }
    if (options.delete === true) {
      if (changing) throw usageError('--delete takes no other option');
      await withClient(ctx, options, (client) => client.deleteFunctionEventInvokeConfig(name, qualifier));
      const what = qualifier === '' ? name : `${name}:${qualifier}`;
      ctx.stdout.write(options.json === true ? toJson({ deleted: what }) : `removed the Event invocation settings of ${what}\n`);
      return;
    }
    const config = await withClient(ctx, options, (client) =>
      changing
        ? client.updateFunctionEventInvokeConfig({
            functionName: name,
            qualifier,
            ...(options.retries !== undefined ? { maximumRetryAttempts: options.retries } : {}),
            ...(options.maxAge !== undefined ? { maximumEventAgeInSeconds: options.maxAge } : {}),
            ...(options.onSuccess !== undefined ? { onSuccess: options.onSuccess } : {}),
            ...(options.onFailure !== undefined ? { onFailure: options.onFailure } : {}),
            ...(options.recursiveLoop !== undefined ? { recursiveLoop: options.recursiveLoop } : {}),
          })
        : client.getFunctionEventInvokeConfig(name, qualifier),
    );
    ctx.stdout.write(options.json === true ? toJson(config) : describeConfig(config));
  });
}

function statusJson(status: AsyncInvocationMessage): Record<string, unknown> {
  return { ...status };
}

function time(ms: number): string {
  return ms === 0 ? '-' : new Date(ms).toISOString();
}

function describeStatus(status: AsyncInvocationMessage): string {
  return keyValues([
    ['request id', status.requestId],
    ['function', status.qualifier === '' ? status.functionName : `${status.functionName}:${status.qualifier}`],
    ['state', status.state],
    ['attempts', String(status.attempts)],
    ['accepted', time(status.acceptedAtMs)],
    ['started', time(status.startedAtMs)],
    ['finished', time(status.finishedAtMs)],
    ['last error', status.lastError || '-'],
    ['dead-lettered', status.deadLettered ? 'yes (stratus async redrive)' : 'no'],
    ...(status.destinationError === '' ? [] : ([['destination', status.destinationError]] as const)),
  ]);
}

function describeConfig(config: FunctionEventInvokeConfigMessage): string {
  return keyValues([
    ['function', config.functionArn],
    ['retries', String(config.maximumRetryAttempts)],
    ['max age', `${config.maximumEventAgeInSeconds} s`],
    ['on success', config.destinationConfig?.onSuccess?.destination || '-'],
    ['on failure', config.destinationConfig?.onFailure?.destination || '-'],
    ['recursive loop', config.recursiveLoop],
    ['last modified', config.lastModified],
  ]);
}
