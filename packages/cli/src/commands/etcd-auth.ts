import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createNamespace, type Namespace } from '@stratus/contracts';
import type { CliContext } from '../context.js';
import { addEtcdTlsOptions, etcdTlsOption, type EtcdTlsOptions } from '../etcd-tls.js';
import { toJson } from '../output.js';
import { usageError } from '../usage-error.js';

interface EtcdAuthOptions extends EtcdTlsOptions {
  readonly namespace: string;
  readonly nodeId: string[];
  readonly removeNode: string[];
  readonly passwordDir: string;
  readonly apply?: boolean;
  readonly etcd?: string;
  readonly json?: boolean;
}

function nodeIdList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((id) => id.trim()).filter((id) => id !== '')];
}

/** `stratus etcd-auth`: the etcd users and roles a cluster needs, printed as etcdctl commands or applied. */
export function registerEtcdAuth(program: Command, ctx: CliContext): void {
  addEtcdTlsOptions(
    program
      .command('etcd-auth')
      .description(
        "etcd users and roles for a cluster (one per service, one per worker node, each allowed only its own keys): print them as etcdctl commands, or --apply them and turn etcd's authentication on",
      )
      .option('--namespace <prefix>', 'the cluster’s STRATUS_NAMESPACE', 'stratus')
      .option('--node-id <id>', 'a worker node’s STRATUS_NODE_ID; repeatable or comma-separated', nodeIdList, [])
      .option('--remove-node <id>', 'a retired worker node: delete its user and role instead (repeatable or comma-separated)', nodeIdList, [])
      .option('--password-dir <dir>', 'where each user’s password is kept, as <user>.password (missing ones are made, mode 0600)', 'etcd-auth')
      .option('--apply', "apply to the etcd at --etcd (idempotent: run again to add nodes), instead of printing")
      .option('--etcd <urls>', 'etcd client URLs, comma-separated, for --apply'),
    ctx,
  )
    .option('--json', 'with --apply, print what was done as JSON')
    .action(async (options: EtcdAuthOptions) => {
      const ns = namespaceOption(options.namespace);
      const passwordDir = resolve(ctx.cwd, options.passwordDir);
      // Loaded here: only this command and `keys bootstrap` talk to etcd.
      if (options.removeNode.length > 0) {
        await removeNodes(ctx, ns, passwordDir, options);
        return;
      }
      const { applyEtcdAuthFromDir, etcdAuthPlan, etcdPasswordFile, etcdUserNames, etcdctlScript } = await import('@stratus/local-cluster');
      const plan = etcdAuthPlan(ns, { nodeIds: options.nodeId });
      if (options.apply !== true) {
        ctx.stdout.write(etcdctlScript(plan, { passwordFile: (user) => etcdPasswordFile(passwordDir, user) }));
        return;
      }
      const endpoints = etcdEndpoints(options);
      const result = await applyEtcdAuthFromDir({ endpoints, ns, nodeIds: options.nodeId, passwordDir, plan, tls: await etcdTlsOption(options) });
      const names = etcdUserNames(ns);
      const logins = [
        { role: 'frontend', user: names.frontend },
        ...options.nodeId.map((nodeId) => ({ role: `node ${nodeId}`, user: names.node(nodeId) })),
        { role: 'billing', user: names.billing },
        { role: 'admin (stratus keys bootstrap)', user: names.admin },
      ].map((login) => ({ ...login, passwordFile: etcdPasswordFile(passwordDir, login.user) }));
      if (options.json === true) {
        ctx.stdout.write(toJson({ ...result, logins }));
        return;
      }
      ctx.stdout.write(
        [
          result.enabledAuth ? 'etcd authentication turned on' : 'etcd authentication was on already',
          `users made: ${result.createdUsers.join(', ') || 'none'}`,
          `roles made: ${result.createdRoles.join(', ') || 'none'}`,
          `passwords changed: ${result.changedPasswords.join(', ') || 'none'}`,
          '',
          'Each service logs in with (copy the password file to its machine, mode 0600):',
          ...logins.map((l) => `  ${l.role}: STRATUS_ETCD_USER=${l.user} STRATUS_ETCD_PASSWORD_FILE=${l.passwordFile}`),
          '',
        ].join('\n'),
      );
    });
}

/** `--remove-node`: a retired node's user and role deleted, so the password it was given no longer opens etcd. */
async function removeNodes(ctx: CliContext, ns: Namespace, passwordDir: string, options: EtcdAuthOptions): Promise<void> {
  if (options.nodeId.length > 0) throw usageError('--remove-node and --node-id go in separate runs: one removes users, the other makes them');
  const { etcdUserNames, removeEtcdNodesFromDir } = await import('@stratus/local-cluster');
  const users = options.removeNode.map((nodeId) => etcdUserNames(ns).node(nodeId));
  if (options.apply !== true) {
    ctx.stdout.write(
      ['#!/bin/sh', '# Retired worker nodes (etcdctl 3.4, as root: ETCDCTL_USER=root and ETCDCTL_PASSWORD).', 'set -e', ...users.flatMap((user) => [`etcdctl user delete ${user}`, `etcdctl role delete ${user}`]), ''].join('\n'),
    );
    return;
  }
  const result = await removeEtcdNodesFromDir({ endpoints: etcdEndpoints(options), ns, nodeIds: options.removeNode, passwordDir, tls: await etcdTlsOption(options) });
  if (options.json === true) {
    ctx.stdout.write(toJson(result));
    return;
  }
  ctx.stdout.write([`users removed: ${result.removedUsers.join(', ') || 'none'}`, `roles removed: ${result.removedRoles.join(', ') || 'none'}`, ''].join('\n'));
}

function etcdEndpoints(options: EtcdAuthOptions): string[] {
  const endpoints = (options.etcd ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
  if (endpoints.length === 0) throw usageError('--apply needs --etcd <urls>');
  return endpoints;
}

function namespaceOption(prefix: string): Namespace {
  try {
    return createNamespace(prefix);
  } catch (err) {
    throw usageError(`--namespace: ${(err as Error).message}`, err);
  }
}
