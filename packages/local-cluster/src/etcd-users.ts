import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { StratusError, hasCode } from '@stratus/errors';
import type { Namespace } from '@stratus/contracts';
import { ETCD_ROOT_USER, etcdAuthPlan, etcdNodesAuthPlan, etcdUserNames, type EtcdAuthPlan } from '@stratus/registry';
import { applyEtcdAuth, removeEtcdUsers, type ApplyEtcdAuthResult, type EtcdCredentials, type EtcdTls, type RemoveEtcdUsersResult } from '@stratus/registry/etcd';

/** The folder of the data dir holding the local cluster's etcd passwords, one `<user>.password` file each (mode 0600). */
export const ETCD_AUTH_DIR_NAME = 'etcd-auth';

/** An etcd user, its password, and the file the password is kept in (for STRATUS_ETCD_PASSWORD_FILE). */
export interface EtcdUserCredentials extends EtcdCredentials {
  readonly passwordFile: string;
}

/** Where `user`'s password is kept in a password dir. */
export function etcdPasswordFile(dir: string, user: string): string {
  return join(resolve(dir), `${user}.password`);
}

/**
 * `user`'s password from `<dir>/<user>.password`, made (32 random bytes,
 * base64url, mode 0600) when the file does not exist yet.
 */
export async function readOrCreateEtcdPassword(dir: string, user: string, log?: Logger): Promise<EtcdUserCredentials> {
  const passwordFile = etcdPasswordFile(dir, user);
  await mkdir(resolve(dir), { recursive: true, mode: 0o700 });
  try {
    const password = (await readFile(passwordFile, 'utf8')).trim();
    if (password === '') throw new StratusError('INVALID_ARGUMENT', `${passwordFile} is empty; delete it to get a new password`);
    if (((await stat(passwordFile)).mode & 0o077) !== 0) {
      log?.warn({ path: passwordFile }, 'an etcd password file was readable by others; making it 0600');
      await chmod(passwordFile, 0o600);
    }
    return { username: user, password, passwordFile };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const password = randomBytes(32).toString('base64url');
  try {
    // 'wx': two processes making the same file at once never end up with different passwords.
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateEtcdPassword(dir, user, log);
    throw err;
  }
  return { username: user, password, passwordFile };
}

export interface ApplyEtcdAuthFromDirOptions {
  readonly endpoints: readonly string[];
  readonly ns: Namespace;
  /** The worker nodes to make users for. */
  readonly nodeIds: readonly string[];
  /** Where the passwords are kept, `<user>.password` each; missing ones are made. */
  readonly passwordDir: string;
  /** Default: the whole plan for `nodeIds` (etcdAuthPlan). */
  readonly plan?: EtcdAuthPlan;
  readonly log?: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

/**
 * Makes etcd hold a cluster's users and roles with the passwords of a
 * password dir (root's too), then turns its authentication on; idempotent.
 * What the local cluster does on every start and `stratus etcd-auth --apply`
 * does for an operator.
 */
export async function applyEtcdAuthFromDir(options: ApplyEtcdAuthFromDirOptions): Promise<ApplyEtcdAuthResult> {
  const plan = options.plan ?? etcdAuthPlan(options.ns, { nodeIds: options.nodeIds });
  const passwords = new Map<string, string>();
  for (const user of [ETCD_ROOT_USER, ...plan.users.map((u) => u.name)]) {
    passwords.set(user, (await readOrCreateEtcdPassword(options.passwordDir, user, options.log)).password);
  }
  const passwordOf = (user: string): string => {
    const password = passwords.get(user);
    if (password === undefined) throw new StratusError('INTERNAL', `no password read for etcd user ${user}`);
    return password;
  };
  try {
    return await applyEtcdAuth({
      endpoints: options.endpoints,
      plan,
      rootPassword: passwordOf(ETCD_ROOT_USER),
      passwordOf,
      tls: options.tls,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  } catch (err) {
    if (!hasCode(err, 'UNAUTHENTICATED')) throw err;
    const file = etcdPasswordFile(options.passwordDir, ETCD_ROOT_USER);
    throw new StratusError('UNAUTHENTICATED', `${err.message}: it is not the one in ${file} (etcd's data and this password dir are from different clusters)`, { cause: err });
  }
}

export interface RemoveEtcdNodesFromDirOptions {
  readonly endpoints: readonly string[];
  readonly ns: Namespace;
  /** The retired worker nodes whose users and roles go. */
  readonly nodeIds: readonly string[];
  /** The password dir the users were made from: root's password is read there, the nodes' password files are deleted. */
  readonly passwordDir: string;
  readonly log?: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

/**
 * Deletes retired worker nodes' etcd users and roles, and their password
 * files, so a node taken out of the cluster cannot write its registration
 * again with what it was given; idempotent. What the local cluster does when
 * a node is removed for good, and `stratus etcd-auth --remove-node` does for
 * an operator.
 */
export async function removeEtcdNodesFromDir(options: RemoveEtcdNodesFromDirOptions): Promise<RemoveEtcdUsersResult> {
  const rootFile = etcdPasswordFile(options.passwordDir, ETCD_ROOT_USER);
  let rootPassword: string;
  try {
    rootPassword = (await readFile(rootFile, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new StratusError('INVALID_ARGUMENT', `no etcd root password in ${rootFile}: removing users needs the password dir the cluster's users were made from`, { cause: err });
  }
  const names = etcdUserNames(options.ns);
  const users = [...new Set(options.nodeIds)].map((nodeId) => names.node(nodeId));
  const result = await removeEtcdUsers({
    endpoints: options.endpoints,
    users,
    rootPassword,
    tls: options.tls,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  for (const user of users) await rm(etcdPasswordFile(options.passwordDir, user), { force: true });
  return result;
}

export interface LocalEtcdUsersOptions {
  readonly endpoints: readonly string[];
  readonly ns: Namespace;
  readonly nodeIds: readonly string[];
  /** `<dataDir>/etcd-auth`. */
  readonly dir: string;
  readonly log: Logger;
  /** TLS towards etcd. Default: plaintext. */
  readonly tls?: EtcdTls | undefined;
}

/** The local cluster's etcd users: made on its first start, a node's own user made before the node starts. */
export class LocalEtcdUsers {
  readonly #options: LocalEtcdUsersOptions;
  readonly #nodesDone = new Set<string>();
  /** Nodes' users are made one at a time: etcd's auth changes are cheap but not worth racing. */
  #nodeQueue: Promise<unknown> = Promise.resolve();
  readonly admin: EtcdUserCredentials;
  readonly frontend: EtcdUserCredentials;
  readonly billing: EtcdUserCredentials;

  private constructor(options: LocalEtcdUsersOptions, users: { admin: EtcdUserCredentials; frontend: EtcdUserCredentials; billing: EtcdUserCredentials }) {
    this.#options = options;
    this.admin = users.admin;
    this.frontend = users.frontend;
    this.billing = users.billing;
  }

  static async ensure(options: LocalEtcdUsersOptions): Promise<LocalEtcdUsers> {
    await applyEtcdAuthFromDir({ endpoints: options.endpoints, ns: options.ns, nodeIds: options.nodeIds, passwordDir: options.dir, log: options.log, tls: options.tls });
    const names = etcdUserNames(options.ns);
    const [admin, frontend, billing] = await Promise.all([names.admin, names.frontend, names.billing].map((user) => readOrCreateEtcdPassword(options.dir, user)));
    if (admin === undefined || frontend === undefined || billing === undefined) throw new StratusError('INTERNAL', 'etcd users missing');
    const users = new LocalEtcdUsers(options, { admin, frontend, billing });
    for (const nodeId of options.nodeIds) users.#nodesDone.add(nodeId);
    return users;
  }

  /** The node's credentials, its etcd user and role made first if this cluster has not made them yet. */
  node(nodeId: string): Promise<EtcdUserCredentials> {
    const { ns, dir, endpoints, log, tls } = this.#options;
    const user = etcdUserNames(ns).node(nodeId);
    const made = this.#nodeQueue.then(async () => {
      if (!this.#nodesDone.has(nodeId)) {
        // Only the nodes' part: the other users were made at start.
        await applyEtcdAuthFromDir({ endpoints, ns, nodeIds: [nodeId], passwordDir: dir, plan: etcdNodesAuthPlan(ns, [nodeId]), log, tls });
        this.#nodesDone.add(nodeId);
      }
      return readOrCreateEtcdPassword(dir, user);
    });
    this.#nodeQueue = made.catch(() => undefined);
    return made;
  }

  /** Deletes a node's etcd user, role and password file: the node was removed for good and its id is never reused. */
  removeNode(nodeId: string): Promise<RemoveEtcdUsersResult> {
    const { ns, dir, endpoints, log, tls } = this.#options;
    const removed = this.#nodeQueue.then(async () => {
      const result = await removeEtcdNodesFromDir({ endpoints, ns, nodeIds: [nodeId], passwordDir: dir, log, tls });
      this.#nodesDone.delete(nodeId);
      return result;
    });
    this.#nodeQueue = removed.catch(() => undefined);
    return removed;
  }
}
