import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { toJson } from '../output.js';

export function registerRm(program: Command, ctx: CliContext): void {
  addCommonOptions(program.command('rm').description('delete a function').argument('<name>', 'function name'), ctx).action(
    async (name: string, options: CommonOptions) => {
      await withClient(ctx, options, (client) => client.deleteFunction(name));
      ctx.stdout.write(options.json ? toJson({ deleted: name }) : `deleted function ${name}\n`);
    },
  );
}
