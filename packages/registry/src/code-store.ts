import { createHash } from 'node:crypto';
import type { NatsConnection, ObjectStore } from 'nats';
import { StratusError } from '@stratus/errors';
import { decodeCodePackage, encodeCodePackage, type CodePackage, type Namespace } from '@stratus/contracts';
import { retryingSetup } from './jetstream.js';

export interface CodeStoreOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  /** JetStream replicas for the bucket. Default 1 (3 in a NATS cluster). */
  readonly replicas?: number;
}

/**
 * Function code (the bundle and the package files it carries, as
 * encodeCodePackage lays them out) in the JetStream object store, keyed by
 * the hex SHA-256 of those bytes: identical code is stored once, and a node
 * that holds a hash in its cache never needs to ask again.
 */
export class CodeStore {
  readonly #store: ObjectStore;

  private constructor(store: ObjectStore) {
    this.#store = store;
  }

  static async open(options: CodeStoreOptions): Promise<CodeStore> {
    const js = options.nc.jetstream();
    const store = await retryingSetup(() => js.views.os(options.ns.buckets.code, { replicas: options.replicas ?? 1 }));
    return new CodeStore(store);
  }

  /** Stores the code unless code with the same hash is there already. Returns the hash. */
  async put(code: CodePackage | string): Promise<string> {
    const data = typeof code === 'string' ? new TextEncoder().encode(code) : encodeCodePackage(code);
    const sha256 = sha256Hex(data);
    const existing = await this.#store.info(sha256);
    if (existing && !existing.deleted) return sha256;
    await this.#store.putBlob({ name: sha256 }, data);
    return sha256;
  }

  /** The code with this hash, verified against it; CODE_UNAVAILABLE if missing or corrupt. */
  async get(sha256: string): Promise<CodePackage> {
    return decodeCodePackage(await this.getBytes(sha256));
  }

  /** The stored bytes with this hash, verified against it; CODE_UNAVAILABLE if missing or corrupt. */
  async getBytes(sha256: string): Promise<Uint8Array> {
    const data = await this.#store.getBlob(sha256);
    if (!data) throw new StratusError('CODE_UNAVAILABLE', `code bundle ${sha256} is not in the code store`);
    if (sha256Hex(data) !== sha256) {
      throw new StratusError('CODE_UNAVAILABLE', `code bundle ${sha256} failed its integrity check`);
    }
    return data;
  }
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
