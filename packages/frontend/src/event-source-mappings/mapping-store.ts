import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { storedEventSourceMappingSchema, type Namespace, type StoredEventSourceMapping } from '@stratus/contracts';
import { PrefixMirror, etcdAccessError } from '@stratus/registry';

async function withEtcdAccess<T>(action: 'read' | 'write', key: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw etcdAccessError(err, action, key);
  }
}

export interface MappingStoreOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Called after every change the watch sees, with the mapping's UUID and its new value (undefined: deleted). */
  readonly onChange?: (uuid: string, mapping: StoredEventSourceMapping | undefined) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a UUID from a request before it becomes part of an etcd key or a consumer name. */
export function checkUuid(uuid: string): string {
  if (!UUID.test(uuid)) throw new StratusError('INVALID_ARGUMENT', `uuid: ${JSON.stringify(uuid.slice(0, 100))} is not an event source mapping UUID`, { details: { field: 'uuid' } });
  return uuid.toLowerCase();
}

function decodeMapping(value: Buffer): StoredEventSourceMapping {
  return storedEventSourceMappingSchema.parse(JSON.parse(value.toString('utf8')));
}

/**
 * Event source mappings in etcd, one key per mapping
 * (`keys.eventSourceMapping(uuid)`), and a watched mirror of them every
 * frontend runs its share of the mappings from. Writes are compare-and-set on
 * the key's revision, so two frontends changing one mapping cannot both win.
 */
export class MappingStore {
  readonly #etcd: Etcd3;
  readonly #ns: Namespace;
  readonly #mirror: PrefixMirror<StoredEventSourceMapping>;

  private constructor(etcd: Etcd3, ns: Namespace, mirror: PrefixMirror<StoredEventSourceMapping>) {
    this.#etcd = etcd;
    this.#ns = ns;
    this.#mirror = mirror;
  }

  static async open(options: MappingStoreOptions): Promise<MappingStore> {
    const mirror = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.eventSourceMappingsPrefix(),
      decode: decodeMapping,
      log: options.log,
      ...(options.onChange !== undefined ? { onChange: options.onChange } : {}),
    });
    return new MappingStore(options.etcd, options.ns, mirror);
  }

  /** The mappings as this frontend last saw them (for running them; the API reads etcd). */
  cached(): IterableIterator<StoredEventSourceMapping> {
    return this.#mirror.values();
  }

  cachedOne(uuid: string): StoredEventSourceMapping | undefined {
    return this.#mirror.get(uuid);
  }

  async get(uuid: string): Promise<{ mapping: StoredEventSourceMapping; revision: number }> {
    const key = this.#ns.keys.eventSourceMapping(checkUuid(uuid));
    const kv = await withEtcdAccess('read', key, () => this.#etcd.get(key).exec()).then((response) => response.kvs[0]);
    if (kv === undefined) throw new StratusError('EVENT_SOURCE_MAPPING_NOT_FOUND', `The resource you requested does not exist. (Event source mapping ${uuid})`);
    return { mapping: decodeMapping(kv.value), revision: Number(kv.mod_revision) };
  }

  async list(): Promise<StoredEventSourceMapping[]> {
    const prefix = this.#ns.keys.eventSourceMappingsPrefix();
    const response = await withEtcdAccess('read', prefix, () => this.#etcd.getAll().prefix(prefix).exec());
    return response.kvs.map((kv) => decodeMapping(kv.value));
  }

  async create(mapping: StoredEventSourceMapping): Promise<void> {
    const key = this.#ns.keys.eventSourceMapping(mapping.uuid);
    const result = await withEtcdAccess('write', key, () =>
      this.#etcd.if(key, 'Create', '==', 0).then(this.#etcd.put(key).value(JSON.stringify(mapping))).commit(),
    );
    if (!result.succeeded) throw new StratusError('CONFLICT', `event source mapping ${mapping.uuid} exists already`);
  }

  /** Compare-and-set: CONFLICT (retryable) when the mapping changed since `revision`, EVENT_SOURCE_MAPPING_NOT_FOUND when it is gone. */
  async replace(mapping: StoredEventSourceMapping, revision: number): Promise<void> {
    const key = this.#ns.keys.eventSourceMapping(mapping.uuid);
    const result = await withEtcdAccess('write', key, () =>
      this.#etcd.if(key, 'Mod', '==', revision).then(this.#etcd.put(key).value(JSON.stringify(mapping))).commit(),
    );
    if (!result.succeeded) throw new StratusError('CONFLICT', `event source mapping ${mapping.uuid} changed meanwhile; try again`, { retryable: true });
  }

  async delete(uuid: string): Promise<void> {
    const key = this.#ns.keys.eventSourceMapping(checkUuid(uuid));
    await withEtcdAccess('write', key, () => this.#etcd.delete().key(key).exec());
  }

  async close(): Promise<void> {
    await this.#mirror.close();
  }
}
