import { ExponentialBackoff, handleWhen, retry, wrap } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';

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
  /** TLS (PEM text): the CA etcd's certificates must be signed by, and a client certificate and key for members that verify clients. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

export interface EtcdTls {
  readonly ca: string;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * etcd 3.4 refuses a request whose login is older than a change to its
 * users or roles made while the request was under way ("revision of auth
 * store is old"; about half the writes in a probe while roles were being
 * added), before applying anything: safe to send again, as etcd3 does with
 * unreachable members. Adding a node's user would otherwise fail deploys
 * and registrations in flight.
 */
function isStaleAuthRevision(err: Error): boolean {
  return err.message.includes('revision of auth store is old');
}

/** One place that decides how Stratus services talk to etcd. */
export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  return new Etcd3({
    hosts: [...options.endpoints],
    defaultCallOptions: () => ({ deadline: Date.now() + (options.callTimeoutMs ?? 5000) }),
    faultHandling: {
      global: wrap(
        // etcd3's own policy: three attempts when a member is unreachable.
        retry(handleWhen(isRecoverableError), { maxAttempts: 3 }),
        // Spread out, to outlast a burst of changes (adding one node's user is five).
        retry(handleWhen(isStaleAuthRevision), { maxAttempts: 6, backoff: new ExponentialBackoff({ initialDelay: 10, maxDelay: 500 }) }),
      ),
    },
    ...(options.auth === undefined ? {} : { auth: { username: options.auth.username, password: options.auth.password } }),
    ...(options.tls === undefined ? {} : { credentials: etcdCredentials(options.tls) }),
  });
}

function etcdCredentials(tls: EtcdTls): { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer } {
  return {
    rootCertificate: Buffer.from(tls.ca),
    ...(tls.key === undefined ? {} : { privateKey: Buffer.from(tls.key) }),
    ...(tls.cert === undefined ? {} : { certChain: Buffer.from(tls.cert) }),
  };
}
