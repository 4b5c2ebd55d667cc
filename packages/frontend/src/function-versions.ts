import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import {
  LATEST_VERSION,
  VERSION_DESCRIPTION_MAX_LENGTH,
  aliasNameSchema,
  compareVersions,
  pageAfter,
  parseFunctionName,
  parseOrThrow,
  parseQualifier,
  pickAliasVersion,
  qualifiedFunctionArn,
  storedAliasSchema,
  versionNumberSchema,
  type Namespace,
  type Page,
  type StoredAlias,
  type StoredFunction,
} from '@stratus/contracts';
import { PrefixMirror, VersionStore, aliasReferences, decodeAlias, decodeFunction, type Published, type VersionedAlias, type VersionedFunction } from '@stratus/registry';

export interface FunctionVersionsOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Where an alias with routing draws its numbers, in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

export interface PublishVersionInput {
  readonly functionName: unknown;
  /** The version's own description; empty: the function's. */
  readonly description?: unknown;
  /** Publish only if $LATEST's code has this hex SHA-256; empty: any. */
  readonly codeSha256?: unknown;
  /** Publish only if $LATEST is at this revision (FunctionConfiguration.revision); 0: any. */
  readonly revision?: unknown;
}

export interface ListInput {
  readonly functionName: unknown;
  /** The last key of the previous page (its nextMarker); empty for the first page. */
  readonly marker?: unknown;
  /** 1..10000; 0 or absent: 50. */
  readonly maxItems?: unknown;
}

export interface ListAliasesInput extends ListInput {
  /** Only aliases running this version; empty: all. */
  readonly functionVersion?: unknown;
}

export interface CreateAliasInput {
  readonly functionName: unknown;
  readonly name: unknown;
  readonly functionVersion: unknown;
  readonly description?: unknown;
  /** Lambda's RoutingConfig.AdditionalVersionWeights: at most one version and its share of calls, 0..1. */
  readonly additionalVersionWeights?: unknown;
}

export interface UpdateAliasInput {
  readonly functionName: unknown;
  readonly name: unknown;
  /** Each field left undefined keeps its value. */
  readonly functionVersion?: unknown;
  readonly description?: unknown;
  /** Replaces the routing; an empty object removes it. */
  readonly additionalVersionWeights?: unknown;
  /** Update only if the alias's RevisionId is still this; empty: any. */
  readonly revisionId?: unknown;
}

/**
 * Lambda's versions and aliases, with no transport in it: the gRPC frontend
 * and the Lambda REST API call the same operations, which validate their
 * inputs (INVALID_ARGUMENT naming the field) and answer with stored records
 * (`VersionedFunction`, `VersionedAlias`). Writes go to etcd through
 * `VersionStore`; what an invocation resolves (`fn:3`, `fn:prod`) comes from
 * in-memory mirrors of the versions and aliases, kept current by watches.
 */
export class FunctionVersions {
  readonly #store: VersionStore;
  readonly #versions: PrefixMirror<StoredFunction>;
  readonly #aliases: PrefixMirror<StoredAlias>;
  readonly #log: Logger;
  readonly #random: () => number;

  private constructor(options: FunctionVersionsOptions, versions: PrefixMirror<StoredFunction>, aliases: PrefixMirror<StoredAlias>) {
    this.#store = new VersionStore({ etcd: options.etcd, ns: options.ns });
    this.#versions = versions;
    this.#aliases = aliases;
    this.#log = options.log;
    this.#random = options.random ?? Math.random;
  }

  static async open(options: FunctionVersionsOptions): Promise<FunctionVersions> {
    const { etcd, ns, log } = options;
    const versions = await PrefixMirror.start({ etcd, prefix: ns.keys.versionsPrefix(), decode: decodeFunction, log });
    try {
      const aliases = await PrefixMirror.start({ etcd, prefix: ns.keys.aliasesPrefix(), decode: decodeAlias, log });
      return new FunctionVersions(options, versions, aliases);
    } catch (err) {
      await versions.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#versions.close();
    await this.#aliases.close();
  }

  /** PublishVersion: $LATEST as the next version, or the last version when nothing changed since. */
  async publish(input: PublishVersionInput): Promise<Published> {
    const name = parseFunctionName(input.functionName);
    const description = optionalText(input.description, 'description', VERSION_DESCRIPTION_MAX_LENGTH);
    const codeSha256 = optionalText(input.codeSha256, 'codeSha256', 64);
    if (codeSha256 !== '' && !/^[0-9a-f]{64}$/.test(codeSha256)) throw new StratusError('INVALID_ARGUMENT', 'codeSha256: must be a hex SHA-256 (64 characters 0-9a-f), as FunctionConfiguration.codeSha256');
    const revision = input.revision === undefined ? 0 : input.revision;
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) throw new StratusError('INVALID_ARGUMENT', 'revision: must be a whole number; 0 for any');
    const published = await this.#store.publish(name, { description, codeSha256, expectedRevision: revision });
    if (published.created) {
      this.#versions.observe(versionId(name, published.fn.version), published.fn, published.revision);
      this.#log.info({ fn: name, version: published.fn.version, codeSha256: published.fn.codeSha256 }, 'version published');
    }
    return published;
  }

  /** ListVersionsByFunction: `latest` ($LATEST) first, then the published versions by number. */
  async listVersions(input: ListInput, latest: VersionedFunction): Promise<Page<VersionedFunction>> {
    const name = parseFunctionName(input.functionName);
    const marker = optionalText(input.marker, 'marker', 64);
    if (marker !== '' && marker !== LATEST_VERSION) parseOrThrow(versionNumberSchema, marker, 'marker');
    const versions = [latest, ...(await this.#store.listVersions(name))];
    return pageAfter(versions, (v) => v.fn.version, compareVersions, marker, maxItemsOf(input.maxItems));
  }

  /**
   * GetFunction with a qualifier: a published version, or the version an
   * alias names (its own, not a routed one); `latest` reads $LATEST, for an
   * empty or $LATEST qualifier and an alias that points at it.
   */
  async get(functionName: unknown, qualifier: string, latest: () => Promise<VersionedFunction>): Promise<VersionedFunction> {
    const name = parseFunctionName(functionName);
    const parsed = parseQualifier(qualifier);
    if (parsed.kind === 'latest') return latest();
    let version: string;
    if (parsed.kind === 'alias') {
      const alias = await this.#store.getAlias(name, parsed.alias);
      if (!alias) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, parsed.alias)}`);
      version = alias.alias.functionVersion;
      if (version === LATEST_VERSION) return latest();
    } else {
      version = parsed.version;
    }
    const found = await this.#store.getVersion(name, version);
    if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, version)}`);
    return found;
  }

  /** DeleteFunction with a version qualifier: that version only, refused while an alias runs it. */
  async deleteVersion(functionName: unknown, qualifier: string): Promise<void> {
    const name = parseFunctionName(functionName);
    const parsed = parseQualifier(qualifier);
    if (parsed.kind !== 'version') {
      throw new StratusError(
        'INVALID_ARGUMENT',
        parsed.kind === 'latest' ? `qualifier: ${LATEST_VERSION} cannot be deleted alone; delete the function without a qualifier` : 'qualifier: DeleteFunction takes a version number; delete an alias with DeleteAlias',
      );
    }
    const revision = await this.#store.deleteVersion(name, parsed.version);
    this.#versions.observe(versionId(name, parsed.version), undefined, revision);
    this.#log.info({ fn: name, version: parsed.version }, 'version deleted');
  }

  async createAlias(input: CreateAliasInput): Promise<VersionedAlias> {
    const functionName = parseFunctionName(input.functionName);
    const alias = parseOrThrow(
      storedAliasSchema,
      {
        functionName,
        name: input.name,
        functionVersion: input.functionVersion,
        description: input.description ?? '',
        additionalVersionWeights: input.additionalVersionWeights ?? {},
      },
      'alias',
    );
    const created = await this.#store.createAlias(alias);
    this.#aliases.observe(versionId(functionName, alias.name), created.alias, created.revision);
    this.#log.info({ fn: functionName, alias: alias.name, version: alias.functionVersion }, 'alias created');
    return created;
  }

  async getAlias(functionNameInput: unknown, aliasNameInput: unknown): Promise<VersionedAlias> {
    const functionName = parseFunctionName(functionNameInput);
    const aliasName = parseOrThrow(aliasNameSchema, aliasNameInput, 'alias name');
    const found = await this.#store.getAlias(functionName, aliasName);
    if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Alias not found: ${qualifiedFunctionArn(functionName, aliasName)}`);
    return found;
  }

  async updateAlias(input: UpdateAliasInput): Promise<VersionedAlias> {
    const functionName = parseFunctionName(input.functionName);
    const aliasName = parseOrThrow(aliasNameSchema, input.name, 'alias name');
    const revisionText = optionalText(input.revisionId, 'revisionId', 20);
    if (revisionText !== '' && !/^[1-9][0-9]*$/.test(revisionText)) throw new StratusError('INVALID_ARGUMENT', 'revisionId: must be an alias RevisionId as GetAlias returns it');
    const updated = await this.#store.updateAlias(
      functionName,
      aliasName,
      (current) =>
        parseOrThrow(
          storedAliasSchema,
          {
            ...current,
            ...(input.functionVersion !== undefined ? { functionVersion: input.functionVersion } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.additionalVersionWeights !== undefined ? { additionalVersionWeights: input.additionalVersionWeights } : {}),
          },
          'alias',
        ),
      revisionText === '' ? undefined : Number(revisionText),
    );
    this.#aliases.observe(versionId(functionName, aliasName), updated.alias, updated.revision);
    this.#log.info({ fn: functionName, alias: aliasName, version: updated.alias.functionVersion }, 'alias updated');
    return updated;
  }

  async deleteAlias(functionNameInput: unknown, aliasNameInput: unknown): Promise<void> {
    const functionName = parseFunctionName(functionNameInput);
    const aliasName = parseOrThrow(aliasNameSchema, aliasNameInput, 'alias name');
    const revision = await this.#store.deleteAlias(functionName, aliasName);
    this.#aliases.observe(versionId(functionName, aliasName), undefined, revision);
    this.#log.info({ fn: functionName, alias: aliasName }, 'alias deleted');
  }

  async listAliases(input: ListAliasesInput): Promise<Page<VersionedAlias>> {
    const name = parseFunctionName(input.functionName);
    const marker = optionalText(input.marker, 'marker', 128);
    if (marker !== '') parseOrThrow(aliasNameSchema, marker, 'marker');
    const version = optionalText(input.functionVersion, 'functionVersion', 16);
    if (version !== '' && version !== LATEST_VERSION) parseOrThrow(versionNumberSchema, version, 'functionVersion');
    const all = await this.#store.listAliases(name);
    const aliases = version === '' ? all : all.filter(({ alias }) => aliasReferences(alias, version));
    return pageAfter(aliases, (a) => a.alias.name, (a, b) => (a < b ? -1 : a > b ? 1 : 0), marker, maxItemsOf(input.maxItems));
  }

  /** Sets (a number) or removes (undefined) provisioned concurrency on a version or alias. */
  async setProvisioned(functionName: string, qualifier: string, value: number | undefined): Promise<void> {
    const name = parseFunctionName(functionName);
    const parsed = parseQualifier(qualifier);
    if (parsed.kind === 'version') {
      const updated = await this.#store.setVersionProvisioned(name, parsed.version, value);
      this.#versions.observe(versionId(name, parsed.version), updated.fn, updated.revision);
    } else if (parsed.kind === 'alias') {
      const updated = await this.#store.setAliasProvisioned(name, parsed.alias, value);
      this.#aliases.observe(versionId(name, parsed.alias), updated.alias, updated.revision);
    } else {
      throw new StratusError('INTERNAL', 'provisioned concurrency of $LATEST is the catalog\'s');
    }
  }

  /** The provisioned concurrency configured on a version or alias, and the versions it keeps warm. */
  async provisioned(functionName: string, qualifier: string): Promise<{ readonly requested: number | undefined; readonly versions: readonly string[] }> {
    const name = parseFunctionName(functionName);
    const parsed = parseQualifier(qualifier);
    if (parsed.kind === 'version') {
      const found = await this.#store.getVersion(name, parsed.version);
      if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, parsed.version)}`);
      return { requested: found.fn.provisionedConcurrency, versions: [parsed.version] };
    }
    if (parsed.kind === 'alias') {
      const found = await this.getAlias(name, parsed.alias);
      return { requested: found.alias.provisionedConcurrency, versions: [found.alias.functionVersion, ...Object.keys(found.alias.additionalVersionWeights)] };
    }
    throw new StratusError('INTERNAL', 'provisioned concurrency of $LATEST is the catalog\'s');
  }

  /**
   * The snapshot an invocation with a version or alias qualifier runs, from
   * memory (a miss reads etcd once, so what another frontend published a
   * moment ago is found before this one's watch catches up). An alias with
   * routing picks its version per call. `latest` is the function's $LATEST,
   * for an alias that points at it.
   */
  async resolve(name: string, qualifier: string, latest: () => Promise<StoredFunction>): Promise<StoredFunction> {
    const parsed = parseQualifier(qualifier);
    if (parsed.kind === 'latest') return latest();
    let version: string;
    if (parsed.kind === 'alias') {
      const id = versionId(name, parsed.alias);
      let alias = this.#aliases.get(id);
      if (alias === undefined) {
        alias = (await this.#store.getAlias(parseFunctionName(name), parsed.alias))?.alias;
        if (alias === undefined) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, parsed.alias)}`);
      }
      version = pickAliasVersion(alias, this.#random());
      if (version === LATEST_VERSION) return latest();
    } else {
      version = parsed.version;
    }
    const cached = this.#versions.get(versionId(name, version));
    if (cached !== undefined) return cached;
    const found = await this.#store.getVersion(parseFunctionName(name), version);
    if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, version)}`);
    return found.fn;
  }

  /** Forgets a deleted function's versions and aliases at once, before the watch reports their deletion. */
  forgetFunction(name: string, revision: number): void {
    const prefix = `${name}/`;
    for (const id of [...this.#versions.keys()]) if (id.startsWith(prefix)) this.#versions.observe(id, undefined, revision);
    for (const id of [...this.#aliases.keys()]) if (id.startsWith(prefix)) this.#aliases.observe(id, undefined, revision);
  }
}

/** A version's or alias's id in the mirrors: its key below the prefix, `<function>/<version or alias>`. */
function versionId(name: string, versionOrAlias: string): string {
  return `${name}/${versionOrAlias}`;
}

function optionalText(value: unknown, field: string, maxLength: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new StratusError('INVALID_ARGUMENT', `${field}: must be a string`);
  if (value.length > maxLength) throw new StratusError('INVALID_ARGUMENT', `${field}: must be at most ${maxLength} characters`);
  return value;
}

function maxItemsOf(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number') throw new StratusError('INVALID_ARGUMENT', 'maxItems: must be a whole number');
  return value;
}
