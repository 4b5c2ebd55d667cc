import { Frontend, type FrontendOptions } from '@stratus/frontend';
import { WorkerNode, type WorkerNodeOptions } from '@stratus/worker-node';

export interface CombinedOptions {
  /** The frontend half: its own NATS connection and etcd client (its role's users). */
  readonly frontend: Omit<FrontendOptions, 'localInvoker'>;
  /** The node half: its own NATS connection and etcd client (the node's users), or the frontend's when one user may do both. */
  readonly node: WorkerNodeOptions;
}

/**
 * A frontend and a worker node in one process (the combined role): an
 * admitted call this node can start at once on an idle warm environment, or
 * one of its busy environments is expected back for soon (the placement
 * package's `chooseLocal`), runs in-process, with no NATS hop, and so does any call placement gives this
 * node (preferred while within the load bound and the function is warm
 * nowhere else); calls placed on other nodes go over NATS, never one to
 * itself, and the node keeps taking other frontends' calls from its subject. Created by {@link Combined.create}, node first, so the frontend's
 * first call can already run here.
 */
export class Combined {
  readonly frontend: Frontend;
  readonly node: WorkerNode;
  #drained: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  private constructor(frontend: Frontend, node: WorkerNode) {
    this.frontend = frontend;
    this.node = node;
  }

  static async create(options: CombinedOptions): Promise<Combined> {
    const node = await WorkerNode.create(options.node);
    try {
      const frontend = await Frontend.create({ ...options.frontend, localInvoker: node });
      // Known only now (the configured port may be 0): functions on this node must not reach their own frontend.
      await node.addClusterEndpoints([frontend.address, ...(frontend.httpAddress === undefined ? [] : [frontend.httpAddress])]);
      return new Combined(frontend, node);
    } catch (err) {
      await node.close();
      throw err;
    }
  }

  /**
   * The frontend first: it stops taking calls and waits for those in flight
   * (local ones included), while the node, still registered, finishes what
   * other frontends sent it. Then the node leaves the registry, refuses new
   * calls, finishes its own and flushes their usage records. Idempotent.
   */
  drain(): Promise<void> {
    this.#drained ??= (async () => {
      try {
        await this.frontend.drain();
      } finally {
        await this.node.drain();
      }
    })();
    return this.#drained;
  }

  /** Drains, then closes the node (its environments) and the frontend (its watches). The caller owns the connections. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.drain();
      } finally {
        try {
          await this.node.close();
        } finally {
          await this.frontend.close();
        }
      }
    })();
    return this.#closed;
  }
}
