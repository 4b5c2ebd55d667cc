import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeConfig } from '@stratus/worker-node/config';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

/** Each node runs at most this many invocations at once. */
const NODE_MAX_IN_FLIGHT = 8;
/**
 * Callers, each with one call outstanding at a time: never more than one
 * node can take, so nothing has to be refused while the scaler reacts.
 */
const CALLERS = 7;
/**
 * The nodes see fewer than CALLERS in flight (each call also spends time in
 * the client, the frontend and NATS, more so on a busy machine); at 50 % a
 * node is planned to carry 4, so the load reads as 1.25 to 1.75 nodes: two,
 * and clearly not one once they are both up.
 */
const TARGET_UTILIZATION = 0.5;

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({
    nodes: 1,
    env: { node: { [nodeConfig.env.maxInFlight]: String(NODE_MAX_IN_FLIGHT) } },
    // Windows far shorter than the defaults (60 s, 6 s, 30 s) to keep the test short.
    autoscale: {
      minNodes: 1,
      maxNodes: 2,
      targetUtilization: TARGET_UTILIZATION,
      stableWindowMs: 4_000,
      panicWindowMs: 1_000,
      scaleDownDelayMs: 2_000,
      tickMs: 500,
    },
  });
});
afterAll(async () => {
  await cluster?.stop();
});

interface Load {
  readonly failures: unknown[];
  succeeded: number;
  stop(): Promise<void>;
}

let load: Load | undefined;
afterEach(async () => {
  await load?.stop();
});

function startLoad(functionName: string): Load {
  let stopping = false;
  const state: Load = {
    failures: [],
    succeeded: 0,
    stop: async () => {
      stopping = true;
      await Promise.all(callers);
    },
  };
  const callers = Array.from({ length: CALLERS }, async () => {
    while (!stopping) {
      try {
        const result = await cluster.client.invoke({ functionName, payload: '{}' });
        if (result.functionError) state.failures.push(result.payloadText);
        else state.succeeded += 1;
      } catch (err) {
        state.failures.push(err);
      }
    }
  });
  return state;
}

async function registeredNodes(): Promise<string[]> {
  return (await cluster.client.listNodes()).map((node) => node.nodeId).sort();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('node autoscaling with the process provider', () => {
  it('adds a node under sustained load and removes it after the load stops, with no failed calls', async () => {
    await cluster.client.createFunction({
      functionName: 'slow',
      zipFile: indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return { ok: true }; };`),
    });
    expect(await registeredNodes()).toHaveLength(1);

    load = startLoad('slow');
    const scaledUp = await eventually(async () => {
      const nodes = await registeredNodes();
      return nodes.length === 2 ? nodes : undefined;
    }, 'a second node under load');
    expect(scaledUp).toHaveLength(2);
    // Keep the load on both nodes for a while: the new node takes work, nothing fails.
    await sleep(3_000);
    await load.stop();

    const scaledDown = await eventually(
      async () => {
        const nodes = await registeredNodes();
        return nodes.length === 1 ? nodes : undefined;
      },
      'the cluster back at one node',
      30_000,
    );
    // The drained node's process is gone too, not just its registration.
    await eventually(async () => (cluster.nodes.length === 1 ? true : undefined), 'the removed node process to exit');
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(scaledDown);

    expect(load.failures).toEqual([]);
    expect(load.succeeded).toBeGreaterThan(CALLERS);
  }, 90_000);
});
