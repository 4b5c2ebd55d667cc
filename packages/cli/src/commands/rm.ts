import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { toJson } from '../output.js';

interface RmOptions extends CommonOptions {
  readonly qualifier?: string;
}

export function registerRm(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('rm')
      .description('delete a function with its versions and aliases, or one version (refused while an alias runs it)')
      .argument('<name>', 'function name, or name:version')
      .option('--qualifier <version>', 'delete only this version'),
    ctx,
  ).action(async (name: string, options: RmOptions) => {
    const qualifier = options.qualifier ?? '';
    await withClient(ctx, options, (client) => client.deleteFunction(name, qualifier));
    const what = qualifier !== '' ? `${name}:${qualifier}` : name;
    const version = qualifier !== '' || name.includes(':');
    ctx.stdout.write(options.json ? toJson({ deleted: what }) : `deleted ${version ? 'version' : 'function'} ${what}\n`);
  });
}
