import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { describeFunction, toJson } from '../output.js';

export function registerGet(program: Command, ctx: CliContext): void {
  addCommonOptions(program.command('get').description("show a function's configuration").argument('<name>', 'function name'), ctx).action(
    async (name: string, options: CommonOptions) => {
      const fn = await withClient(ctx, options, (client) => client.getFunction(name));
      ctx.stdout.write(options.json ? toJson(fn) : describeFunction(fn));
    },
  );
}
