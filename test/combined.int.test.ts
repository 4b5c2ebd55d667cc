import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode, type StratusError } from '@stratus/errors';
import type { InvokeResult } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { heartbeatsFrom, homedOn, type NatsCallWatch, watchNatsCalls } from './support/placement.js';

// node-1 is the frontend's own node (one combined process), node-2 a node of its own.
let cluster: TestCluster;
let watch: NatsCallWatch | undefined;
/** Calls each node received over NATS, counted from its own subject (see watchNatsCalls). */
let sentOverNats: Record<string, number> = {};
beforeAll(async () => {
  // Both nodes run on this machine, so the combined process would keep calls on node-1 while its cores are busy
  // (STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES, see combined-one-machine.int.test.ts): at 0 node-2 counts as another
  // machine's, as on a cluster, whatever else this machine runs meanwhile.
  cluster = await startTestCluster({ layout: 'combined', nodes: 2, env: { combined: { STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES: '0' } } });
  watch = await watchNatsCalls(cluster);
  sentOverNats = watch.sentOverNats;
  // Until the frontend has heard from both nodes, a node it has not is placed last, and cold starts would not go home.
  await heartbeatsFrom(cluster.client, 2);
}, 120_000);
afterAll(async () => {
  await watch?.close();
  await cluster?.stop();
});

async function localInvocations(functionName: string): Promise<number> {
  const address = cluster.frontends[0]?.metricsAddress;
  const text = await (await fetch(`http://${address}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`stratus_node_local_invocations_total{function="${functionName}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** A sample of a node's metrics, summed over its label sets when `labels` is left out. */
async function nodeMetric(nodeIndex: number, name: string, labels = ''): Promise<number> {
  const address = cluster.nodes[nodeIndex]?.metricsAddress;
  const text = await (await fetch(`http://${address}/metrics`)).text();
  const prefix = `${name}${labels}`;
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${prefix} `) || (labels === '' && l.startsWith(`${name}{`)))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

const ECHO = indexJs(`exports.handler = async (event) => { console.log('seen', event.n); return event.n; };`);
const WAIT = indexJs(`exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms ?? 300)); return 'done'; };`);

describe('the combined role', () => {
  it('lists the combined process as both a frontend and a node', () => {
    expect(cluster.nodes.map((n) => n.nodeId)).toEqual(['node-1', 'node-2']);
    expect(cluster.frontends.map((f) => f.name)).toEqual(['node-1']);
    expect(cluster.frontends[0]?.pid).toBe(cluster.nodes[0]?.pid);
  });

  it('runs a warm call in-process, without sending it over NATS, billed and logged as any other', async () => {
    const functionName = homedOn('local', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: ECHO, memorySizeMb: 256 });
    const cold = await cluster.client.invoke({ functionName, payload: '{"n":0}' });
    expect(cold).toMatchObject({ nodeId: 'node-1', coldStart: true });
    const before = { ...sentOverNats };
    const madeBefore = await nodeMetric(0, 'stratus_node_environments_created_total');
    expect(await nodeMetric(0, 'stratus_node_environments_created_total', '{reason="cold"}')).toBeGreaterThanOrEqual(1);
    const warm: InvokeResult[] = [];
    for (let n = 1; n <= 20; n += 1) warm.push(await cluster.client.invoke({ functionName, payload: JSON.stringify({ n }) }));
    // One call at a time on a warm environment: the node made none.
    expect(await nodeMetric(0, 'stratus_node_environments_created_total')).toBe(madeBefore);
    expect(warm.map((r) => r.payloadText)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    expect(warm.every((r) => r.nodeId === 'node-1' && !r.coldStart)).toBe(true);
    expect(sentOverNats).toEqual(before);
    expect(sentOverNats['node-1']).toBe(0);
    // The cold call too: placement chose this node, so it ran here.
    expect(await localInvocations(functionName)).toBe(21);

    const all = [cold, ...warm];
    const usage = await eventually(async () => {
      const fn = (await cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName);
      return fn && fn.requests >= all.length ? fn : undefined;
    }, 'every call billed');
    expect(usage.requests).toBe(all.length);
    expect(usage.billedMs).toBe(all.reduce((sum, r) => sum + r.billedDurationMs, 0));

    const logs = await eventually(async () => {
      const events = await cluster.client.getLogs({ functionName });
      return events.length >= all.length ? events : undefined;
    }, 'every call logged');
    expect(logs.map((e) => e.requestId)).toEqual(all.map((r) => r.requestId));
    logs.forEach((event, n) => {
      expect(event.nodeId).toBe('node-1');
      expect(event.message).toContain(`START RequestId: ${event.requestId}`);
      expect(event.message).toMatch(new RegExp(`\\t${event.requestId}\\tINFO\\tseen ${n}\\n`));
      expect(event.message).toContain(`END RequestId: ${event.requestId}`);
      expect(event.message).toContain(`REPORT RequestId: ${event.requestId}`);
    });
  });

  it('runs a cold call in-process when no node has the function warm, even one homed on another node, never sending itself a request', async () => {
    const functionName = homedOn('cold', 'node-2');
    await cluster.client.createFunction({ functionName, zipFile: ECHO });
    const before = { ...sentOverNats };
    const result = await cluster.client.invoke({ functionName, payload: '{"n":1}' });
    expect(result).toMatchObject({ nodeId: 'node-1', coldStart: true, payloadText: '1' });
    expect(sentOverNats).toEqual(before);
    expect(await localInvocations(functionName)).toBe(1);
  });

  it('runs a call in-process while its local environment is busy, starting another there rather than on a node without one', async () => {
    const functionName = homedOn('busy', 'node-2');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    await cluster.client.invoke({ functionName, payload: '{"ms":1}' });
    const before = { ...sentOverNats };
    const long = cluster.client.invoke({ functionName, payload: '{"ms":1000}' });
    await eventually(async () => ((await localInvocations(functionName)) === 2 ? true : undefined), 'the long call running locally');
    const second = await cluster.client.invoke({ functionName, payload: '{"ms":1}' });
    expect(second).toMatchObject({ nodeId: 'node-1', coldStart: true, payloadText: '"done"' });
    expect((await long).nodeId).toBe('node-1');
    expect(sentOverNats).toEqual(before);
    expect(await localInvocations(functionName)).toBe(3);
  });

  it('keeps a warm function\'s calls at moderate concurrency in-process, waiting for its busy environments rather than going over NATS, none lost, throttled or billed twice', async () => {
    const functionName = homedOn('moderate', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: indexJs(`exports.handler = async (event) => event.n;`) });
    // Warm, one call at a time: the node learns how long a call holds its environment.
    const warmUp: InvokeResult[] = [];
    for (let n = 0; n < 5; n += 1) warmUp.push(await cluster.client.invoke({ functionName, payload: JSON.stringify({ n }) }));
    expect(warmUp.every((r) => r.nodeId === 'node-1')).toBe(true);
    const before = { ...sentOverNats };
    const locallyBefore = await localInvocations(functionName);
    // 8 callers × 40 calls: more calls at once than environments, so most find none idle; the old rule sent those to node-2.
    const callers = 8;
    const perCaller = 40;
    const results = await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        const mine: Array<InvokeResult | StratusError> = [];
        for (let i = 0; i < perCaller; i += 1) {
          const n = caller * perCaller + i;
          mine.push(await cluster.client.invoke({ functionName, payload: JSON.stringify({ n }) }).catch((err: unknown) => err as StratusError));
        }
        return mine;
      }),
    );
    const all = results.flat();
    const failed = all.filter((r): r is StratusError => r instanceof Error);
    expect(failed.map((err) => `${err.code}: ${err.message}`)).toEqual([]);
    const succeeded = all as InvokeResult[];
    expect(succeeded.map((r) => r.payloadText)).toEqual(Array.from({ length: callers * perCaller }, (_, n) => String(n)));
    expect(succeeded.map((r) => r.nodeId).filter((nodeId) => nodeId !== 'node-1')).toEqual([]);
    expect(sentOverNats).toEqual(before);
    expect((await localInvocations(functionName)) - locallyBefore).toBe(callers * perCaller);

    const billed = [...warmUp, ...succeeded];
    const usage = await eventually(async () => {
      const fn = (await cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName);
      return fn && fn.requests >= billed.length ? fn : undefined;
    }, 'every call billed');
    // Exactly once each: a call that waited in-process for an environment is billed like any other.
    expect(usage.requests).toBe(billed.length);
    expect(usage.billedMs).toBe(billed.reduce((sum, r) => sum + r.billedDurationMs, 0));
  });

  it('spreads a concurrent load onto the other node over NATS (bounded load), and never sends a request to itself', async () => {
    const functionName = homedOn('spread', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    const before = { ...sentOverNats };
    const results = await Promise.all(Array.from({ length: 12 }, () => cluster.client.invoke({ functionName, payload: '{"ms":300}' })));
    const onNode2 = results.filter((r) => r.nodeId === 'node-2').length;
    expect(onNode2).toBeGreaterThan(0);
    expect(results.length - onNode2).toBeGreaterThan(0);
    expect(sentOverNats['node-1']).toBe(before['node-1']);
    expect((sentOverNats['node-2'] ?? 0) - (before['node-2'] ?? 0)).toBe(onNode2);
    expect(await localInvocations(functionName)).toBe(results.length - onNode2);
  });

  it('holds a function to its reserved concurrency on calls run in-process', async () => {
    const functionName = homedOn('reserved', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    await cluster.client.putFunctionConcurrency(functionName, 4);
    // Warm environments, so calls run in-process at once.
    await Promise.all(Array.from({ length: 4 }, () => cluster.client.invoke({ functionName, payload: '{"ms":200}' })));
    let peak = 0;
    let done = false;
    const burst = Promise.all(
      Array.from({ length: 40 }, () => cluster.client.invoke({ functionName, payload: '{"ms":300}' }).catch((err: unknown) => err as StratusError)),
    ).finally(() => (done = true));
    while (!done) {
      const account = await cluster.client.getAccountConcurrency();
      peak = Math.max(peak, account.functions.find((f) => f.functionName === functionName)?.inFlight ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await burst;
    const throttled = results.filter((r) => hasCode(r, 'THROTTLED')) as StratusError[];
    const succeeded = results.filter((r): r is InvokeResult => !(r instanceof Error));
    expect(throttled.length + succeeded.length).toBe(40);
    expect(succeeded.length).toBeGreaterThanOrEqual(4);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((t) => t.details['reason'] === 'ReservedFunctionConcurrentInvocationLimitExceeded')).toBe(true);
    expect(peak).toBeLessThanOrEqual(4);
    // Wherever the admitted calls ran (on a busy machine this node's heartbeat can go stale, and placement then passes it over), none was sent over NATS to this process.
    expect(sentOverNats['node-1']).toBe(0);
  });
});
