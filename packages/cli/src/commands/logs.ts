import { InvalidArgumentError, type Command } from 'commander';
import type { LogEventMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { toJson } from '../output.js';
import { positiveInt } from '../parse.js';

interface LogsOptions extends CommonOptions {
  readonly since?: number;
  readonly limit?: number;
  readonly requestId?: string;
  readonly follow?: boolean;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`30s`, `10m`, `2h`, `7d`) or an ISO 8601 time; returns ms since the epoch. */
export function sinceTime(value: string, nowMs: number = Date.now()): number {
  const duration = /^(\d+)([smhd])$/.exec(value);
  if (duration) return nowMs - Number(duration[1]) * (UNIT_MS[duration[2] ?? 's'] ?? 1000);
  const timeMs = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(timeMs)) throw new InvalidArgumentError('expected a duration such as 10m, 2h, 7d, or an ISO 8601 time');
  return timeMs;
}

export function registerLogs(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('logs')
      .description("print a function's invocation logs, oldest first; --follow keeps printing new ones until Ctrl-C")
      .argument('<name>', 'function name')
      .option('--since <when>', 'only invocations since a duration ago (10m, 2h, 7d) or an ISO 8601 time', (v) => sinceTime(v))
      .option('--limit <n>', 'the newest n invocations (default 100; 10 before following)', positiveInt)
      .option('--request-id <id>', 'only the invocation with this request id')
      .option('-f, --follow', 'keep printing new invocations until interrupted'),
    ctx,
  ).action(async (name: string, options: LogsOptions) => {
    if (options.follow) {
      await follow(ctx, name, options);
      return;
    }
    const events = await withClient(ctx, options, (client) =>
      client.getLogs({
        functionName: name,
        ...(options.since !== undefined ? { startTimeMs: options.since } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
        eventsOnly: true,
      }),
    );
    if (options.json) ctx.stdout.write(toJson(events.flatMap(jsonEvents)));
    else for (const event of events) printEvents(ctx, event);
  });
}

/** Prints until SIGINT or SIGTERM, then ends cleanly (exit code 0); with --json, one JSON object per log event and line. */
async function follow(ctx: CliContext, name: string, options: LogsOptions): Promise<void> {
  await withClient(ctx, options, async (client) => {
    const tail = client.tailLogs({ functionName: name, eventsOnly: true, ...(options.limit !== undefined ? { limit: options.limit } : {}) }, (event) => {
      // The server sends the newest few first; the filters apply to them too.
      if (options.since !== undefined && event.timestampMs < options.since) return;
      if (options.requestId !== undefined && event.requestId !== options.requestId) return;
      if (options.json) for (const one of jsonEvents(event)) ctx.stdout.write(`${JSON.stringify(one)}\n`);
      else printEvents(ctx, event);
    });
    let interrupted = false;
    const stop = (): void => {
      interrupted = true;
      tail.cancel();
    };
    // Following has no end of its own: an interrupt is how the user finishes it.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await tail.done;
      if (!interrupted) ctx.stderr.write('the frontend ended the log stream (it is shutting down); run the command again to resume\n');
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}

/** A log event in --json, as CloudWatch gives one (`timestamp` in ms since the epoch), with the invocation it belongs to. */
interface JsonLogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly requestId: string;
}

/** A frontend that predates events sends the text alone: one event per line then, as stored logs without framing read. */
function eventsOf(log: LogEventMessage): readonly { readonly timestampMs: number; readonly message: string }[] {
  if (log.events.length > 0 || log.message === '') return log.events;
  return log.message.replace(/\n$/, '').split('\n').map((message) => ({ timestampMs: log.timestampMs, message }));
}

export function jsonEvents(log: LogEventMessage): JsonLogEvent[] {
  return eventsOf(log).map((event) => ({ timestamp: event.timestampMs, message: event.message, requestId: log.requestId }));
}

/**
 * An invocation's log for people, one event after the other: the lines of a multi-line
 * event after its first are indented, so every line that starts at the
 * margin starts an event (a console call with newlines reads as one call).
 */
export function eventsText(log: LogEventMessage): string {
  let text = '';
  for (const event of eventsOf(log)) text += `${event.message.replaceAll('\n', '\n  ')}\n`;
  return text;
}

function printEvents(ctx: CliContext, log: LogEventMessage): void {
  ctx.stdout.write(eventsText(log));
}
