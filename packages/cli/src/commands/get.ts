import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { describeFunction, toJson } from '../output.js';

interface GetOptions extends CommonOptions {
  readonly qualifier?: string;
}

export function registerGet(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('get')
      .description("show a function's configuration ($LATEST, or a version's)")
      .argument('<name>', 'function name, optionally name:qualifier')
      .option('--qualifier <q>', 'version or alias (an alias shows the version it runs)'),
    ctx,
  ).action(
    async (name: string, options: GetOptions) => {
      const fn = await withClient(ctx, options, (client) => client.getFunction(name, options.qualifier ?? ''));
      ctx.stdout.write(options.json ? toJson(fn) : describeFunction(fn));
    },
  );
}
