import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { functionsTable, toJson } from '../output.js';

export function registerLs(program: Command, ctx: CliContext): void {
  addCommonOptions(program.command('ls').description('list functions'), ctx).action(async (options: CommonOptions) => {
    const functions = await withClient(ctx, options, (client) => client.listFunctions());
    if (options.json) ctx.stdout.write(toJson(functions));
    else if (functions.length === 0) ctx.stdout.write('no functions; deploy one with: stratus deploy <path>\n');
    else ctx.stdout.write(functionsTable(functions));
  });
}
