import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { concurrencyTable, keyValues, toJson } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface ProvisionedOptions extends CommonOptions {
  readonly count?: number;
  readonly delete?: boolean;
  readonly qualifier?: string;
}

interface ConcurrencyOptions extends CommonOptions {
  readonly reserved?: number;
  readonly delete?: boolean;
}

/** `stratus fn …`: settings of a function beyond its code and configuration. */
export function registerFn(program: Command, ctx: CliContext): void {
  const fn = program.command('fn').description('function settings: concurrency, provisioned concurrency');
  addCommonOptions(
    fn
      .command('provisioned')
      .description("show a function's provisioned concurrency (requested, allocated, available, status); set it with --count, remove it with --delete")
      .argument('<name>', 'function name')
      .option('--count <n>', 'keep this many environments initialised across the nodes', positiveInt)
      .option('--delete', 'remove the provisioned concurrency config')
      .option('--qualifier <q>', 'a version or alias (default $LATEST)'),
    ctx,
  ).action(async (name: string, options: ProvisionedOptions) => {
    if (options.count !== undefined && options.delete) throw usageError('give --count or --delete, not both');
    const qualifier = options.qualifier ?? '';
    const config = await withClient(ctx, options, (client) => {
      if (options.delete) return client.deleteProvisionedConcurrencyConfig(name, qualifier);
      if (options.count !== undefined) return client.putProvisionedConcurrencyConfig(name, options.count, qualifier);
      return client.getProvisionedConcurrencyConfig(name, qualifier);
    });
    ctx.stdout.write(
      options.json
        ? toJson(config)
        : keyValues([
            ['function', config.functionName],
            ['status', config.status],
            ['requested', String(config.requestedProvisionedConcurrentExecutions)],
            ['allocated', String(config.allocatedProvisionedConcurrentExecutions)],
            ['available', String(config.availableProvisionedConcurrentExecutions)],
          ]),
    );
  });
  addCommonOptions(
    fn
      .command('concurrency')
      .description("show the account's concurrency limits and use, or a function's reserved concurrency; set it with --reserved, remove it with --delete")
      .argument('[name]', 'function name (omit for the whole account)')
      .option('--reserved <n>', 'reserve this many concurrent executions (a guarantee and a cap; 0 disables the function)', nonNegativeInt)
      .option('--delete', 'remove the reservation'),
    ctx,
  ).action(async (name: string | undefined, options: ConcurrencyOptions) => {
    if ((options.reserved !== undefined || options.delete) && name === undefined) {
      throw usageError('--reserved and --delete need a function name');
    }
    if (options.reserved !== undefined && options.delete) throw usageError('give --reserved or --delete, not both');
    if (name === undefined) {
      const account = await withClient(ctx, options, (client) => client.getAccountConcurrency());
      ctx.stdout.write(options.json ? toJson(account) : concurrencyTable(account));
      return;
    }
    const result = await withClient(ctx, options, (client) => {
      if (options.delete) return client.deleteFunctionConcurrency(name);
      if (options.reserved !== undefined) return client.putFunctionConcurrency(name, options.reserved);
      return client.getFunctionConcurrency(name);
    });
    ctx.stdout.write(
      options.json
        ? toJson(result)
        : keyValues([
            ['function', result.functionName],
            ['reserved', result.hasReservation ? String(result.reservedConcurrentExecutions) : 'none (uses the unreserved pool)'],
            ['in flight', String(result.inFlight)],
          ]),
    );
  });
}
