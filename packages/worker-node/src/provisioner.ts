import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import {
  LATEST_VERSION,
  invocationTargetOf,
  nodeRecordSchema,
  rendezvousScore,
  type InvocationTarget,
  type Namespace,
  type NodeRecord,
  type StoredAlias,
  type StoredFunction,
} from '@stratus/contracts';
import { PrefixMirror, decodeAlias, decodeFunction } from '@stratus/registry';

export interface ProvisionerOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  readonly nodeId: string;
  /** Receives this node's share of every function's provisioned concurrency, after each change. */
  readonly apply: (floors: ReadonlyArray<{ readonly target: InvocationTarget; readonly count: number }>) => void;
}

/**
 * A node's part of provisioned concurrency. Every node watches the functions
 * and the node list in etcd and computes the same split on its own, so no
 * coordinator is needed: a function's N environments are spread over the
 * live nodes in the function's rendezvous-hash order (its home nodes first,
 * where placement sends its calls). When a node joins or leaves, the shares
 * move and the remaining nodes fill the gap.
 */
export class Provisioner {
  readonly #options: ProvisionerOptions;
  #functions: PrefixMirror<StoredFunction> | undefined;
  #versions: PrefixMirror<StoredFunction> | undefined;
  #aliases: PrefixMirror<StoredAlias> | undefined;
  #nodes: PrefixMirror<NodeRecord> | undefined;
  #scheduled = false;
  #closed = false;

  private constructor(options: ProvisionerOptions) {
    this.#options = options;
  }

  static async start(options: ProvisionerOptions): Promise<Provisioner> {
    const provisioner = new Provisioner(options);
    const onChange = (): void => provisioner.#schedule();
    provisioner.#functions = await PrefixMirror.start({ etcd: options.etcd, prefix: options.ns.keys.functionsPrefix(), decode: decodeFunction, log: options.log, onChange });
    provisioner.#versions = await PrefixMirror.start({ etcd: options.etcd, prefix: options.ns.keys.versionsPrefix(), decode: decodeFunction, log: options.log, onChange });
    provisioner.#aliases = await PrefixMirror.start({ etcd: options.etcd, prefix: options.ns.keys.aliasesPrefix(), decode: decodeAlias, log: options.log, onChange });
    provisioner.#nodes = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.nodesPrefix(),
      decode: (value) => nodeRecordSchema.parse(JSON.parse(value.toString('utf8'))),
      log: options.log,
      onChange,
    });
    provisioner.#recompute();
    return provisioner;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#functions?.close();
    await this.#versions?.close();
    await this.#aliases?.close();
    await this.#nodes?.close();
  }

  /** Many etcd events arrive together (a deploy, a node joining); recompute once for all of them. */
  #schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#closed) this.#recompute();
    });
  }

  #recompute(): void {
    const nodeIds = [...(this.#nodes?.values() ?? [])].map((n) => n.nodeId);
    const versions = this.#versions;
    const wanted = provisionedCounts(this.#functions?.values() ?? [], versions?.values() ?? [], this.#aliases?.values() ?? [], (name, version) => versions?.get(`${name}/${version}`));
    const floors: Array<{ target: InvocationTarget; count: number }> = [];
    for (const { fn, count: total } of wanted) {
      const count = provisionedShare(nodeIds, fn.name, total, this.#options.nodeId, fn.version);
      if (count > 0) floors.push({ target: invocationTargetOf(fn), count });
    }
    this.#options.apply(floors);
  }
}

/**
 * Environments to keep provisioned per function version, over the cluster:
 * $LATEST's and each published version's own setting, plus each alias's,
 * split between its versions by their weights (Lambda's rule). Settings that
 * land on the same version add up.
 */
export function provisionedCounts(
  functions: Iterable<StoredFunction>,
  versions: Iterable<StoredFunction>,
  aliases: Iterable<StoredAlias>,
  versionOf: (name: string, version: string) => StoredFunction | undefined,
): Array<{ readonly fn: StoredFunction; readonly count: number }> {
  const byVersion = new Map<string, { fn: StoredFunction; count: number }>();
  const add = (fn: StoredFunction | undefined, count: number): void => {
    if (fn === undefined || count <= 0) return;
    const key = `${fn.name}/${fn.version}`;
    const current = byVersion.get(key);
    byVersion.set(key, { fn, count: (current?.count ?? 0) + count });
  };
  for (const fn of functions) add(fn, fn.provisionedConcurrency ?? 0);
  for (const fn of versions) add(fn, fn.provisionedConcurrency ?? 0);
  for (const alias of aliases) {
    const total = alias.provisionedConcurrency ?? 0;
    if (total === 0 || alias.functionVersion === LATEST_VERSION) continue;
    let routed = 0;
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
      const share = Math.round(total * weight);
      routed += share;
      add(versionOf(alias.functionName, version), share);
    }
    add(versionOf(alias.functionName, alias.functionVersion), total - routed);
  }
  return [...byVersion.values()];
}

/** This node's share of `count` environments of a function version, spread over `nodeIds` in its hash order (where placement sends its calls). */
export function provisionedShare(nodeIds: readonly string[], functionName: string, count: number, self: string, version: string = LATEST_VERSION): number {
  const score = (nodeId: string): string => rendezvousScore(functionName, version, nodeId);
  const order = [...nodeIds].sort((a, b) => score(a).localeCompare(score(b)));
  const index = order.indexOf(self);
  if (index < 0 || order.length === 0) return 0;
  return Math.floor(count / order.length) + (index < count % order.length ? 1 : 0);
}
