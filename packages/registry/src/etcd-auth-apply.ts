import { EtcdAuthenticationFailedError, EtcdRoleExistsError, EtcdRoleNotFoundError, EtcdUserExistsError, EtcdUserNotFoundError, Range, type Etcd3, type IPermission } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { createEtcdClient, type EtcdTls } from './etcd-client.js';
import { ETCD_ROOT_USER, type EtcdAuthPlan, type EtcdPermissionSpec } from './etcd-auth-plan.js';

export interface ApplyEtcdAuthOptions {
  readonly endpoints: readonly string[];
  readonly plan: EtcdAuthPlan;
  /** root's password: given to root when it is made, used to log in once auth is on. */
  readonly rootPassword: string;
  /** The password of each user in the plan. */
  readonly passwordOf: (user: string) => string;
  readonly log?: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

export interface ApplyEtcdAuthResult {
  /** True when this call turned etcd's authentication on. */
  readonly enabledAuth: boolean;
  readonly createdUsers: readonly string[];
  readonly createdRoles: readonly string[];
  /** Users that existed with another password, and were given the one asked for. */
  readonly changedPasswords: readonly string[];
}

/**
 * Makes etcd hold the plan's roles and users, then turns authentication on:
 * what `etcdctlScript` prints, done idempotently. Run again with more nodes,
 * it adds theirs and leaves the rest alone: existing users keep their
 * password (and their sessions) when it is already the one asked for. Once
 * auth is on, it logs in as root with `rootPassword`.
 */
export async function applyEtcdAuth(options: ApplyEtcdAuthOptions): Promise<ApplyEtcdAuthResult> {
  const anonymous = createEtcdClient({ endpoints: options.endpoints, tls: options.tls });
  let root: Etcd3 | undefined;
  try {
    const enabled = await authEnabled(anonymous, options.rootPassword);
    root = enabled ? createEtcdClient({ endpoints: options.endpoints, auth: { username: ETCD_ROOT_USER, password: options.rootPassword }, tls: options.tls }) : undefined;
    const admin = root ?? anonymous;
    const createdUsers: string[] = [];
    const createdRoles: string[] = [];
    const changedPasswords: string[] = [];
    const users = new Set((await admin.auth.userList()).users);
    const roles = new Set((await admin.auth.roleList()).roles);

    const ensureUser = async (name: string, password: string): Promise<void> => {
      if (!users.has(name)) {
        try {
          await admin.auth.userAdd({ name, password });
          createdUsers.push(name);
          users.add(name);
          return;
        } catch (err) {
          // Another run made it in between; its password is checked below like any existing user's.
          if (!(err instanceof EtcdUserExistsError)) throw err;
        }
      }
      // root's password was checked already, by logging in with it.
      if (enabled && name === ETCD_ROOT_USER) return;
      // Before auth is on there are no sessions to lose and no way to check a password: set it.
      if (enabled && (await passwordMatches(anonymous, name, password))) return;
      await admin.auth.userChangePassword({ name, password });
      if (enabled) changedPasswords.push(name);
    };
    const ensureUserRoles = async (name: string, wanted: readonly string[]): Promise<void> => {
      const held = new Set((await admin.auth.userGet({ name })).roles);
      for (const role of wanted) if (!held.has(role)) await admin.auth.userGrantRole({ user: name, role });
    };

    // etcd refuses to enable auth unless root exists and holds the root role.
    await ensureUser(ETCD_ROOT_USER, options.rootPassword);
    await ensureUserRoles(ETCD_ROOT_USER, ['root']);
    for (const role of options.plan.roles) {
      if (!roles.has(role.name)) {
        try {
          await admin.auth.roleAdd({ name: role.name });
          createdRoles.push(role.name);
        } catch (err) {
          if (!(err instanceof EtcdRoleExistsError)) throw err;
        }
        roles.add(role.name);
      }
      const held = (await admin.auth.roleGet({ role: role.name })).perm;
      for (const wanted of role.permissions) {
        const perm = toPermission(wanted);
        if (held.some((p) => samePermission(p, perm))) continue;
        await admin.auth.roleGrantPermission({ name: role.name, perm });
      }
    }
    for (const user of options.plan.users) {
      await ensureUser(user.name, options.passwordOf(user.name));
      await ensureUserRoles(user.name, user.roles);
    }
    if (!enabled) await admin.auth.authEnable();
    const result = { enabledAuth: !enabled, createdUsers, createdRoles, changedPasswords };
    if (result.enabledAuth || createdUsers.length + createdRoles.length + changedPasswords.length > 0) options.log?.info(result, 'etcd users and roles applied');
    return result;
  } finally {
    root?.close();
    anonymous.close();
  }
}

export interface RemoveEtcdUsersOptions {
  readonly endpoints: readonly string[];
  /** The users to delete, each with the role of the same name (a node's own role). */
  readonly users: readonly string[];
  /** root's password: auth is on once a cluster has users. */
  readonly rootPassword: string;
  readonly log?: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

export interface RemoveEtcdUsersResult {
  readonly removedUsers: readonly string[];
  readonly removedRoles: readonly string[];
}

/**
 * Deletes users and their own roles, logged in as root: what a retired
 * worker node leaves behind, so its password no longer opens etcd.
 * Idempotent: users and roles already gone are skipped.
 */
export async function removeEtcdUsers(options: RemoveEtcdUsersOptions): Promise<RemoveEtcdUsersResult> {
  if (options.users.includes(ETCD_ROOT_USER)) throw new StratusError('INVALID_ARGUMENT', `etcd's "${ETCD_ROOT_USER}" user is never removed`);
  const root = createEtcdClient({ endpoints: options.endpoints, auth: { username: ETCD_ROOT_USER, password: options.rootPassword }, tls: options.tls });
  try {
    const removedUsers: string[] = [];
    const removedRoles: string[] = [];
    for (const name of options.users) {
      // The user first: once it is gone nothing can log in with the role, whatever happens next.
      try {
        await root.auth.userDelete({ name });
        removedUsers.push(name);
      } catch (err) {
        if (!(err instanceof EtcdUserNotFoundError)) throw err;
      }
      try {
        await root.auth.roleDelete({ role: name });
        removedRoles.push(name);
      } catch (err) {
        if (!(err instanceof EtcdRoleNotFoundError)) throw err;
      }
    }
    const result = { removedUsers, removedRoles };
    if (removedUsers.length + removedRoles.length > 0) options.log?.info(result, 'etcd users and roles removed');
    return result;
  } catch (err) {
    if (err instanceof EtcdAuthenticationFailedError) {
      throw new StratusError('UNAUTHENTICATED', `etcd refused user "${ETCD_ROOT_USER}" with the root password given`, { cause: err });
    }
    throw err;
  } finally {
    root.close();
  }
}

/** Whether etcd has auth on, found by logging in as root: refused outright only when auth is off. */
async function authEnabled(anonymous: Etcd3, rootPassword: string): Promise<boolean> {
  try {
    await anonymous.auth.authenticate({ name: ETCD_ROOT_USER, password: rootPassword });
    return true;
  } catch (err) {
    if (isAuthNotEnabled(err)) return false;
    if (err instanceof EtcdAuthenticationFailedError) {
      throw new StratusError('UNAUTHENTICATED', `etcd has authentication on and refused user "${ETCD_ROOT_USER}" with the root password given`, { cause: err });
    }
    throw err;
  }
}

async function passwordMatches(anonymous: Etcd3, name: string, password: string): Promise<boolean> {
  try {
    await anonymous.auth.authenticate({ name, password });
    return true;
  } catch (err) {
    if (err instanceof EtcdAuthenticationFailedError) return false;
    throw err;
  }
}

function isAuthNotEnabled(err: unknown): boolean {
  return err instanceof Error && err.message.includes('authentication is not enabled');
}

function toPermission(spec: EtcdPermissionSpec): IPermission {
  const range = spec.prefix ? Range.prefix(spec.key) : new Range(spec.key);
  return { permType: spec.permission, key: range.start, range_end: range.end };
}

function samePermission(a: IPermission, b: IPermission): boolean {
  return a.permType === b.permType && Buffer.compare(a.key, b.key) === 0 && Buffer.compare(a.range_end ?? Buffer.alloc(0), b.range_end ?? Buffer.alloc(0)) === 0;
}
