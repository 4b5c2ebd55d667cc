import { createHash } from 'node:crypto';
import type { NatsConnection, ObjectStore } from 'nats';
import { StratusError } from '@stratus/errors';
import type { Namespace } from '@stratus/contracts';
import { retryingSetup } from './jetstream.js';

export interface CodeStoreOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  /** JetStream replicas for the bucket. Default 1 (3 in a NATS cluster). */
  readonly replicas?: number;
}

/**
 * Function bundles in the JetStream object store, keyed by the hex SHA-256
 * of their content: identical code is stored once, and a node that holds a
 * hash in its cache never needs to ask again.
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

  /** Stores the script unless a bundle with the same hash is there already. Returns the hash. */
  async put(script: string): Promise<string> {
    const data = new TextEncoder().encode(script);
    const sha256 = sha256Hex(data);
    const existing = await this.#store.info(sha256);
    if (existing && !existing.deleted) return sha256;
    await this.#store.putBlob({ name: sha256 }, data);
    return sha256;
  }

  /** The script with this hash, verified against it; CODE_UNAVAILABLE if missing or corrupt. */
  async get(sha256: string): Promise<string> {
    const data = await this.#store.getBlob(sha256);
    if (!data) throw new StratusError('CODE_UNAVAILABLE', `code bundle ${sha256} is not in the code store`);
    if (sha256Hex(data) !== sha256) {
      throw new StratusError('CODE_UNAVAILABLE', `code bundle ${sha256} failed its integrity check`);
    }
    return new TextDecoder().decode(data);
  }
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
