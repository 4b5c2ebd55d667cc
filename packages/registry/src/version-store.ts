import type { Etcd3, IOperation } from 'etcd3';
import { StratusError } from '@stratus/errors';
import {
  LATEST_VERSION,
  compareVersions,
  qualifiedFunctionArn,
  sameCodeAndConfiguration,
  storedAliasSchema,
  versionSnapshotOf,
  type Namespace,
  type StoredAlias,
} from '@stratus/contracts';
import { withEtcdAccess } from './etcd-access-error.js';
import { decodeFunction, type VersionedFunction } from './function-store.js';

/** An alias with the etcd revision it was read at: its RevisionId, and the base of compare-and-set updates. */
export interface VersionedAlias {
  readonly alias: StoredAlias;
  /** etcd mod revision of the alias's key. */
  readonly revision: number;
}

export interface VersionStoreOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  /** Attempts of a write that keeps meeting concurrent writes to the same function's versions or aliases. Default 16. */
  readonly maxAttempts?: number;
}

export interface PublishOptions {
  /** The version's own description; undefined or empty: the function's. */
  readonly description?: string | undefined;
  /** Publish only if $LATEST's code has this hex SHA-256. */
  readonly codeSha256?: string | undefined;
  /** Publish only if $LATEST is still at this etcd revision. */
  readonly expectedRevision?: number | undefined;
  readonly now?: Date;
}

export interface Published extends VersionedFunction {
  /** False when $LATEST had not changed since the last version, which is returned instead (Lambda's rule). */
  readonly created: boolean;
}

interface Counter {
  readonly lastVersion: number;
  /** etcd mod revision of the counter key; 0 when there is none yet. */
  readonly modRevision: number;
}

type Compare = readonly [key: string, column: 'Mod' | 'Create' | 'Version', cmp: '==' | '>', value: number];

/** What one attempt of a write decided: an answer without writing, or the writes to commit atomically. */
type Plan<T> = { readonly done: T } | { readonly lastVersion?: number; readonly compares: readonly Compare[]; readonly ops: readonly IOperation[]; readonly result: (revision: number) => T };

/**
 * Versions and aliases in etcd: one key per version (`keys.version`), one
 * per alias (`keys.alias`), and per function a counter of the last version
 * number (`keys.versionCounter`). Every write rewrites the counter in the
 * same transaction and commits only if the counter is as it was read, so a
 * function's version and alias writes are serialised: two publishes never
 * take one number, and an alias never comes to point at a version deleted
 * meanwhile. A write that lost such a race is planned again from fresh reads.
 */
export class VersionStore {
  readonly #etcd: Etcd3;
  readonly #ns: Namespace;
  readonly #maxAttempts: number;

  constructor(options: VersionStoreOptions) {
    this.#etcd = options.etcd;
    this.#ns = options.ns;
    this.#maxAttempts = options.maxAttempts ?? 16;
  }

  /**
   * Publishes $LATEST as the next version, or returns the last version when
   * neither code nor configuration changed since (Lambda's rule).
   * FUNCTION_NOT_FOUND, INVALID_ARGUMENT (code hash differs), PRECONDITION_FAILED (revision differs).
   */
  async publish(name: string, options: PublishOptions = {}): Promise<Published> {
    return this.#write<Published>(name, async (counter) => {
      const latest = await this.#getLatest(name);
      if (options.codeSha256 !== undefined && options.codeSha256 !== '' && options.codeSha256 !== latest.fn.codeSha256) {
        throw new StratusError(
          'INVALID_ARGUMENT',
          `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.fn.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
        );
      }
      if (options.expectedRevision !== undefined && options.expectedRevision !== 0 && options.expectedRevision !== latest.revision) {
        throw new StratusError('PRECONDITION_FAILED', `The revision you provided (${options.expectedRevision}) does not match the latest revision of $LATEST (${latest.revision}); get the function again and retry`);
      }
      const last = counter.lastVersion > 0 ? await this.getVersion(name, String(counter.lastVersion)) : undefined;
      if (last && sameCodeAndConfiguration(last.fn, latest.fn)) return { done: { ...last, created: false } };
      const number = counter.lastVersion + 1;
      const snapshot = versionSnapshotOf(latest.fn, String(number), options.description, options.now ?? new Date());
      const key = this.#ns.keys.version(name, String(number));
      return {
        lastVersion: number,
        compares: [
          [this.#ns.keys.function(name), 'Mod', '==', latest.revision],
          [key, 'Create', '==', 0],
        ],
        ops: [this.#etcd.put(key).value(JSON.stringify(snapshot))],
        result: (revision) => ({ fn: snapshot, revision, created: true }),
      };
    });
  }

  async getVersion(name: string, version: string): Promise<VersionedFunction | undefined> {
    const key = this.#ns.keys.version(name, version);
    const response = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec());
    const kv = response.kvs[0];
    return kv ? { fn: decodeFunction(kv.value), revision: Number(kv.mod_revision) } : undefined;
  }

  /** A function's published versions, by number ($LATEST is not among them). */
  async listVersions(name: string): Promise<VersionedFunction[]> {
    const prefix = this.#ns.keys.functionVersionsPrefix(name);
    const response = await withEtcdAccess('read', prefix, () => this.#etcd.getAll().prefix(prefix).exec());
    const versions = response.kvs.map((kv) => ({ fn: decodeFunction(kv.value), revision: Number(kv.mod_revision) }));
    return versions.sort((a, b) => compareVersions(a.fn.version, b.fn.version));
  }

  /** Deletes one version; FUNCTION_NOT_FOUND if there is none, RESOURCE_IN_USE while an alias points at it. Returns the revision of the deletion. */
  async deleteVersion(name: string, version: string): Promise<number> {
    return this.#write(name, async () => {
      const found = await this.getVersion(name, version);
      if (!found) throw versionNotFound(name, version);
      const users = (await this.listAliases(name)).filter(({ alias }) => aliasReferences(alias, version)).map(({ alias }) => alias.name);
      if (users.length > 0) {
        throw new StratusError('RESOURCE_IN_USE', `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`, {
          details: { aliases: users.join(',') },
        });
      }
      const key = this.#ns.keys.version(name, version);
      return { compares: [[key, 'Mod', '==', found.revision]], ops: [this.#etcd.delete().key(key)], result: (revision) => revision };
    });
  }

  async getAlias(name: string, aliasName: string): Promise<VersionedAlias | undefined> {
    const key = this.#ns.keys.alias(name, aliasName);
    const response = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec());
    const kv = response.kvs[0];
    return kv ? { alias: decodeAlias(kv.value), revision: Number(kv.mod_revision) } : undefined;
  }

  /** A function's aliases, by name. */
  async listAliases(name: string): Promise<VersionedAlias[]> {
    const prefix = this.#ns.keys.functionAliasesPrefix(name);
    const response = await withEtcdAccess('read', prefix, () => this.#etcd.getAll().prefix(prefix).exec());
    const aliases = response.kvs.map((kv) => ({ alias: decodeAlias(kv.value), revision: Number(kv.mod_revision) }));
    return aliases.sort((a, b) => compareNames(a.alias.name, b.alias.name));
  }

  /** Creates an alias; FUNCTION_NOT_FOUND for a missing function or version, ALIAS_ALREADY_EXISTS when the name is taken. */
  async createAlias(alias: StoredAlias): Promise<VersionedAlias> {
    const name = alias.functionName;
    return this.#write(name, async () => {
      await this.#getLatest(name);
      if (await this.getAlias(name, alias.name)) {
        throw new StratusError('ALIAS_ALREADY_EXISTS', `Alias already exists: ${qualifiedFunctionArn(name, alias.name)}`);
      }
      const versions = await this.#versionsOf(alias);
      const key = this.#ns.keys.alias(name, alias.name);
      return {
        compares: [[key, 'Create', '==', 0], [this.#ns.keys.function(name), 'Version', '>', 0], ...versions],
        ops: [this.#etcd.put(key).value(JSON.stringify(alias))],
        result: (revision) => ({ alias, revision }),
      };
    });
  }

  /**
   * Replaces an alias with what `change` makes of the current one, if it is
   * still at `expectedRevision` (when given). FUNCTION_NOT_FOUND for a
   * missing alias or version, PRECONDITION_FAILED for a stale revision.
   */
  async updateAlias(name: string, aliasName: string, change: (current: StoredAlias) => StoredAlias, expectedRevision?: number): Promise<VersionedAlias> {
    return this.#write(name, async () => {
      const current = await this.getAlias(name, aliasName);
      if (!current) throw aliasNotFound(name, aliasName);
      if (expectedRevision !== undefined && expectedRevision !== current.revision) {
        throw new StratusError('PRECONDITION_FAILED', `The RevisionId provided (${expectedRevision}) does not match the alias's current RevisionId (${current.revision}); get the alias again and retry`);
      }
      const next = change(current.alias);
      const versions = await this.#versionsOf(next);
      const key = this.#ns.keys.alias(name, aliasName);
      return {
        compares: [[key, 'Mod', '==', current.revision], ...versions],
        ops: [this.#etcd.put(key).value(JSON.stringify(next))],
        result: (revision) => ({ alias: next, revision }),
      };
    });
  }

  /** Deletes an alias; FUNCTION_NOT_FOUND if there is none. Returns the revision of the deletion. */
  async deleteAlias(name: string, aliasName: string): Promise<number> {
    return this.#write(name, async () => {
      const current = await this.getAlias(name, aliasName);
      if (!current) throw aliasNotFound(name, aliasName);
      const key = this.#ns.keys.alias(name, aliasName);
      return { compares: [[key, 'Mod', '==', current.revision]], ops: [this.#etcd.delete().key(key)], result: (revision) => revision };
    });
  }

  /**
   * Sets (a number) or removes (undefined) the provisioned concurrency of a
   * published version; the version's code and configuration stay as published.
   */
  async setVersionProvisioned(name: string, version: string, value: number | undefined): Promise<VersionedFunction> {
    return this.#write(name, async () => {
      const current = await this.getVersion(name, version);
      if (!current) throw versionNotFound(name, version);
      const { provisionedConcurrency: _previous, ...rest } = current.fn;
      const next = value === undefined ? rest : { ...rest, provisionedConcurrency: value };
      const key = this.#ns.keys.version(name, version);
      return {
        compares: [[key, 'Mod', '==', current.revision]],
        ops: [this.#etcd.put(key).value(JSON.stringify(next))],
        result: (revision) => ({ fn: next, revision }),
      };
    });
  }

  /** Sets (a number) or removes (undefined) an alias's provisioned concurrency. */
  async setAliasProvisioned(name: string, aliasName: string, value: number | undefined): Promise<VersionedAlias> {
    return this.updateAlias(name, aliasName, (current) => {
      const { provisionedConcurrency: _previous, ...rest } = current;
      return value === undefined ? rest : { ...rest, provisionedConcurrency: value };
    });
  }

  async #getLatest(name: string): Promise<VersionedFunction> {
    const key = this.#ns.keys.function(name);
    const response = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec());
    const kv = response.kvs[0];
    if (!kv) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, '')}`);
    return { fn: decodeFunction(kv.value), revision: Number(kv.mod_revision) };
  }

  /** The versions an alias points at, each checked to exist now and guarded to still exist when the write commits. */
  async #versionsOf(alias: StoredAlias): Promise<Compare[]> {
    const compares: Compare[] = [];
    for (const version of [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights)]) {
      if (version === LATEST_VERSION) continue;
      const found = await this.getVersion(alias.functionName, version);
      if (!found) throw versionNotFound(alias.functionName, version);
      compares.push([this.#ns.keys.version(alias.functionName, version), 'Mod', '==', found.revision]);
    }
    return compares;
  }

  async #readCounter(name: string): Promise<Counter> {
    const key = this.#ns.keys.versionCounter(name);
    const response = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec());
    const kv = response.kvs[0];
    if (!kv) return { lastVersion: 0, modRevision: 0 };
    const parsed = JSON.parse(kv.value.toString('utf8')) as { lastVersion?: unknown };
    const lastVersion = typeof parsed.lastVersion === 'number' && Number.isInteger(parsed.lastVersion) && parsed.lastVersion >= 0 ? parsed.lastVersion : 0;
    return { lastVersion, modRevision: Number(kv.mod_revision) };
  }

  /** Plans a write from fresh reads and commits it if the function's counter did not move meanwhile; plans again if it did. */
  async #write<T>(name: string, plan: (counter: Counter) => Promise<Plan<T>>): Promise<T> {
    const counterKey = this.#ns.keys.versionCounter(name);
    for (let attempt = 0; attempt < this.#maxAttempts; attempt += 1) {
      const counter = await this.#readCounter(name);
      const decided = await plan(counter);
      if ('done' in decided) return decided.done;
      let txn = this.#etcd.if(counterKey, 'Mod', '==', counter.modRevision);
      for (const [key, column, cmp, value] of decided.compares) txn = txn.and(key, column, cmp, value);
      const counterValue = JSON.stringify({ lastVersion: decided.lastVersion ?? counter.lastVersion });
      const result = await withEtcdAccess('write', counterKey, () => txn.then(this.#etcd.put(counterKey).value(counterValue), ...decided.ops).commit());
      if (result.succeeded) return decided.result(Number(result.header.revision));
    }
    throw new StratusError('CONFLICT', `The versions and aliases of ${name} kept changing concurrently; retry`);
  }
}

export function decodeAlias(value: Buffer): StoredAlias {
  return storedAliasSchema.parse(JSON.parse(value.toString('utf8')));
}

/** Whether an alias runs `version`, as its own or as its additional version. */
export function aliasReferences(alias: StoredAlias, version: string): boolean {
  return alias.functionVersion === version || Object.hasOwn(alias.additionalVersionWeights, version);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function versionNotFound(name: string, version: string): StratusError {
  return new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${qualifiedFunctionArn(name, version)}`);
}

function aliasNotFound(name: string, alias: string): StratusError {
  return new StratusError('FUNCTION_NOT_FOUND', `Alias not found: ${qualifiedFunctionArn(name, alias)}`);
}
