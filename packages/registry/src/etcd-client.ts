import { Etcd3 } from 'etcd3';

/** An etcd user and its password (etcd's own authentication, `etcdctl user add`). */
export interface EtcdCredentials {
  readonly username: string;
  readonly password: string;
}

export interface EtcdClientOptions {
  /** etcd client URLs, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** Per-call deadline. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** Authenticate as this etcd user. Default: anonymous, which an etcd with auth enabled refuses. */
  readonly auth?: EtcdCredentials | undefined;
}

/** One place that decides how Stratus services talk to etcd. */
export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  return new Etcd3({
    hosts: [...options.endpoints],
    defaultCallOptions: () => ({ deadline: Date.now() + (options.callTimeoutMs ?? 5000) }),
    ...(options.auth === undefined ? {} : { auth: { username: options.auth.username, password: options.auth.password } }),
  });
}
