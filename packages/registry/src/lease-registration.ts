import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import { withEtcdAccess } from './etcd-access-error.js';

export interface LeaseRegistrationOptions {
  readonly etcd: Etcd3;
  /** The key that exists exactly while the registrant is alive. */
  readonly key: string;
  /** JSON-serialisable value stored under the key. */
  readonly value: unknown;
  /** How long the key outlives a registrant that stops keeping it alive. Default 5 s. */
  readonly leaseTtlSec?: number;
  readonly log: Logger;
}

/**
 * A key in etcd held under a lease that etcd3 keeps alive: it disappears
 * within the TTL when its process dies. If the lease is lost (etcd
 * unreachable longer than the TTL) the key is written again under a new
 * lease, so a partition heals without a restart.
 */
export class LeaseRegistration {
  readonly #options: LeaseRegistrationOptions & { leaseTtlSec: number };
  #lease: Lease | undefined;
  #closed = false;
  #regrantTimer: NodeJS.Timeout | undefined;

  private constructor(options: LeaseRegistrationOptions) {
    this.#options = { ...options, leaseTtlSec: options.leaseTtlSec ?? 5 };
  }

  static async register(options: LeaseRegistrationOptions): Promise<LeaseRegistration> {
    const registration = new LeaseRegistration(options);
    await registration.#grant();
    return registration;
  }

  async #grant(): Promise<void> {
    const { etcd, key, value, leaseTtlSec, log } = this.#options;
    const lease = etcd.lease(leaseTtlSec);
    this.#lease = lease;
    lease.on('lost', (err) => {
      if (this.#closed) return;
      log.warn({ err, key }, 'etcd lease lost; registering again');
      this.#scheduleRegrant();
    });
    try {
      await withEtcdAccess('write', key, () => lease.put(key).value(JSON.stringify(value)).exec());
    } catch (err) {
      // Without this the granted lease would be kept alive forever with nothing under it.
      await lease.revoke().catch(() => {});
      throw err;
    }
    log.info({ key, leaseTtlSec }, 'registered in etcd');
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

  /** Removes the key at once by revoking the lease. Idempotent. */
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
