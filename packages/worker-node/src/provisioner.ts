import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { LATEST_VERSION, invocationTargetOf, nodeRecordSchema, rendezvousScore, type InvocationTarget, type Namespace, type NodeRecord, type StoredFunction } from '@stratus/contracts';
import { PrefixMirror, decodeFunction } from '@stratus/registry';

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
    const floors: Array<{ target: InvocationTarget; count: number }> = [];
    for (const fn of this.#functions?.values() ?? []) {
      if (!fn.provisionedConcurrency) continue;
      const count = provisionedShare(nodeIds, fn.name, fn.provisionedConcurrency, this.#options.nodeId);
      if (count > 0) floors.push({ target: invocationTargetOf(fn), count });
    }
    this.#options.apply(floors);
  }
}

/** This node's share of `count` environments of a function, spread over `nodeIds` in the function's hash order. */
export function provisionedShare(nodeIds: readonly string[], functionName: string, count: number, self: string): number {
  const score = (nodeId: string): string => rendezvousScore(functionName, LATEST_VERSION, nodeId);
  const order = [...nodeIds].sort((a, b) => score(a).localeCompare(score(b)));
  const index = order.indexOf(self);
  if (index < 0 || order.length === 0) return 0;
  return Math.floor(count / order.length) + (index < count % order.length ? 1 : 0);
}
