import { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  /** etcd client URLs, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** Per-call deadline. Default 5000 ms. */
  readonly callTimeoutMs?: number;
}

/** One place that decides how Stratus services talk to etcd. */
export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  return new Etcd3({
    hosts: [...options.endpoints],
    defaultCallOptions: () => ({ deadline: Date.now() + (options.callTimeoutMs ?? 5000) }),
  });
}
