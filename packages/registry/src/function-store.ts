import type { Etcd3 } from 'etcd3';
import { StratusError } from '@stratus/errors';
import { storedFunctionSchema, type Namespace, type StoredFunction } from '@stratus/contracts';
import { withEtcdAccess } from './etcd-access-error.js';

/** A stored function with the etcd revision it was read at, for compare-and-set updates. */
export interface VersionedFunction {
  readonly fn: StoredFunction;
  /** etcd mod revision of the function's key. */
  readonly revision: number;
}

export interface FunctionStoreOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
}

/**
 * Function configuration in etcd: one key per function, written with
 * compare-and-set so two frontends changing the same function cannot
 * silently overwrite each other.
 */
export class FunctionStore {
  readonly #etcd: Etcd3;
  readonly #ns: Namespace;

  constructor(options: FunctionStoreOptions) {
    this.#etcd = options.etcd;
    this.#ns = options.ns;
  }

  async get(name: string): Promise<VersionedFunction | undefined> {
    const key = this.#ns.keys.function(name);
    const response = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec());
    const kv = response.kvs[0];
    if (!kv) return undefined;
    return { fn: decodeFunction(kv.value), revision: Number(kv.mod_revision) };
  }

  async list(): Promise<{ functions: VersionedFunction[]; revision: number }> {
    const prefix = this.#ns.keys.functionsPrefix();
    const response = await withEtcdAccess('read', prefix, () => this.#etcd.getAll().prefix(prefix).exec());
    const functions = response.kvs.map((kv) => ({ fn: decodeFunction(kv.value), revision: Number(kv.mod_revision) }));
    functions.sort((a, b) => a.fn.name.localeCompare(b.fn.name));
    return { functions, revision: Number(response.header.revision) };
  }

  /** Creates the function; FUNCTION_ALREADY_EXISTS if the name is taken. */
  async create(fn: StoredFunction): Promise<VersionedFunction> {
    const key = this.#ns.keys.function(fn.name);
    const result = await withEtcdAccess('write', key, () => this.#etcd.if(key, 'Create', '==', 0).then(this.#etcd.put(key).value(JSON.stringify(fn))).commit());
    if (!result.succeeded) {
      throw new StratusError('FUNCTION_ALREADY_EXISTS', `Function already exist: ${fn.name}`);
    }
    return { fn, revision: Number(result.header.revision) };
  }

  /** Replaces the function if it is still at `expectedRevision`; CONFLICT otherwise. */
  async update(fn: StoredFunction, expectedRevision: number): Promise<VersionedFunction> {
    const key = this.#ns.keys.function(fn.name);
    const result = await withEtcdAccess('write', key, () =>
      this.#etcd
        .if(key, 'Mod', '==', expectedRevision)
        .then(this.#etcd.put(key).value(JSON.stringify(fn)))
        .commit(),
    );
    if (!result.succeeded) {
      const current = await this.get(fn.name);
      if (!current) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${fn.name}`);
      throw new StratusError('CONFLICT', `Function ${fn.name} was changed concurrently; retry the update`);
    }
    return { fn, revision: Number(result.header.revision) };
  }

  /**
   * Deletes the function with its published versions, its aliases and its
   * version counter, in one transaction (a function created again under the
   * name starts from version 1, as in Lambda); FUNCTION_NOT_FOUND if there is
   * none. Returns the revision of the deletion.
   */
  async delete(name: string): Promise<number> {
    const keys = this.#ns.keys;
    const key = keys.function(name);
    const result = await withEtcdAccess('write', key, () =>
      this.#etcd
        .if(key, 'Version', '>', 0)
        .then(
          this.#etcd.delete().key(key),
          this.#etcd.delete().prefix(keys.functionVersionsPrefix(name)),
          this.#etcd.delete().prefix(keys.functionAliasesPrefix(name)),
          this.#etcd.delete().key(keys.versionCounter(name)),
        )
        .commit(),
    );
    if (!result.succeeded) throw new StratusError('FUNCTION_NOT_FOUND', `Function not found: ${name}`);
    return Number(result.header.revision);
  }
}

export function decodeFunction(value: Buffer): StoredFunction {
  return storedFunctionSchema.parse(JSON.parse(value.toString('utf8')));
}
