import { describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { ETCD_ROOT_USER, etcdAuthPlan, etcdUserNames, etcdctlScript } from '../src/index.js';

const ns = createNamespace('stratus');
const names = etcdUserNames(ns);
const plan = etcdAuthPlan(ns, { nodeIds: ['worker-1', 'worker-10'] });
const role = (name: string) => plan.roles.find((r) => r.name === name);
const writable = (roleNames: readonly string[]) =>
  roleNames.flatMap((name) => role(name)?.permissions ?? []).filter((p) => p.permission !== 'Read');

describe('etcdAuthPlan', () => {
  it("lets a node write exactly its own registration key, not another node's that shares its prefix", () => {
    const user = plan.users.find((u) => u.name === names.node('worker-1'));
    expect(writable(user?.roles ?? [])).toEqual([{ permission: 'Readwrite', key: '/stratus/nodes/worker-1', prefix: false }]);
  });

  it('lets only frontends (and the admin user) write functions and API keys', () => {
    for (const user of plan.users) {
      const writes = writable(user.roles).filter((p) => ns.keys.function('x').startsWith(p.key) || ns.keys.apiKey('x').startsWith(p.key));
      expect(writes.length > 0, user.name).toBe(user.name === names.frontend || user.name === names.admin);
    }
  });

  it('gives billing no write at all', () => {
    expect(writable(plan.users.find((u) => u.name === names.billing)?.roles ?? [])).toEqual([]);
  });
});

describe('etcdctlScript', () => {
  const script = etcdctlScript(plan, { passwordFile: (user) => `/etc/stratus/etcd/${user}.password` });

  it('reads every password from its file on stdin, never from the command line', () => {
    for (const user of [ETCD_ROOT_USER, ...plan.users.map((u) => u.name)]) {
      expect(script).toContain(`etcdctl user add ${user} --interactive=false < /etc/stratus/etcd/${user}.password`);
    }
    expect(script).not.toMatch(/--new-user-password|user add \S+:/);
  });

  it('grants a node its key without --prefix, and enables auth last', () => {
    expect(script).toContain('etcdctl role grant-permission stratus-node-worker-1 readwrite /stratus/nodes/worker-1\n');
    expect(script.trimEnd().endsWith('etcdctl auth enable')).toBe(true);
  });
});
