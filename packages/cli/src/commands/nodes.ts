import type { Command } from 'commander';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { nodesTable, toJson } from '../output.js';

export function registerNodes(program: Command, ctx: CliContext): void {
  addCommonOptions(program.command('nodes').description("list the cluster's worker nodes and their load"), ctx).action(
    async (options: CommonOptions) => {
      const nodes = await withClient(ctx, options, (client) => client.listNodes());
      if (options.json) ctx.stdout.write(toJson(nodes));
      else if (nodes.length === 0) ctx.stdout.write('no worker nodes registered\n');
      else ctx.stdout.write(nodesTable(nodes));
    },
  );
}
