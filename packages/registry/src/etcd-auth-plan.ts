import type { Namespace } from '@stratus/contracts';

/** etcd's permission types, as etcd3 and `etcdctl role grant-permission` name them. */
export type EtcdPermissionType = 'Read' | 'Write' | 'Readwrite';

/** One permission of a role: one key, or every key under a prefix. */
export interface EtcdPermissionSpec {
  readonly permission: EtcdPermissionType;
  readonly key: string;
  /** True: every key starting with `key`; false: exactly `key`. */
  readonly prefix: boolean;
}

export interface EtcdRoleSpec {
  readonly name: string;
  readonly permissions: readonly EtcdPermissionSpec[];
}

export interface EtcdUserSpec {
  readonly name: string;
  readonly roles: readonly string[];
}

/** The roles and users one cluster needs in etcd: what `stratus etcd-auth` prints and applies. */
export interface EtcdAuthPlan {
  readonly roles: readonly EtcdRoleSpec[];
  readonly users: readonly EtcdUserSpec[];
}

/** etcd's superuser: it alone manages users and roles, and etcd refuses to enable auth without it. */
export const ETCD_ROOT_USER = 'root';

/**
 * The etcd user each part of a cluster connects as. Users and roles are
 * global to an etcd cluster, so their names start with the namespace prefix
 * and two Stratus clusters can share one etcd.
 */
export interface EtcdUserNames {
  /** Every frontend: functions, API keys, its own live-frontend key. */
  readonly frontend: string;
  /** One user per worker node: only its own registration. */
  node(nodeId: string): string;
  /** The billing aggregator: read-only. */
  readonly billing: string;
  /** Operators' tools (`stratus keys bootstrap`, the local cluster itself): every key of the namespace, no user management. */
  readonly admin: string;
}

export function etcdUserNames(ns: Namespace): EtcdUserNames {
  const prefix = ns.prefix;
  return {
    frontend: `${prefix}-frontend`,
    node: (nodeId) => `${prefix}-node-${nodeId}`,
    billing: `${prefix}-billing`,
    admin: `${prefix}-admin`,
  };
}

/** The role every node has besides its own: reading what it runs and who its peers are. */
function nodesRoleName(ns: Namespace): string {
  return `${ns.prefix}-nodes`;
}

/**
 * The roles and users of a cluster whose worker nodes are `nodeIds`, from
 * what each service reads and writes:
 *
 * - frontend: reads and writes functions, their versions, aliases and version
 *   counters, API keys and schedules (the Functions, Versions, Concurrency, Keys and Schedules APIs), holds its own key under the live frontends (and watches the
 *   others', to share the concurrency limits), reads the nodes.
 * - node `<id>`: writes exactly its own registration key, nothing else; reads
 *   functions, versions and aliases (provisioned concurrency) and the nodes.
 * - billing: reads functions and nodes.
 * - admin: reads and writes every key of the namespace.
 *
 * A node's key is granted as that one key, not as a prefix, so `node-1`
 * cannot write `node-10`.
 */
export function etcdAuthPlan(ns: Namespace, options: { readonly nodeIds: readonly string[] }): EtcdAuthPlan {
  const names = etcdUserNames(ns);
  const keys = ns.keys;
  const nodes = etcdNodesAuthPlan(ns, options.nodeIds);
  const roles: EtcdRoleSpec[] = [
    {
      name: names.frontend,
      permissions: [
        under('Readwrite', keys.functionsPrefix()),
        under('Readwrite', keys.versionsPrefix()),
        under('Readwrite', keys.aliasesPrefix()),
        under('Readwrite', keys.versionCountersPrefix()),
        under('Readwrite', keys.apiKeysPrefix()),
        under('Readwrite', keys.frontendsPrefix()),
        under('Readwrite', keys.schedulesPrefix()),
        under('Readwrite', keys.eventSourceMappingsPrefix()),
        under('Read', keys.nodesPrefix()),
      ],
    },
    ...nodes.roles,
    { name: names.billing, permissions: [under('Read', keys.functionsPrefix()), under('Read', keys.nodesPrefix())] },
    { name: names.admin, permissions: [under('Readwrite', `/${ns.prefix}/`)] },
  ];
  const users: EtcdUserSpec[] = [
    { name: names.frontend, roles: [names.frontend] },
    ...nodes.users,
    { name: names.billing, roles: [names.billing] },
    { name: names.admin, roles: [names.admin] },
  ];
  return { roles, users };
}

/** The part of etcdAuthPlan that is the nodes': their shared read role, and each node's own role and user. */
export function etcdNodesAuthPlan(ns: Namespace, nodeIds: readonly string[]): EtcdAuthPlan {
  const names = etcdUserNames(ns);
  const keys = ns.keys;
  const ids = [...new Set(nodeIds)];
  return {
    roles: [
      {
        name: nodesRoleName(ns),
        permissions: [under('Read', keys.functionsPrefix()), under('Read', keys.versionsPrefix()), under('Read', keys.aliasesPrefix()), under('Read', keys.nodesPrefix())],
      },
      ...ids.map((nodeId) => ({ name: names.node(nodeId), permissions: [{ permission: 'Readwrite' as const, key: keys.node(nodeId), prefix: false }] })),
    ],
    users: ids.map((nodeId) => ({ name: names.node(nodeId), roles: [nodesRoleName(ns), names.node(nodeId)] })),
  };
}

function under(permission: EtcdPermissionType, key: string): EtcdPermissionSpec {
  return { permission, key, prefix: true };
}

export interface EtcdctlScriptOptions {
  /** Where each user's password file is, as the script should read it. Default `<user>.password` in the working directory. */
  readonly passwordFile?: (user: string) => string;
}

/**
 * The plan as etcdctl 3.4 commands, for operators who set etcd up by hand.
 * Passwords are read from files on stdin, never put on a command line. The
 * script creates what it lists; run against an etcd that already has some
 * of it, etcdctl reports those as existing. `stratus etcd-auth --apply`
 * does the same idempotently.
 */
export function etcdctlScript(plan: EtcdAuthPlan, options: EtcdctlScriptOptions = {}): string {
  const passwordFile = options.passwordFile ?? ((user: string) => `${user}.password`);
  const quote = (text: string): string => (/^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);
  const allUsers = [ETCD_ROOT_USER, ...plan.users.map((u) => u.name)];
  const lines = [
    '#!/bin/sh',
    '# etcd users and roles of one Stratus cluster (etcdctl 3.4). Set ETCDCTL_ENDPOINTS (and the TLS',
    '# variables) first. Once auth is enabled, later runs need ETCDCTL_USER=root and ETCDCTL_PASSWORD.',
    'set -e',
    'umask 077',
    '',
    '# A random password per user, kept in its file (made only if missing): give each service its own.',
    ...allUsers.map((user) => `[ -s ${quote(passwordFile(user))} ] || openssl rand -base64 32 > ${quote(passwordFile(user))}`),
    '',
    '# The superuser: etcd refuses to enable auth without it.',
    `etcdctl user add ${ETCD_ROOT_USER} --interactive=false < ${quote(passwordFile(ETCD_ROOT_USER))}`,
    `etcdctl user grant-role ${ETCD_ROOT_USER} root`,
    '',
  ];
  for (const role of plan.roles) {
    lines.push(`etcdctl role add ${quote(role.name)}`);
    for (const p of role.permissions) {
      lines.push(`etcdctl role grant-permission ${quote(role.name)}${p.prefix ? ' --prefix=true' : ''} ${p.permission.toLowerCase()} ${quote(p.key)}`);
    }
  }
  lines.push('');
  for (const user of plan.users) {
    lines.push(`etcdctl user add ${quote(user.name)} --interactive=false < ${quote(passwordFile(user.name))}`);
    for (const role of user.roles) lines.push(`etcdctl user grant-role ${quote(user.name)} ${quote(role)}`);
  }
  lines.push('', 'etcdctl auth enable', '');
  return lines.join('\n');
}
