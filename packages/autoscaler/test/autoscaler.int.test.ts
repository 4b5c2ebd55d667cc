import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace, encodeJson, type Namespace, type NodeHeartbeat, type NodeRecord } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { randomNamespacePrefix, startEtcd, startNats, type TestEtcd, type TestNats } from '@stratus/testing';
import { Autoscaler, type AutoscalerOptions, type NodeProvider } from '../src/index.js';

const MAX_IN_FLIGHT = 10;
const HEARTBEAT_MS = 100;

let nats: TestNats;
let etcdServer: TestEtcd;
let nc: NatsConnection;
let etcd: Etcd3;
beforeAll(async () => {
  [nats, etcdServer] = await Promise.all([startNats({ jetStream: false }), startEtcd()]);
  nc = await connect({ servers: nats.url });
  etcd = createEtcdClient({ endpoints: [etcdServer.endpoint] });
});
afterAll(async () => {
  await nc?.close();
  etcd?.close();
  await Promise.all([nats?.stop(), etcdServer?.stop()]);
});

/**
 * Stands in for worker nodes: registers them in etcd and publishes their
 * heartbeats with whatever in-flight count the test sets.
 */
class FakeNodes implements NodeProvider {
  readonly inFlight = new Map<string, number>();
  readonly calls: string[] = [];
  addDelayMs = 0;
  running = 0;
  maxRunning = 0;
  readonly #ns: Namespace;
  #seq = 0;
  #next = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(ns: Namespace) {
    this.#ns = ns;
    this.#timer = setInterval(() => this.#beat(), HEARTBEAT_MS);
  }

  async nodes(): Promise<readonly string[]> {
    return [...this.inFlight.keys()];
  }

  async addNode(): Promise<string> {
    return this.#action('add', async () => {
      await new Promise((resolve) => setTimeout(resolve, this.addDelayMs));
      this.#next += 1;
      const nodeId = `node-${this.#next}`;
      const record: NodeRecord = {
        nodeId,
        host: 'test',
        pid: 1,
        memoryBudgetMb: 1024,
        maxInFlight: MAX_IN_FLIGHT,
        registeredAtMs: Date.now() + this.#next,
        version: 'test',
      };
      await etcd.put(this.#ns.keys.node(nodeId)).value(JSON.stringify(record));
      this.inFlight.set(nodeId, 0);
      return nodeId;
    });
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.#action(`remove ${nodeId}`, async () => {
      await etcd.delete().key(this.#ns.keys.node(nodeId));
      this.inFlight.delete(nodeId);
    });
  }

  setLoad(nodeId: string, inFlight: number): void {
    this.inFlight.set(nodeId, inFlight);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #action<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.calls.push(name);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await run();
    } finally {
      this.running -= 1;
    }
  }

  #beat(): void {
    for (const [nodeId, inFlight] of this.inFlight) {
      const heartbeat: NodeHeartbeat = { nodeId, atMs: Date.now(), state: 'running', inFlight, memoryUsedMb: 0, warmIsolates: 0, functions: [], natsReconnects: 0, seq: this.#seq++ };
      nc.publish(this.#ns.subjects.nodeHeartbeat(nodeId), encodeJson(heartbeat));
    }
  }
}

async function eventually(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let fake: FakeNodes | undefined;
let scaler: Autoscaler | undefined;
afterEach(async () => {
  await scaler?.close();
  fake?.stop();
  scaler = undefined;
  fake = undefined;
});

async function start(options: Partial<AutoscalerOptions> = {}): Promise<{ fake: FakeNodes; scaler: Autoscaler }> {
  const ns = createNamespace(randomNamespacePrefix());
  fake = new FakeNodes(ns);
  await fake.addNode();
  fake.calls.length = 0;
  scaler = await Autoscaler.create({
    provider: fake,
    etcd,
    nc,
    ns,
    log: pino({ level: 'silent' }),
    minNodes: 1,
    maxNodes: 3,
    targetUtilization: 0.5,
    stableWindowMs: 1_000,
    panicWindowMs: 200,
    scaleDownDelayMs: 300,
    tickMs: 50,
    ...options,
  });
  return { fake, scaler };
}

describe('Autoscaler', () => {
  it('adds a node when in-flight passes the target and removes the idlest once load falls', async () => {
    const { fake, scaler } = await start();
    // 8 in flight at 5 per node (10 × 50 %): two nodes.
    fake.setLoad('node-1', 8);
    await eventually(() => fake.inFlight.size === 2, 'a second node');
    expect(fake.calls).toEqual(['add']);
    await eventually(() => scaler.state.currentNodes === 2, 'a decision that counts the new node');
    expect(scaler.state).toMatchObject({ currentNodes: 2, desiredNodes: 2 });
    expect(scaler.state.reason).toMatch(/needs 1\.[0-9]+ nodes at 5 each/);

    // The load moves to the new node and falls: the older, idle node goes, not the one still working.
    fake.setLoad('node-1', 0);
    fake.setLoad('node-2', 2);
    await eventually(() => fake.inFlight.size === 1, 'back to one node');
    expect(fake.calls).toEqual(['add', 'remove node-1']);
    await eventually(() => scaler.state.currentNodes === 1, 'a decision after the removal');
    expect(scaler.state).toMatchObject({ currentNodes: 1, desiredNodes: 1, panic: false });
  });

  it('never runs two actions at once, and close() waits for the one under way', async () => {
    // A panic window of one tick: the first sample that sees the load decides.
    const { fake, scaler } = await start({ panicWindowMs: 50, maxNodes: 5 });
    fake.addDelayMs = 1_000;
    // 30 in flight: panic, 5 nodes wanted; ticks keep coming while the adds run.
    fake.setLoad('node-1', 30);
    await eventually(() => fake.running > 0, 'an add to start');
    // On a loaded machine a tick may land late and average in an earlier sample, so the
    // panic decision can want fewer than 5 nodes; what matters is that it is one batch.
    expect(scaler.state).toMatchObject({ panic: true, action: 'adding' });
    const desired = scaler.state.desiredNodes;
    expect(desired).toBeGreaterThanOrEqual(2);
    expect(desired).toBeLessThanOrEqual(5);
    await scaler.close();
    // The adds of one action, all finished when close() resolved, and nothing after it.
    expect(fake.calls).toEqual(Array.from({ length: desired - 1 }, () => 'add'));
    expect(fake.running).toBe(0);
    expect(fake.inFlight.size).toBe(desired);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls).toHaveLength(desired - 1);
    // One batch at a time: the batch's adds ran together, no second batch overlapped them.
    expect(fake.maxRunning).toBe(desired - 1);
  });
});
