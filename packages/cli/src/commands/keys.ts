import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { API_KEY_SCOPES, createNamespace, formatApiKey, type ApiKeyScope, type Namespace } from '@stratus/contracts';
import type { ApiKeyMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, withClient, type CliContext, type CommonOptions } from '../context.js';
import { addEtcdTlsOptions, etcdTlsOption, type EtcdTlsOptions } from '../etcd-tls.js';
import { keyValues, keysTable, toJson } from '../output.js';
import { usageError } from '../usage-error.js';

interface CreateOptions extends CommonOptions {
  readonly scope: ApiKeyScope[];
  readonly description?: string;
}

interface BootstrapOptions extends EtcdTlsOptions {
  readonly etcd: string;
  readonly namespace: string;
  readonly scope: ApiKeyScope[];
  readonly description: string;
  readonly sealingKeyFile?: string;
  readonly json?: boolean;
}

/** `--scope invoke --scope read` and `--scope invoke,read` both give [invoke, read]. */
function scopeList(value: string, previous: ApiKeyScope[] = []): ApiKeyScope[] {
  const scopes = [...previous];
  for (const part of value.split(',')) {
    const scope = part.trim();
    if (!(API_KEY_SCOPES as readonly string[]).includes(scope)) throw new InvalidArgumentError(`expected ${API_KEY_SCOPES.join('|')}, got ${JSON.stringify(scope)}`);
    if (!scopes.includes(scope as ApiKeyScope)) scopes.push(scope as ApiKeyScope);
  }
  return scopes;
}

/** `stratus keys …`: API keys (every call to a frontend carries one). */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('API keys: create, list, revoke (needs an admin key); bootstrap the first one through etcd');
  addCommonOptions(
    keys
      .command('create')
      .description('create an API key and print it once (its secret is stored only hashed)')
      .requiredOption('--scope <scope>', `what the key may do: ${API_KEY_SCOPES.join(', ')} (admin implies all); repeatable or comma-separated`, scopeList)
      .option('--description <text>', 'what the key is for'),
    ctx,
  ).action(async (options: CreateOptions) => {
    const created = await withClient(ctx, options, (client) =>
      client.createKey({ scopes: options.scope, ...(options.description !== undefined ? { description: options.description } : {}) }),
    );
    printCreated(ctx, created, options.json === true);
  });
  addCommonOptions(keys.command('ls').description('list API keys (ids and scopes, never secrets)'), ctx).action(async (options: CommonOptions) => {
    const listed = await withClient(ctx, options, (client) => client.listKeys());
    ctx.stdout.write(options.json ? toJson(listed) : keysTable(listed));
  });
  addCommonOptions(
    keys.command('revoke').description('revoke an API key: every frontend refuses it within about a second').argument('<keyId>', 'the key id (SK…)'),
    ctx,
  ).action(async (keyId: string, options: CommonOptions) => {
    await withClient(ctx, options, (client) => client.revokeKey(keyId));
    ctx.stdout.write(options.json ? toJson({ keyId, revoked: true }) : `revoked key ${keyId}\n`);
  });
  addEtcdTlsOptions(
    keys
      .command('bootstrap')
      .description(
        "write a new key straight into the cluster's etcd, for the first admin key of a cluster (needs no key, only etcd access: as the etcd user in STRATUS_ETCD_USER, with STRATUS_ETCD_PASSWORD or STRATUS_ETCD_PASSWORD_FILE, when etcd has authentication on)",
      )
      .requiredOption('--etcd <urls>', 'etcd client URLs, comma-separated (as STRATUS_ETCD_ENDPOINTS)')
      .option('--namespace <prefix>', 'the cluster’s STRATUS_NAMESPACE', 'stratus')
      .option('--scope <scope>', `scopes of the key (default admin): ${API_KEY_SCOPES.join(', ')}`, scopeList)
      .option('--description <text>', 'what the key is for', 'bootstrap admin key')
      .option('--sealing-key-file <path>', "the frontends' STRATUS_API_KEY_SEALING_KEY_FILE, so the key can also sign SigV4 requests (the Lambda REST API)"),
    ctx,
  )
    .option('--json', 'print machine-readable JSON on stdout')
    .action(async (options: BootstrapOptions) => {
      const ns = namespaceOption(options.namespace);
      const endpoints = options.etcd.split(',').map((url) => url.trim()).filter((url) => url !== '');
      if (endpoints.length === 0) throw usageError('--etcd needs at least one URL');
      // Loaded here: only this command talks to etcd rather than to a frontend.
      const { bootstrapApiKey, resolveEtcdCredentials, readApiKeySealingKeyFile } = await import('@stratus/local-cluster');
      const etcdTls = await etcdTlsOption(options);
      const sealingKey = options.sealingKeyFile === undefined ? undefined : await readApiKeySealingKeyFile(resolve(ctx.cwd, options.sealingKeyFile));
      const { record, credential } = await bootstrapApiKey({
        etcdEndpoints: endpoints,
        etcdCredentials: await resolveEtcdCredentials(ctx.etcdAuth ?? {}),
        etcdTls,
        ns,
        scopes: options.scope ?? ['admin'],
        description: options.description,
        sealingKey,
      });
      printCreated(
        ctx,
        { keyId: record.keyId, scopes: record.scopes, description: record.description, createdAtMs: record.createdAtMs, secret: credential.secret, apiKey: formatApiKey(credential) },
        options.json === true,
      );
    });
}

function namespaceOption(prefix: string): Namespace {
  try {
    return createNamespace(prefix);
  } catch (err) {
    throw usageError(`--namespace: ${(err as Error).message}`, err);
  }
}

function printCreated(ctx: CliContext, created: ApiKeyMessage & { readonly secret: string; readonly apiKey: string }, json: boolean): void {
  if (json) {
    ctx.stdout.write(toJson({ keyId: created.keyId, secret: created.secret, apiKey: created.apiKey, scopes: created.scopes, description: created.description, createdAtMs: created.createdAtMs }));
    return;
  }
  ctx.stdout.write(
    keyValues([
      ['key id', created.keyId],
      ['secret', created.secret],
      ['scopes', created.scopes.join(', ')],
      ['api key', created.apiKey],
    ]),
  );
  ctx.stderr.write('The secret is shown only now. Use the key with: export STRATUS_API_KEY=<api key>\n');
}
