import { createHash } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import {
  ASYNC_LIMITS,
  FUNCTION_URL_ALIAS_MAX,
  LATEST_VERSION,
  POLICIES_MAX_BYTES_PER_FUNCTION,
  aliasNameSchema,
  assertNoReservedEnvironment,
  eventInvokeConfigFor,
  newFunctionUrlId,
  functionSettingsSchema,
  parseFunctionName,
  parseOrThrow,
  policyStatementsOf,
  type PolicyStatement,
  type FunctionSettings,
  type FunctionSettingsInput,
  type EventInvokeConfig,
  type FunctionUrlConfig,
  type Namespace,
  type StoredFunction,
} from '@stratus/contracts';
import { type CodeStore, FunctionStore, PrefixMirror, decodeFunction, type VersionedFunction } from '@stratus/registry';
import type { BundleOptions, BundleResult } from '@stratus/bundler';
import { FunctionVersions } from './function-versions.js';

export interface FunctionCatalogOptions {
  readonly etcd: Etcd3;
  readonly codeStore: CodeStore;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Unzips and bundles uploaded code (a DeployBundler: off the event loop, with limits). */
  readonly bundler: { bundle(options: BundleOptions): Promise<BundleResult> };
}

export interface CreateFunctionInput {
  readonly name: unknown;
  readonly settings: FunctionSettingsInput;
  readonly zip: Uint8Array | undefined;
}

export interface UpdateFunctionInput {
  readonly name: unknown;
  /** Only the settings given change. */
  readonly settings: Partial<FunctionSettingsInput>;
  /** When false, the given environment variables are merged into the current ones. */
  readonly replaceEnvironment: boolean;
  /** When false, the given tags are merged into the current ones. Default false. */
  readonly replaceTags?: boolean;
  readonly zip: Uint8Array | undefined;
}

/** Where a function's code is: the bundle's hash and size, and the uploaded zip's (Lambda's CodeSha256 and CodeSize). */
interface StoredCode {
  readonly codeSha256: string;
  readonly codeSize: number;
  readonly packageSha256?: string;
  readonly packageSize?: number;
  readonly warnings: readonly string[];
}

/** A function as a deploy left it, with what bundling its code warned of (empty when no code was uploaded). */
export interface DeployedFunction extends VersionedFunction {
  readonly warnings: readonly string[];
}

/**
 * The frontend's functions: writes go to etcd (configuration) and the object
 * store (code, bundled at deploy time, so what Stratus cannot bundle is
 * refused here and what Lambda would report only at the first invocation is
 * returned as warnings); reads on the invocation path come from an in-memory
 * mirror of etcd kept current by a watch.
 */
export class FunctionCatalog {
  readonly #store: FunctionStore;
  readonly #codeStore: CodeStore;
  readonly #bundler: FunctionCatalogOptions['bundler'];
  readonly #mirror: PrefixMirror<StoredFunction>;
  readonly #log: Logger;
  /** Reserved concurrency by function, kept current from the mirror so admission never scans every function. */
  readonly #reservations: Reservations;
  readonly #versions: FunctionVersions;
  /** Every URL's id, to the function and alias it serves, kept current from the mirror: a Host header is looked up here. */
  readonly #urlIds: UrlIds;

  private constructor(
    options: FunctionCatalogOptions,
    mirror: PrefixMirror<StoredFunction>,
    reservations: Reservations,
    versions: FunctionVersions,
    urlIds: UrlIds,
  ) {
    this.#store = new FunctionStore({ etcd: options.etcd, ns: options.ns });
    this.#codeStore = options.codeStore;
    this.#bundler = options.bundler;
    this.#mirror = mirror;
    this.#log = options.log;
    this.#reservations = reservations;
    this.#versions = versions;
    this.#urlIds = urlIds;
  }

  static async open(options: FunctionCatalogOptions): Promise<FunctionCatalog> {
    const reservations = new Reservations();
    const urlIds = new UrlIds();
    const mirror = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.functionsPrefix(),
      decode: decodeFunction,
      log: options.log,
      onChange: (name, fn) => {
        reservations.set(name, fn?.reservedConcurrency);
        urlIds.set(name, fn);
      },
    });
    let versions: FunctionVersions;
    try {
      versions = await FunctionVersions.open({ etcd: options.etcd, ns: options.ns, log: options.log });
    } catch (err) {
      await mirror.close();
      throw err;
    }
    return new FunctionCatalog(options, mirror, reservations, versions, urlIds);
  }

  /** The functions' published versions and aliases (PublishVersion, aliases, and what qualifiers resolve to). */
  get versions(): FunctionVersions {
    return this.#versions;
  }

  /** Every reservation, by function name, with their running total. */
  get reservations(): Reservations {
    return this.#reservations;
  }

  /**
   * Sets (a number) or removes (undefined) a function's reserved or
   * provisioned concurrency, with compare-and-set. `check` sees the function
   * and the other functions' reservations, and throws to refuse.
   */
  async setConcurrency(
    name: unknown,
    setting: 'reservedConcurrency' | 'provisionedConcurrency',
    value: number | undefined,
    check: (fn: StoredFunction, reservedByOthers: number) => void,
  ): Promise<VersionedFunction> {
    const parsed = parseFunctionName(name);
    const current = await this.#store.get(parsed);
    if (!current) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${parsed}`);
    const others = this.#reservations.total - (this.#reservations.get(parsed) ?? 0);
    const { [setting]: _previous, ...rest } = current.fn;
    const next: StoredFunction = value === undefined ? rest : { ...rest, [setting]: value };
    check(next, others);
    const updated = await this.#store.update(next, current.revision);
    this.#mirror.observe(parsed, updated.fn, updated.revision);
    return updated;
  }

  /**
   * Sets (or removes, when `change` returns undefined) the asynchronous-invocation configuration of a
   * function ('' qualifier) or of one of its aliases or versions, with compare-and-set; `change` sees the
   * current one. The caller checks that the qualifier names an alias or version that exists.
   */
  async setEventInvokeConfig(
    name: unknown,
    qualifier: string,
    change: (current: EventInvokeConfig | undefined) => EventInvokeConfig | undefined,
  ): Promise<VersionedFunction> {
    return this.#replaceStored(name, (fn) => {
      if (qualifier === '') {
        const { eventInvokeConfig, ...rest } = fn;
        const config = change(eventInvokeConfig);
        return config === undefined ? rest : { ...rest, eventInvokeConfig: config };
      }
      const { qualifiedEventInvokeConfigs: current = [], ...rest } = fn;
      const config = change(eventInvokeConfigFor(fn, qualifier));
      const at = current.findIndex((entry) => entry.qualifier === qualifier);
      if (config !== undefined && at < 0 && current.length >= ASYNC_LIMITS.qualifiedConfigsMax) {
        throw new StratusError(
          'INVALID_ARGUMENT',
          `qualifier: ${fn.name} already has event invoke configurations for ${ASYNC_LIMITS.qualifiedConfigsMax} aliases and versions, the most one function may have; delete one first`,
          { details: { lambdaName: 'ResourceConflictException', httpStatus: '409' } },
        );
      }
      // An update keeps its place, so the list stays in the order configurations were first set.
      const configs =
        config === undefined
          ? current.filter((entry) => entry.qualifier !== qualifier)
          : at < 0
            ? [...current, { ...config, qualifier }]
            : current.map((entry, i) => (i === at ? { ...config, qualifier } : entry));
      return configs.length === 0 ? rest : { ...rest, qualifiedEventInvokeConfigs: configs };
    });
  }

  /**
   * Sets (a config) or removes (undefined) a function's URL, or with an
   * alias name that alias's, with compare-and-set; `next` sees the current
   * one and throws to refuse. A new URL gets a new URL id; a changed one
   * keeps its own.
   */
  async setUrl(name: unknown, alias: string, next: (current: FunctionUrlConfig | undefined) => FunctionUrlConfig | undefined): Promise<VersionedFunction> {
    if (alias !== '') {
      parseOrThrow(aliasNameSchema, alias, 'Qualifier');
      // The alias must exist, as Lambda's; this also refuses a version number.
      await this.#versions.getAlias(name, alias);
    }
    const withId = (current: FunctionUrlConfig | undefined): FunctionUrlConfig | undefined => {
      const config = next(current);
      return config === undefined ? undefined : { ...config, urlId: current?.urlId ?? config.urlId ?? newFunctionUrlId() };
    };
    return this.#replaceStored(name, (fn) => {
      if (alias === '') {
        const { url, ...rest } = fn;
        const config = withId(url);
        return config === undefined ? rest : { ...rest, url: config };
      }
      const { aliasUrls, ...rest } = fn;
      const { [alias]: current, ...others } = aliasUrls ?? {};
      const config = withId(current);
      if (config !== undefined && current === undefined && Object.keys(others).length >= FUNCTION_URL_ALIAS_MAX) {
        throw new StratusError('INVALID_ARGUMENT', `Qualifier: ${fn.name} already has URLs for ${FUNCTION_URL_ALIAS_MAX} aliases, the most one function may have`, {
          details: { lambdaName: 'ResourceConflictException', httpStatus: '409' },
        });
      }
      const urls = config === undefined ? others : { ...others, [alias]: config };
      return Object.keys(urls).length === 0 ? rest : { ...rest, aliasUrls: urls };
    });
  }

  /** The function and alias ('' for none) a URL id serves, from memory. */
  urlOfId(urlId: string): { readonly functionName: string; readonly alias: string } | undefined {
    return this.#urlIds.get(urlId);
  }

  /** Deletes an alias, and its URL with it (as Lambda does). */
  async deleteAlias(name: unknown, alias: unknown): Promise<void> {
    await this.#versions.deleteAlias(name, alias);
    const parsed = parseFunctionName(name);
    if (typeof alias === 'string' && this.#mirror.get(parsed)?.aliasUrls?.[alias] !== undefined) {
      await this.#replaceStored(parsed, (fn) => {
        const { aliasUrls, ...rest } = fn;
        const { [alias]: _gone, ...others } = aliasUrls ?? {};
        return Object.keys(others).length === 0 ? rest : { ...rest, aliasUrls: others };
      });
    }
    if (typeof alias === 'string') {
      await this.#forgetQualifiedConfig(parsed, alias);
      await this.#forgetPolicy(parsed, alias);
    }
  }

  /**
   * Sets a qualifier's resource-based policy ('' for the function's own) to what `change` makes of its statements
   * (none: no policy), compare-and-set on the function's record, after checking `revisionId` (Lambda's RevisionId,
   * the record's revision) when one is given. The caller checks that the qualifier names an alias or version.
   */
  async setPolicy(
    name: unknown,
    qualifier: string,
    revisionId: string | undefined,
    change: (current: readonly PolicyStatement[]) => readonly PolicyStatement[],
  ): Promise<VersionedFunction> {
    const parsed = parseFunctionName(name);
    const current = await this.#store.get(parsed);
    if (!current) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${parsed}`);
    if (revisionId !== undefined && revisionId !== String(current.revision)) {
      throw new StratusError('CONFLICT', `The Revision Id provided does not match the latest Revision Id (${current.revision}). Call GetPolicy to get the latest Revision Id`, {
        details: { lambdaName: 'PreconditionFailedException', httpStatus: '412' },
      });
    }
    const { policies = [], ...rest } = current.fn;
    const statements = change(policyStatementsOf(policies, qualifier));
    const at = policies.findIndex((policy) => policy.qualifier === qualifier);
    const next =
      statements.length === 0
        ? policies.filter((policy) => policy.qualifier !== qualifier)
        : at < 0
          ? [...policies, { qualifier, statements: [...statements] }]
          : policies.map((policy, i) => (i === at ? { qualifier, statements: [...statements] } : policy));
    if (Buffer.byteLength(JSON.stringify(next)) > POLICIES_MAX_BYTES_PER_FUNCTION) {
      throw new StratusError('INVALID_ARGUMENT', `${parsed}'s resource-based policies together would exceed ${POLICIES_MAX_BYTES_PER_FUNCTION} bytes, Stratus's limit per function; remove statements first`, {
        details: { lambdaName: 'PolicyLengthExceededException' },
      });
    }
    const updated = await this.#store.update(next.length === 0 ? rest : { ...rest, policies: next }, current.revision);
    this.#mirror.observe(parsed, updated.fn, updated.revision);
    return updated;
  }

  /** An alias or version deleted takes its resource-based policy with it, as on Lambda. */
  async #forgetPolicy(name: string, qualifier: string): Promise<void> {
    const fn = this.#mirror.get(name) ?? (await this.#store.get(name))?.fn;
    if (fn === undefined || policyStatementsOf(fn.policies, qualifier).length === 0) return;
    await this.setPolicy(name, qualifier, undefined, () => []);
  }

  /** An alias or version deleted takes its event invoke configuration with it, as on Lambda: one made again later starts with none. */
  async #forgetQualifiedConfig(name: string, qualifier: string): Promise<void> {
    const fn = this.#mirror.get(name) ?? (await this.#store.get(name))?.fn;
    if (fn === undefined || eventInvokeConfigFor(fn, qualifier) === undefined) return;
    await this.setEventInvokeConfig(name, qualifier, () => undefined);
  }

  /** Replaces a stored function with what `change` makes of it, compare-and-set against the revision it read. */
  async #replaceStored(name: unknown, change: (fn: StoredFunction) => StoredFunction): Promise<VersionedFunction> {
    const parsed = parseFunctionName(name);
    const current = await this.#store.get(parsed);
    if (!current) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${parsed}`);
    const updated = await this.#store.update(change(current.fn), current.revision);
    this.#mirror.observe(parsed, updated.fn, updated.revision);
    return updated;
  }

  /** A function as this frontend's mirror holds it, without falling back to etcd. */
  cached(name: string): StoredFunction | undefined {
    return this.#mirror.get(name);
  }

  async create(input: CreateFunctionInput): Promise<DeployedFunction> {
    const name = parseFunctionName(input.name);
    assertNoReservedEnvironment(input.settings.environment);
    const settings = parseOrThrow(functionSettingsSchema, input.settings, 'function configuration');
    if (!input.zip || input.zip.byteLength === 0) {
      throw new StratusError('INVALID_ARGUMENT', 'code.zipFile is required: upload the function code as a zip');
    }
    if (await this.#store.get(name)) throw new StratusError('FUNCTION_ALREADY_EXISTS', `Function already exist: ${name}`);
    const code = await this.#storeCode(input.zip, settings.handler);
    const created = await this.#store.create(this.#stored(name, settings, code));
    this.#mirror.observe(name, created.fn, created.revision);
    this.#log.info({ fn: name, codeSha256: code.codeSha256 }, 'function created');
    return { ...created, warnings: code.warnings };
  }

  async update(input: UpdateFunctionInput): Promise<DeployedFunction> {
    const name = parseFunctionName(input.name);
    const current = await this.#store.get(name);
    if (!current) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${name}`);
    const {
      name: _name,
      version: _version,
      codeSha256,
      codeSize,
      packageSha256,
      packageSize,
      lastModified: _lastModified,
      reservedConcurrency: _reserved,
      provisionedConcurrency: _provisioned,
      eventInvokeConfig: _eventInvokeConfig,
      qualifiedEventInvokeConfigs: _qualifiedEventInvokeConfigs,
      url: _url,
      aliasUrls: _aliasUrls,
      policies: _policies,
      ...currentSettings
    } = current.fn;
    const environment = input.replaceEnvironment
      ? (input.settings.environment ?? {})
      : { ...currentSettings.environment, ...input.settings.environment };
    assertNoReservedEnvironment(input.settings.environment);
    const tags = input.replaceTags === true ? (input.settings.tags ?? {}) : { ...currentSettings.tags, ...input.settings.tags };
    const settings = parseOrThrow(functionSettingsSchema, { ...currentSettings, ...input.settings, environment, tags }, 'function configuration');
    const code: StoredCode =
      input.zip && input.zip.byteLength > 0
        ? await this.#storeCode(input.zip, settings.handler)
        : { codeSha256, codeSize, ...(packageSha256 !== undefined ? { packageSha256 } : {}), ...(packageSize !== undefined ? { packageSize } : {}), warnings: [] };
    const stored = this.#stored(name, settings, code);
    const { reservedConcurrency, provisionedConcurrency, eventInvokeConfig, qualifiedEventInvokeConfigs, url, aliasUrls, policies } = current.fn;
    const next: StoredFunction = {
      ...stored,
      ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
      ...(provisionedConcurrency !== undefined ? { provisionedConcurrency } : {}),
      ...(eventInvokeConfig !== undefined ? { eventInvokeConfig } : {}),
      ...(qualifiedEventInvokeConfigs !== undefined ? { qualifiedEventInvokeConfigs } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(aliasUrls !== undefined ? { aliasUrls } : {}),
      ...(policies !== undefined ? { policies } : {}),
    };
    const updated = await this.#store.update(next, current.revision);
    this.#mirror.observe(name, updated.fn, updated.revision);
    this.#log.info({ fn: name, codeSha256: code.codeSha256 }, 'function updated');
    return { ...updated, warnings: code.warnings };
  }

  /** $LATEST, or with a qualifier the version it names (an alias: its own version). */
  async get(name: unknown, qualifier = ''): Promise<VersionedFunction> {
    const parsed = parseFunctionName(name);
    const latest = async (): Promise<VersionedFunction> => {
      const found = await this.#store.get(parsed);
      if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${parsed}`);
      return found;
    };
    return qualifier === '' ? latest() : this.#versions.get(parsed, qualifier, latest);
  }

  async list(): Promise<VersionedFunction[]> {
    return (await this.#store.list()).functions;
  }

  /** Deletes the function with its versions and aliases; with a version qualifier, that version only. */
  async delete(name: unknown, qualifier = ''): Promise<void> {
    const parsed = parseFunctionName(name);
    if (qualifier !== '') {
      await this.#versions.deleteVersion(parsed, qualifier);
      await this.#forgetQualifiedConfig(parsed, qualifier);
      await this.#forgetPolicy(parsed, qualifier);
      return;
    }
    const revision = await this.#store.delete(parsed);
    this.#mirror.observe(parsed, undefined, revision);
    this.#versions.forgetFunction(parsed, revision);
    this.#log.info({ fn: parsed }, 'function deleted');
  }

  /**
   * The function an invocation runs, from memory: $LATEST, or the version a
   * qualifier names (an alias with routing picks one per call). A miss falls
   * back to etcd once, so a function created through another frontend a
   * moment ago is found before this frontend's watch has caught up.
   */
  async resolve(name: string, qualifier: string): Promise<StoredFunction> {
    if (qualifier === '' || qualifier === LATEST_VERSION) return this.#latest(name);
    return this.#versions.resolve(name, qualifier, () => this.#latest(name));
  }

  /** What admission counts a call against: the function's reserved concurrency, whichever version runs. */
  admissionOf(fn: StoredFunction): Pick<StoredFunction, 'name' | 'reservedConcurrency'> {
    if (fn.version === LATEST_VERSION) return fn;
    return this.#mirror.get(fn.name) ?? { name: fn.name, reservedConcurrency: this.#reservations.get(fn.name) };
  }

  async close(): Promise<void> {
    await this.#mirror.close();
    await this.#versions.close();
  }

  async #latest(name: string): Promise<StoredFunction> {
    const cached = this.#mirror.get(name);
    if (cached) return cached;
    const found = await this.#store.get(parseFunctionName(name));
    if (!found) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${name}`);
    return found.fn;
  }

  async #storeCode(zip: Uint8Array, handler: string): Promise<StoredCode> {
    const bundle = await this.#bundler.bundle({ zip, handler });
    for (const warning of bundle.warnings) this.#log.warn({ warning }, 'bundler warning');
    const codeSha256 = await this.#codeStore.put({
      script: bundle.script,
      files: bundle.files,
      ...(bundle.sourceMap !== undefined ? { sourceMap: bundle.sourceMap } : {}),
    });
    // Lambda's CodeSha256 and CodeSize describe the zip as uploaded (tools compare them with their own zip's);
    // the bundle's hash stays the code's key in the store and the nodes' caches.
    const packageSha256 = createHash('sha256').update(zip).digest('base64');
    return { codeSha256, codeSize: bundle.size, packageSha256, packageSize: zip.byteLength, warnings: bundle.warnings };
  }

  #stored(name: string, settings: FunctionSettings, code: StoredCode): StoredFunction {
    return {
      name,
      version: LATEST_VERSION,
      ...settings,
      codeSha256: code.codeSha256,
      codeSize: code.codeSize,
      ...(code.packageSha256 !== undefined ? { packageSha256: code.packageSha256 } : {}),
      ...(code.packageSize !== undefined ? { packageSize: code.packageSize } : {}),
      lastModified: new Date().toISOString(),
    };
  }
}

/**
 * Reserved concurrency by function, kept current from the etcd mirror, with
 * the total maintained as entries change: admission reads the total on
 * every invocation and must not sum every function to do it.
 */
export class Reservations {
  readonly #byFunction = new Map<string, number>();
  #total = 0;

  get total(): number {
    return this.#total;
  }

  get(name: string): number | undefined {
    return this.#byFunction.get(name);
  }

  keys(): IterableIterator<string> {
    return this.#byFunction.keys();
  }

  /** Sets a function's reservation; undefined removes it. */
  set(name: string, reserved: number | undefined): void {
    this.#total -= this.#byFunction.get(name) ?? 0;
    if (reserved === undefined) {
      this.#byFunction.delete(name);
      return;
    }
    this.#byFunction.set(name, reserved);
    this.#total += reserved;
  }
}

/**
 * URL ids to the function and alias they serve, kept current from the etcd
 * mirror (every frontend learns a URL made through another within the
 * watch's delay). Only $LATEST records carry URLs.
 */
class UrlIds {
  readonly #byId = new Map<string, { readonly functionName: string; readonly alias: string }>();
  readonly #idsByFunction = new Map<string, readonly string[]>();

  set(name: string, fn: StoredFunction | undefined): void {
    for (const id of this.#idsByFunction.get(name) ?? []) this.#byId.delete(id);
    const ids: string[] = [];
    if (fn?.url?.urlId !== undefined) {
      this.#byId.set(fn.url.urlId, { functionName: name, alias: '' });
      ids.push(fn.url.urlId);
    }
    for (const [alias, config] of Object.entries(fn?.aliasUrls ?? {})) {
      if (config.urlId === undefined) continue;
      this.#byId.set(config.urlId, { functionName: name, alias });
      ids.push(config.urlId);
    }
    if (ids.length === 0) this.#idsByFunction.delete(name);
    else this.#idsByFunction.set(name, ids);
  }

  get(urlId: string): { readonly functionName: string; readonly alias: string } | undefined {
    return this.#byId.get(urlId);
  }
}
