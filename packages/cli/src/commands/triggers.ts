import type { Command } from 'commander';
import type { TriggerMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { table, toJson } from '../output.js';

interface LsOptions extends CommonOptions {
  readonly kind?: string;
  readonly function?: string;
}

/** `stratus triggers ls`: every event source that invokes functions, with its state, firings, lag and last error. */
export function registerTriggers(program: Command, ctx: CliContext): void {
  const group = program.command('triggers').description('event sources that invoke functions (schedules, …): state, last and next firing, lag, last error');
  addCommonOptions(
    group
      .command('ls')
      .description('list every trigger as the answering frontend sees it')
      .option('--kind <kind>', 'only this kind (schedule, …)')
      .option('--function <name>', 'only triggers invoking this function'),
    ctx,
  ).action(async (options: LsOptions) => {
    const triggers = await withClient(ctx, options, (client) =>
      client.listTriggers({ ...(options.kind !== undefined ? { kind: options.kind } : {}), ...(options.function !== undefined ? { functionName: options.function } : {}) }),
    );
    if (options.json === true) ctx.stdout.write(toJson(triggers));
    else if (triggers.length === 0) ctx.stdout.write('no triggers\n');
    else ctx.stdout.write(triggersTable(triggers, Date.now()));
  });
}

export function triggersTable(triggers: readonly TriggerMessage[], nowMs: number): string {
  return table(
    ['KIND', 'NAME', 'FUNCTION', 'STATE', 'SOURCE', 'LAST FIRE', 'NEXT FIRE', 'LAG', 'LAST ERROR'],
    triggers.map((t) => [
      t.kind,
      t.name,
      t.qualifier === '' ? t.functionName : `${t.functionName}:${t.qualifier}`,
      t.state,
      t.source,
      time(t.lastFireMs),
      time(t.nextFireMs),
      t.backlog > 0 ? `${duration(t.lagMs)} (${t.backlog} waiting)` : duration(t.lagMs),
      t.lastError === '' ? '-' : `${t.lastError} (${duration(nowMs - t.lastErrorMs)} ago)`,
    ]),
    ['left', 'left', 'left', 'left', 'left', 'left', 'left', 'right', 'left'],
  );
}

function time(ms: number): string {
  return ms === 0 ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
