import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createNamespace, type Namespace } from '@stratus/contracts';
import type { CliContext } from '../context.js';
import { toJson } from '../output.js';
import { usageError } from '../usage-error.js';

interface EtcdAuthOptions {
  readonly namespace: string;
  readonly nodeId: string[];
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
  program
    .command('etcd-auth')
    .description(
      "etcd users and roles for a cluster (one per service, one per worker node, each allowed only its own keys): print them as etcdctl commands, or --apply them and turn etcd's authentication on",
    )
    .option('--namespace <prefix>', 'the cluster’s STRATUS_NAMESPACE', 'stratus')
    .option('--node-id <id>', 'a worker node’s STRATUS_NODE_ID; repeatable or comma-separated', nodeIdList, [])
    .option('--password-dir <dir>', 'where each user’s password is kept, as <user>.password (missing ones are made, mode 0600)', 'etcd-auth')
    .option('--apply', "apply to the etcd at --etcd (idempotent: run again to add nodes), instead of printing")
    .option('--etcd <urls>', 'etcd client URLs, comma-separated, for --apply')
    .option('--json', 'with --apply, print what was done as JSON')
    .action(async (options: EtcdAuthOptions) => {
      const ns = namespaceOption(options.namespace);
      const passwordDir = resolve(ctx.cwd, options.passwordDir);
      // Loaded here: only this command and `keys bootstrap` talk to etcd.
      const { applyEtcdAuthFromDir, etcdAuthPlan, etcdPasswordFile, etcdUserNames, etcdctlScript } = await import('@stratus/local-cluster');
      const plan = etcdAuthPlan(ns, { nodeIds: options.nodeId });
      if (options.apply !== true) {
        ctx.stdout.write(etcdctlScript(plan, { passwordFile: (user) => etcdPasswordFile(passwordDir, user) }));
        return;
      }
      const endpoints = (options.etcd ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
      if (endpoints.length === 0) throw usageError('--apply needs --etcd <urls>');
      const result = await applyEtcdAuthFromDir({ endpoints, ns, nodeIds: options.nodeId, passwordDir, plan });
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

function namespaceOption(prefix: string): Namespace {
  try {
    return createNamespace(prefix);
  } catch (err) {
    throw usageError(`--namespace: ${(err as Error).message}`, err);
  }
}
