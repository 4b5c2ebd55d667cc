import type { Command } from 'commander';
import type { AliasConfigurationMessage, FunctionConfigurationMessage } from '@stratus/contracts/grpc';
import type { StratusClient } from '@stratus/client';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { aliasesTable, describeAlias, keyValues, toJson, versionsTable } from '../output.js';
import { versionWeight } from '../parse.js';
import { usageError } from '../usage-error.js';

interface PublishOptions extends CommonOptions {
  readonly description?: string;
}

interface AliasOptions extends CommonOptions {
  readonly version?: string;
  readonly weight?: Readonly<Record<string, number>>;
  readonly routing?: boolean;
  readonly description?: string;
}

/** `stratus publish`, `stratus versions` and `stratus alias …`: Lambda's versions and aliases. */
export function registerVersions(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('publish')
      .description("publish the function's $LATEST as a new version (the last version again when nothing changed since)")
      .argument('<name>', 'function name')
      .option('--description <text>', "the version's description (default: the function's)"),
    ctx,
  ).action(async (name: string, options: PublishOptions) => {
    const version = await withClient(ctx, options, (client) => client.publishVersion({ functionName: name, ...(options.description !== undefined ? { description: options.description } : {}) }));
    ctx.stdout.write(
      options.json
        ? toJson(version)
        : keyValues([
            ['function', version.functionName],
            ['version', version.version],
            ['arn', version.functionArn],
            ['code sha256', version.codeSha256],
            ['description', version.description],
          ]),
    );
  });

  addCommonOptions(
    program.command('versions').description("list a function's versions, $LATEST first").argument('<name>', 'function name'),
    ctx,
  ).action(async (name: string, options: CommonOptions) => {
    const versions = await withClient(ctx, options, (client) => allVersions(client, name));
    ctx.stdout.write(options.json ? toJson(versions) : versionsTable(versions));
  });

  const alias = program.command('alias').description('aliases: a name for a version, optionally routing a share of calls to a second one');
  addCommonOptions(
    alias
      .command('create')
      .description('create an alias')
      .argument('<name>', 'function name')
      .argument('<alias>', 'alias name')
      .requiredOption('--version <n>', 'the version it runs (a number, or $LATEST)')
      .option('--weight <version=weight>', 'route this share of calls (0 to 1) to another version, e.g. 2=0.1', versionWeight)
      .option('--description <text>', "the alias's description"),
    ctx,
  ).action(async (name: string, aliasName: string, options: AliasOptions) => {
    const created = await withClient(ctx, options, (client) =>
      client.createAlias({
        functionName: name,
        name: aliasName,
        ...(options.version !== undefined ? { functionVersion: options.version } : {}),
        ...(options.weight !== undefined ? { additionalVersionWeights: options.weight } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
      }),
    );
    printAlias(ctx, created, options);
  });
  addCommonOptions(
    alias
      .command('update')
      .description('change an alias; what is not given stays as it is')
      .argument('<name>', 'function name')
      .argument('<alias>', 'alias name')
      .option('--version <n>', 'the version it runs (a number, or $LATEST)')
      .option('--weight <version=weight>', 'route this share of calls (0 to 1) to another version, e.g. 2=0.1', versionWeight)
      .option('--no-routing', 'route every call to the alias\'s version')
      .option('--description <text>', "the alias's description"),
    ctx,
  ).action(async (name: string, aliasName: string, options: AliasOptions) => {
    if (options.weight !== undefined && options.routing === false) throw usageError('give --weight or --no-routing, not both');
    const weights = options.routing === false ? {} : options.weight;
    const updated = await withClient(ctx, options, (client) =>
      client.updateAlias({
        functionName: name,
        name: aliasName,
        ...(options.version !== undefined ? { functionVersion: options.version } : {}),
        ...(weights !== undefined ? { additionalVersionWeights: weights } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
      }),
    );
    printAlias(ctx, updated, options);
  });
  addCommonOptions(alias.command('get').description('show an alias').argument('<name>', 'function name').argument('<alias>', 'alias name'), ctx).action(
    async (name: string, aliasName: string, options: CommonOptions) => {
      printAlias(ctx, await withClient(ctx, options, (client) => client.getAlias(name, aliasName)), options);
    },
  );
  addCommonOptions(alias.command('ls').description("list a function's aliases").argument('<name>', 'function name'), ctx).action(async (name: string, options: CommonOptions) => {
    const aliases = await withClient(ctx, options, (client) => allAliases(client, name));
    ctx.stdout.write(options.json ? toJson(aliases) : aliasesTable(aliases));
  });
  addCommonOptions(alias.command('rm').description('delete an alias').argument('<name>', 'function name').argument('<alias>', 'alias name'), ctx).action(
    async (name: string, aliasName: string, options: CommonOptions) => {
      await withClient(ctx, options, (client) => client.deleteAlias(name, aliasName));
      ctx.stdout.write(options.json ? toJson({ deleted: `${name}:${aliasName}` }) : `deleted alias ${name}:${aliasName}\n`);
    },
  );
}

function printAlias(ctx: CliContext, alias: AliasConfigurationMessage, options: CommonOptions): void {
  ctx.stdout.write(options.json ? toJson(alias) : describeAlias(alias));
}

async function allVersions(client: StratusClient, name: string): Promise<FunctionConfigurationMessage[]> {
  const versions: FunctionConfigurationMessage[] = [];
  let marker = '';
  do {
    const page = await client.listVersionsByFunction(name, { marker, maxItems: 1000 });
    versions.push(...page.versions);
    marker = page.nextMarker;
  } while (marker !== '');
  return versions;
}

async function allAliases(client: StratusClient, name: string): Promise<AliasConfigurationMessage[]> {
  const aliases: AliasConfigurationMessage[] = [];
  let marker = '';
  do {
    const page = await client.listAliases(name, { marker, maxItems: 1000 });
    aliases.push(...page.aliases);
    marker = page.nextMarker;
  } while (marker !== '');
  return aliases;
}
