import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { toJson, usageTable } from '../output.js';

interface UsageOptions extends CommonOptions {
  readonly function?: string;
}

export function registerUsage(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('usage')
      .description('show requests, billed duration, GB-seconds and cost per function')
      .option('--function <name>', 'only this function'),
    ctx,
  ).action(async (options: UsageOptions) => {
    const usage = await withClient(ctx, options, (client) =>
      client.getUsage(options.function !== undefined ? { functionName: options.function } : {}),
    );
    ctx.stdout.write(options.json ? toJson(usage) : usageTable(usage));
  });
}
