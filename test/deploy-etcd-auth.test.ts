import { describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { etcdAuthPlan, etcdctlScript } from '@stratus/registry';

describe('deploy/etcd/etcd-auth.sh', () => {
  // `npx vitest run test/deploy-etcd-auth.test.ts -u` rewrites it after the plan changes.
  it('is the etcdctl script of the plan, for the nodes deploy/ describes', async () => {
    const script = etcdctlScript(etcdAuthPlan(createNamespace('stratus'), { nodeIds: ['worker-1', 'worker-2', 'worker-3'] }), {
      passwordFile: (user) => `/etc/stratus/etcd/${user}.password`,
    });
    await expect(script, 'deploy/etcd/etcd-auth.sh is stale: run this test with -u').toMatchFileSnapshot('../deploy/etcd/etcd-auth.sh');
  });
});
