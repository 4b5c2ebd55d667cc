import { InvalidArgumentError, Option, type Command } from 'commander';
import type { EventSourceMappingConfigurationMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { keyValues, toJson } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface CreateOptions extends CommonOptions {
  readonly source: string;
  readonly batchSize?: number;
  readonly window?: number;
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  readonly startAt?: string;
  readonly reportBatchItemFailures?: boolean;
  readonly retries?: number;
  readonly onFailure?: string;
  readonly disabled?: boolean;
}

interface UpdateOptions extends CommonOptions {
  readonly function?: string;
  readonly batchSize?: number;
  readonly window?: number;
  readonly reportBatchItemFailures?: boolean;
  readonly retries?: number;
  readonly onFailure?: string;
}

interface ListOptions extends CommonOptions {
  readonly function?: string;
  readonly source?: string;
}

/** -1 (retry until the message leaves the stream) or a whole number. */
function retryAttempts(value: string): number {
  if (value === '-1') return -1;
  return nonNegativeInt(value);
}

function timestampMs(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new InvalidArgumentError('expected an ISO 8601 time or ms since the epoch');
  return ms;
}

/** `stratus mappings create|get|ls|update|rm|enable|disable`: event source mappings (Lambda's CreateEventSourceMapping and friends). */
export function registerMappings(program: Command, ctx: CliContext): void {
  const group = program
    .command('mappings')
    .alias('event-source-mappings')
    .description('event source mappings: invoke a function with batches of the messages published on a NATS subject under <namespace>.events.');

  addCommonOptions(
    group
      .command('create')
      .description('map an event source to a function')
      .argument('<function>', 'the function (name, name:qualifier or ARN)')
      .requiredOption('--source <source>', 'nats:SUBJECT (live, at most once) or jetstream:SUBJECT (stored, at least once); * and a final > are wildcards')
      .option('--batch-size <n>', 'messages per invocation at most, 1 to 10000 (default 10)', positiveInt)
      .option('--window <seconds>', 'how long to gather a batch, 0 to 300 (default 0)', nonNegativeInt)
      .addOption(new Option('--starting-position <position>', 'jetstream: where to start (default LATEST)').choices(['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP']))
      .option('--start-at <time>', 'with AT_TIMESTAMP: an ISO 8601 time or ms since the epoch')
      .option('--report-batch-item-failures', 'the function answers {batchItemFailures: [{itemIdentifier}]} and only those are retried')
      .option('--retries <n>', 'retries of a failed message, -1 (until it leaves the stream; the default) to 10000', retryAttempts)
      .option('--on-failure <destination>', 'where messages out of retries go: function:NAME, nats:SUBJECT or jetstream:SUBJECT')
      .option('--disabled', 'create it disabled'),
    ctx,
  ).action(async (functionName: string, options: CreateOptions) => {
    if (options.startAt !== undefined && options.startingPosition !== 'AT_TIMESTAMP') throw usageError('--start-at goes with --starting-position AT_TIMESTAMP');
    const mapping = await withClient(ctx, options, (client) =>
      client.createEventSourceMapping({
        functionName,
        eventSource: options.source,
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.window !== undefined ? { maximumBatchingWindowInSeconds: options.window } : {}),
        ...(options.startingPosition !== undefined ? { startingPosition: options.startingPosition } : {}),
        ...(options.startAt !== undefined ? { startingPositionTimestampMs: timestampMs(options.startAt) } : {}),
        ...(options.reportBatchItemFailures === true ? { reportBatchItemFailures: true } : {}),
        ...(options.retries !== undefined ? { maximumRetryAttempts: options.retries } : {}),
        ...(options.onFailure !== undefined ? { onFailure: options.onFailure } : {}),
        ...(options.disabled === true ? { enabled: false } : {}),
      }),
    );
    ctx.stdout.write(options.json === true ? toJson(mapping) : describe(mapping));
  });

  addCommonOptions(group.command('get').description('show a mapping').argument('<uuid>'), ctx).action(async (uuid: string, options: CommonOptions) => {
    const mapping = await withClient(ctx, options, (client) => client.getEventSourceMapping(uuid));
    ctx.stdout.write(options.json === true ? toJson(mapping) : describe(mapping));
  });

  addCommonOptions(
    group.command('ls').description('list mappings').option('--function <name>', "only this function's").option('--source <source>', "only this source's"),
    ctx,
  ).action(async (options: ListOptions) => {
    const mappings = await withClient(ctx, options, (client) =>
      client.listEventSourceMappings({
        ...(options.function !== undefined ? { functionName: options.function } : {}),
        ...(options.source !== undefined ? { eventSource: options.source } : {}),
      }),
    );
    if (options.json === true) {
      ctx.stdout.write(toJson({ eventSourceMappings: mappings }));
      return;
    }
    if (mappings.length === 0) {
      ctx.stdout.write('no event source mappings\n');
      return;
    }
    const rows = mappings.map((m) => [m.uuid, m.state, functionOf(m), sourceOf(m), String(m.batchSize), m.lag < 0 ? '-' : String(m.lag), m.lastProcessingResult]);
    ctx.stdout.write(table([['UUID', 'STATE', 'FUNCTION', 'SOURCE', 'BATCH', 'LAG', 'LAST RESULT'], ...rows]));
  });

  addCommonOptions(
    group
      .command('update')
      .description('change a mapping (only the options given)')
      .argument('<uuid>')
      .option('--function <name>', 'invoke another function')
      .option('--batch-size <n>', '1 to 10000', positiveInt)
      .option('--window <seconds>', '0 to 300', nonNegativeInt)
      .option('--report-batch-item-failures', 'the function reports failed items')
      .option('--no-report-batch-item-failures', 'a failed invocation fails the whole batch')
      .option('--retries <n>', '-1 to 10000', retryAttempts)
      .option('--on-failure <destination>', "function:NAME, nats:SUBJECT or jetstream:SUBJECT ('' removes it)"),
    ctx,
  ).action(async (uuid: string, options: UpdateOptions) => {
    const mapping = await withClient(ctx, options, (client) =>
      client.updateEventSourceMapping({
        uuid,
        ...(options.function !== undefined ? { functionName: options.function } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.window !== undefined ? { maximumBatchingWindowInSeconds: options.window } : {}),
        ...(options.reportBatchItemFailures !== undefined ? { reportBatchItemFailures: options.reportBatchItemFailures } : {}),
        ...(options.retries !== undefined ? { maximumRetryAttempts: options.retries } : {}),
        ...(options.onFailure !== undefined ? { onFailure: options.onFailure } : {}),
      }),
    );
    ctx.stdout.write(options.json === true ? toJson(mapping) : describe(mapping));
  });

  for (const [command, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    addCommonOptions(group.command(command).description(`${command} a mapping`).argument('<uuid>'), ctx).action(async (uuid: string, options: CommonOptions) => {
      const mapping = await withClient(ctx, options, (client) => client.updateEventSourceMapping({ uuid, enabled }));
      ctx.stdout.write(options.json === true ? toJson(mapping) : `${mapping.uuid} ${mapping.state}\n`);
    });
  }

  addCommonOptions(group.command('rm').description('delete a mapping').argument('<uuid>'), ctx).action(async (uuid: string, options: CommonOptions) => {
    const mapping = await withClient(ctx, options, (client) => client.deleteEventSourceMapping(uuid));
    ctx.stdout.write(options.json === true ? toJson(mapping) : `deleted ${mapping.uuid}\n`);
  });
}

function functionOf(mapping: EventSourceMappingConfigurationMessage): string {
  return mapping.functionArn.replace(/^arn:aws:lambda:[^:]*:[^:]*:function:/, '');
}

function sourceOf(mapping: EventSourceMappingConfigurationMessage): string {
  const match = /^arn:stratus:(nats|jetstream):[^:]*:[^:]*:subject\/(.+)$/.exec(mapping.eventSourceArn);
  return match ? `${match[1]}:${match[2]}` : mapping.eventSourceArn;
}

function describe(mapping: EventSourceMappingConfigurationMessage): string {
  return keyValues([
    ['uuid', mapping.uuid],
    ['state', mapping.state],
    ['function', functionOf(mapping)],
    ['source', sourceOf(mapping)],
    ['batch size', String(mapping.batchSize)],
    ['window', `${mapping.maximumBatchingWindowInSeconds} s`],
    ['starting position', mapping.startingPosition || '-'],
    ['report batch item failures', mapping.functionResponseTypes.includes('ReportBatchItemFailures') ? 'yes' : 'no'],
    ['retries', mapping.maximumRetryAttempts < 0 ? 'until the message leaves the stream' : String(mapping.maximumRetryAttempts)],
    ['on failure', mapping.destinationConfig?.onFailure || '-'],
    ['lag', mapping.lag < 0 ? '-' : String(mapping.lag)],
    ['last result', mapping.lastProcessingResult],
    ['last modified', mapping.lastModified],
  ]);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')).join('\n') + '\n';
}
