import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import type { Namespace, NodeRecord } from '@stratus/contracts';
import { LeaseRegistration } from './lease-registration.js';

export interface NodeRegistrationOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly record: NodeRecord;
  /** Lease TTL: how long a dead node stays listed. Default 5 s. */
  readonly leaseTtlSec?: number;
  readonly log: Logger;
}

/** A worker node's entry in etcd: listed exactly while the node lives. */
export const NodeRegistration = {
  register(options: NodeRegistrationOptions): Promise<LeaseRegistration> {
    return LeaseRegistration.register({
      etcd: options.etcd,
      key: options.ns.keys.node(options.record.nodeId),
      value: options.record,
      log: options.log,
      ...(options.leaseTtlSec !== undefined ? { leaseTtlSec: options.leaseTtlSec } : {}),
    });
  },
};
