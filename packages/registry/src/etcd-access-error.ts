import { StratusError } from '@stratus/errors';

/**
 * etcd's refusals, as errors that say what was refused and what to check.
 * Matched by message, not by etcd3's error classes: this module is loaded
 * by the package root, which must not load etcd3 (see the README).
 */
export function etcdAccessError(err: unknown, action: 'read' | 'write', key: string): unknown {
  const message = err instanceof Error ? err.message : '';
  if (message.includes('etcdserver: permission denied')) {
    return new StratusError(
      'PERMISSION_DENIED',
      `etcd refused to ${action} ${key}: the etcd user this service connects as (STRATUS_ETCD_USER) has no ${action} permission there`,
      { cause: err, details: { key, action } },
    );
  }
  if (message.includes('etcdserver: user name is empty')) {
    return new StratusError('UNAUTHENTICATED', `etcd refused to ${action} ${key} without credentials: it has authentication on; set STRATUS_ETCD_USER and its password`, {
      cause: err,
      details: { key, action },
    });
  }
  if (message.includes('etcdserver: authentication failed')) {
    return new StratusError('UNAUTHENTICATED', `etcd refused the user and password (STRATUS_ETCD_USER) while trying to ${action} ${key}`, { cause: err, details: { key, action } });
  }
  return err;
}

/** Runs `operation`, rethrowing etcd's refusals as etcdAccessError describes them. */
export async function withEtcdAccess<T>(action: 'read' | 'write', key: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw etcdAccessError(err, action, key);
  }
}
