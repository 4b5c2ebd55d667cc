import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import type { Namespace, NodeRecord } from '@stratus/contracts';

export interface NodeRegistrationOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly record: NodeRecord;
  /** Lease TTL: how long a dead node stays listed. Default 5 s. */
  readonly leaseTtlSec?: number;
  readonly log: Logger;
}

/**
 * A worker node's entry in etcd, held under a lease that etcd3 keeps alive.
 * If the lease is lost (etcd unreachable longer than the TTL) the node
 * registers again under a new lease, so a partition heals without a restart.
 */
export class NodeRegistration {
  readonly #options: NodeRegistrationOptions & { leaseTtlSec: number };
  #lease: Lease | undefined;
  #closed = false;
  #regrantTimer: NodeJS.Timeout | undefined;

  private constructor(options: NodeRegistrationOptions) {
    this.#options = { ...options, leaseTtlSec: options.leaseTtlSec ?? 5 };
  }

  static async register(options: NodeRegistrationOptions): Promise<NodeRegistration> {
    const registration = new NodeRegistration(options);
    await registration.#grant();
    return registration;
  }

  async #grant(): Promise<void> {
    const { etcd, ns, record, leaseTtlSec, log } = this.#options;
    const lease = etcd.lease(leaseTtlSec);
    this.#lease = lease;
    lease.on('lost', (err) => {
      if (this.#closed) return;
      log.warn({ err }, 'etcd lease lost; registering again');
      this.#scheduleRegrant();
    });
    await lease.put(ns.keys.node(record.nodeId)).value(JSON.stringify(record));
    log.info({ leaseTtlSec }, 'registered in etcd');
  }

  #scheduleRegrant(): void {
    if (this.#closed || this.#regrantTimer) return;
    this.#regrantTimer = setTimeout(() => {
      this.#regrantTimer = undefined;
      this.#grant().catch((err: unknown) => {
        this.#options.log.warn({ err }, 'registering again failed; will retry');
        this.#scheduleRegrant();
      });
    }, 1000);
  }

  /** Leaves the registry at once (revokes the lease), so frontends stop placing work here. Idempotent. */
  async revoke(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#regrantTimer) clearTimeout(this.#regrantTimer);
    const lease = this.#lease;
    this.#lease = undefined;
    if (!lease) return;
    try {
      await lease.revoke();
    } catch (err) {
      // The lease expires on its own within the TTL; nothing is lost by giving up here.
      this.#options.log.warn({ err }, 'could not revoke the etcd lease; it will expire');
    }
  }
}
