import { InvalidArgumentError, type Command } from 'commander';
import type { ScheduleMessage } from '@stratus/contracts/grpc';
import type { ScheduleInputArgs } from '@stratus/client';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { keyValues, table, toJson } from '../output.js';
import { positiveInt } from '../parse.js';

interface CreateOptions extends CommonOptions {
  readonly expression: string;
  readonly function: string;
  readonly timezone?: string;
  readonly start?: number;
  readonly end?: number;
  readonly input?: string;
  readonly flexibleWindow?: number;
  readonly description?: string;
  readonly disabled?: boolean;
  readonly deleteAfterCompletion?: boolean;
}

interface LsOptions extends CommonOptions {
  readonly prefix?: string;
  readonly state?: string;
}

/** An ISO 8601 date and time with its zone, as --start and --end take it. */
function isoTime(value: string): number {
  const ms = Date.parse(value);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO 8601 date and time with its zone, e.g. 2026-12-24T10:00:00Z');
  return ms;
}

/** `stratus schedules create|get|ls|rm|enable|disable`: EventBridge Scheduler-style schedules that invoke a function. */
export function registerSchedules(program: Command, ctx: CliContext): void {
  const group = program.command('schedules').description('schedules that invoke a function asynchronously: rate(), cron() and at() expressions, as EventBridge Scheduler');

  addCommonOptions(
    group
      .command('create')
      .description('create a schedule')
      .argument('<name>', '1 to 64 letters, digits, ".", "-" and "_"')
      .requiredOption('--expression <expr>', "rate(5 minutes), cron(0 12 * * ? *) (minutes hours day-of-month month day-of-week year) or at(2026-12-24T10:00:00)")
      .requiredOption('--function <name>', 'the function to invoke: a name, name:qualifier or ARN')
      .option('--timezone <zone>', 'IANA time zone cron() and at() are read in (default UTC)')
      .option('--start <time>', 'no tick before this ISO 8601 time', isoTime)
      .option('--end <time>', 'no tick at or after this ISO 8601 time', isoTime)
      .option('--input <json>', "the event the function receives (default: EventBridge's Scheduled Event document)")
      .option('--flexible-window <minutes>', 'fire each tick at a moment within this many minutes after it (1 to 1440)', positiveInt)
      .option('--description <text>')
      .option('--disabled', 'create it DISABLED')
      .option('--delete-after-completion', 'delete an at() schedule once it has fired'),
    ctx,
  ).action(async (name: string, options: CreateOptions) => {
    const input: ScheduleInputArgs = {
      name,
      scheduleExpression: options.expression,
      target: { functionName: options.function, ...(options.input !== undefined ? { input: options.input } : {}) },
      ...(options.timezone !== undefined ? { scheduleExpressionTimezone: options.timezone } : {}),
      ...(options.start !== undefined ? { startDateMs: options.start } : {}),
      ...(options.end !== undefined ? { endDateMs: options.end } : {}),
      ...(options.flexibleWindow !== undefined ? { flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: options.flexibleWindow } } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.disabled === true ? { state: 'DISABLED' } : {}),
      ...(options.deleteAfterCompletion === true ? { actionAfterCompletion: 'DELETE' } : {}),
    };
    const schedule = await withClient(ctx, options, (client) => client.createSchedule(input));
    ctx.stdout.write(options.json === true ? toJson(schedule) : describeSchedule(schedule));
  });

  addCommonOptions(group.command('get').description('show a schedule').argument('<name>'), ctx).action(async (name: string, options: CommonOptions) => {
    const schedule = await withClient(ctx, options, (client) => client.getSchedule(name));
    ctx.stdout.write(options.json === true ? toJson(schedule) : describeSchedule(schedule));
  });

  addCommonOptions(
    group.command('ls').description('list schedules by name').option('--prefix <text>', 'only names starting with this').option('--state <state>', 'ENABLED or DISABLED'),
    ctx,
  ).action(async (options: LsOptions) => {
    const schedules = await withClient(ctx, options, async (client) => {
      const all: ScheduleMessage[] = [];
      let nextToken = '';
      do {
        const page = await client.listSchedules({ namePrefix: options.prefix ?? '', state: options.state ?? '', maxResults: 1000, nextToken });
        all.push(...page.schedules);
        nextToken = page.nextToken;
      } while (nextToken !== '');
      return all;
    });
    if (options.json === true) ctx.stdout.write(toJson(schedules));
    else if (schedules.length === 0) ctx.stdout.write('no schedules\n');
    else ctx.stdout.write(schedulesTable(schedules));
  });

  addCommonOptions(group.command('rm').description('delete a schedule').argument('<name>'), ctx).action(async (name: string, options: CommonOptions) => {
    await withClient(ctx, options, (client) => client.deleteSchedule(name));
    ctx.stdout.write(options.json === true ? toJson({ deleted: name }) : `deleted schedule ${name}\n`);
  });

  for (const state of ['ENABLED', 'DISABLED'] as const) {
    const verb = state === 'ENABLED' ? 'enable' : 'disable';
    addCommonOptions(group.command(verb).description(`${verb} a schedule`).argument('<name>'), ctx).action(async (name: string, options: CommonOptions) => {
      const schedule = await withClient(ctx, options, async (client) => client.updateSchedule({ ...inputOf(await client.getSchedule(name)), state }));
      ctx.stdout.write(options.json === true ? toJson(schedule) : `${name} is ${schedule.state}\n`);
    });
  }
}

/** A stored schedule as the input that would store it again (UpdateSchedule replaces the whole schedule). */
function inputOf(schedule: ScheduleMessage): ScheduleInputArgs {
  return {
    name: schedule.name,
    scheduleExpression: schedule.scheduleExpression,
    scheduleExpressionTimezone: schedule.scheduleExpressionTimezone,
    startDateMs: schedule.startDateMs,
    endDateMs: schedule.endDateMs,
    state: schedule.state,
    description: schedule.description,
    flexibleTimeWindow: schedule.flexibleTimeWindow,
    target: { functionName: schedule.target?.functionName ?? '', qualifier: schedule.target?.qualifier ?? '', input: schedule.target?.input ?? '' },
    actionAfterCompletion: schedule.actionAfterCompletion,
  };
}

function time(ms: number): string {
  return ms === 0 ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function targetOf(schedule: ScheduleMessage): string {
  const target = schedule.target;
  if (!target) return '-';
  return target.qualifier === '' ? target.functionName : `${target.functionName}:${target.qualifier}`;
}

function describeSchedule(schedule: ScheduleMessage): string {
  const window = schedule.flexibleTimeWindow;
  return keyValues([
    ['name', schedule.name],
    ['arn', schedule.arn],
    ['expression', schedule.scheduleExpression],
    ['timezone', schedule.scheduleExpressionTimezone],
    ['state', schedule.state],
    ['function', targetOf(schedule)],
    ['input', schedule.target?.input || '(Scheduled Event document)'],
    ['start', schedule.startDateMs === 0 ? '' : time(schedule.startDateMs)],
    ['end', schedule.endDateMs === 0 ? '' : time(schedule.endDateMs)],
    ['flexible window', window && window.mode === 'FLEXIBLE' ? `${window.maximumWindowInMinutes} min` : 'off'],
    ['after completion', schedule.actionAfterCompletion],
    ['description', schedule.description],
    ['next fire', time(schedule.nextFireMs)],
    ['created', time(schedule.creationDateMs)],
    ['modified', time(schedule.lastModificationDateMs)],
  ]);
}

function schedulesTable(schedules: readonly ScheduleMessage[]): string {
  return table(
    ['NAME', 'STATE', 'EXPRESSION', 'TIMEZONE', 'FUNCTION', 'NEXT FIRE'],
    schedules.map((s) => [s.name, s.state, s.scheduleExpression, s.scheduleExpressionTimezone, targetOf(s), time(s.nextFireMs)]),
    ['left', 'left', 'left', 'left', 'left', 'left'],
  );
}
