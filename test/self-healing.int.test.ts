import { afterEach, describe, expect, it } from 'vitest';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { errorCode } from '@stratus/loadgen';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// Each fault gets a fresh cluster: a killed server must not leave the next case a cluster that is still recovering.
let cluster: TestCluster | undefined;
const clients: StratusClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await cluster?.stop();
  cluster = undefined;
});

/** Calls that failed with one of these may have run (and been billed); any other failure never reached a handler. */
const MAY_HAVE_RUN = new Set(['INVOCATION_LOST', 'INVOCATION_TIMEOUT', 'UNAVAILABLE']);
/** Service must be back this long after the kill, without anyone acting. */
const RECOVERY_BOUND_MS = 20_000;
const LOOPS = 4;

interface CallRecord {
  readonly startMs: number;
  readonly endMs: number;
  /** 'ok', or the error code. */
  readonly outcome: string;
}

/** A light steady load: LOOPS callers, each invoking again as soon as its last call ended. */
function steadyLoad(client: StratusClient, functionName: string) {
  const calls: CallRecord[] = [];
  let running = true;
  const loops = Array.from({ length: LOOPS }, async () => {
    while (running) {
      const startMs = Date.now();
      let outcome = 'ok';
      try {
        const result = await client.invoke({ functionName, payload: '{}' });
        if (result.payloadText !== '"ok"') outcome = `WRONG_RESULT ${result.payloadText}`;
      } catch (err) {
        outcome = errorCode(err);
        // A refused connection fails at once; do not spin on it.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      calls.push({ startMs, endMs: Date.now(), outcome });
    }
  });
  return {
    calls,
    async stop(): Promise<void> {
      running = false;
      await Promise.all(loops);
    },
  };
}

type Fault = 'nats-server' | 'etcd' | 'frontend' | 'node' | 'billing';

function victim(c: TestCluster, fault: Fault): { readonly name: string; readonly pid: number } {
  const { processes } = c;
  switch (fault) {
    case 'nats-server':
      return { name: 'nats-server', pid: processes.natsServer?.pid ?? -1 };
    case 'etcd':
      return { name: 'etcd', pid: processes.etcd?.pid ?? -1 };
    case 'frontend':
      return { name: 'frontend', pid: processes.frontends[0]?.pid ?? -1 };
    case 'node': {
      const node = processes.nodes[0];
      return { name: node?.nodeId ?? 'node-1', pid: node?.pid ?? -1 };
    }
    case 'billing':
      return { name: 'billing', pid: processes.billing.pid };
  }
}

describe('the local cluster heals itself under load', () => {
  it.each<Fault>(['nats-server', 'etcd', 'frontend', 'node', 'billing'])(
    'serves again after %s is SIGKILLed, on the same port, with its functions and exact billing',
    async (fault) => {
      const c = await startTestCluster({ nodes: 2 });
      cluster = c;
      await c.client.createFunction({ functionName: 'steady', zipFile: indexJs(`exports.handler = async () => 'ok';`) });
      await c.client.createFunction({ functionName: 'deployed-before', zipFile: indexJs(`exports.handler = async () => 'still here';`) });
      // Its own client, whose deadline ends calls that hang while something is down.
      const client = createStratusClient({ endpoint: c.grpcAddress, apiKey: c.apiKey, deadlineMs: 20_000 });
      clients.push(client);
      const before = {
        natsUrl: c.natsUrl,
        etcdEndpoints: c.etcdEndpoints,
        grpcAddress: c.frontends[0]?.grpcAddress,
        nodeIds: c.nodes.map((n) => n.nodeId),
      };

      const load = steadyLoad(client, 'steady');
      try {
        await eventually(async () => (load.calls.filter((call) => call.outcome === 'ok').length >= 20 ? true : undefined), 'the load to run');
        const target = victim(c, fault);
        const killedAt = Date.now();
        process.kill(target.pid, 'SIGKILL');
        await c.waitForRestarts(target.name, 1);
        const readyAt = Date.now();
        // Service is back when calls succeed again: wait for a run of successes that all started after the restart.
        await eventually(
          async () => (load.calls.filter((call) => call.startMs > readyAt && call.outcome === 'ok').length >= 20 ? true : undefined),
          `calls to succeed after ${target.name} restarted`,
          RECOVERY_BOUND_MS,
        );
        await load.stop();

        const calls = load.calls;
        const failed = calls.filter((call) => call.outcome !== 'ok');
        const lastFailureStart = Math.max(killedAt, ...failed.map((call) => call.startMs));
        const recoveredAt = Math.min(...calls.filter((call) => call.outcome === 'ok' && call.startMs >= lastFailureStart).map((call) => call.startMs));
        const failedByCode: Record<string, number> = {};
        for (const call of failed) failedByCode[call.outcome] = (failedByCode[call.outcome] ?? 0) + 1;
        const succeeded = calls.length - failed.length;
        const mayHaveRun = failed.filter((call) => MAY_HAVE_RUN.has(call.outcome)).length;

        // Nobody acted, and service came back within the bound: every call that started later succeeded.
        expect(recoveredAt - killedAt).toBeLessThan(RECOVERY_BOUND_MS);
        expect(failed.filter((call) => call.startMs > readyAt + RECOVERY_BOUND_MS)).toEqual([]);
        expect(Object.keys(failedByCode).filter((code) => code.startsWith('WRONG_RESULT'))).toEqual([]);
        expect(c.restarts[target.name]).toBe(1);

        // The same ports: the URLs the services were given, and the frontend's address, still serve.
        expect(c.natsUrl).toBe(before.natsUrl);
        expect(c.etcdEndpoints).toEqual(before.etcdEndpoints);
        expect(c.frontends[0]?.grpcAddress).toBe(before.grpcAddress);
        expect(c.nodes.map((n) => n.nodeId)).toEqual(before.nodeIds);
        const listed = await eventually(async () => {
          const nodes = await client.listNodes();
          return nodes.length === before.nodeIds.length ? nodes : undefined;
        }, 'every node, the restarted one too, to be registered');
        expect(listed.map((n) => n.nodeId).sort()).toEqual([...before.nodeIds].sort());
        // What was deployed before the fault is still there.
        expect((await client.invoke({ functionName: 'deployed-before' })).payloadText).toBe('"still here"');

        // Billing: every call that ran is counted once. Calls that failed before reaching a node cannot be billed;
        // those that failed with an outcome unknown to the client may have run, and then must be billed.
        const usage = await eventually(async () => {
          const fn = (await client.getUsage({ functionName: 'steady' })).functions.find((f) => f.functionName === 'steady');
          return fn !== undefined && fn.requests >= succeeded ? fn : undefined;
        }, `${succeeded} calls of steady to be billed`);
        // Give a double count the chance to show up before asserting.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const billed = (await client.getUsage({ functionName: 'steady' })).functions.find((f) => f.functionName === 'steady')?.requests ?? 0;
        expect(billed).toBeGreaterThanOrEqual(usage.requests);

        console.info(
          `self-healing ${fault}: ${calls.length} calls, ${succeeded} ok, failed ${JSON.stringify(failedByCode)}, ` +
            `restarted in ${((readyAt - killedAt) / 1000).toFixed(1)} s, recovered in ${(Math.max(0, recoveredAt - killedAt) / 1000).toFixed(1)} s, ` +
            `billed ${billed} (billed - succeeded = ${billed - succeeded}, failures that may have run ${mayHaveRun})`,
        );
        expect(billed).toBeGreaterThanOrEqual(succeeded);
        expect(billed).toBeLessThanOrEqual(succeeded + mayHaveRun);
      } finally {
        await load.stop();
      }
    },
    120_000,
  );
});
