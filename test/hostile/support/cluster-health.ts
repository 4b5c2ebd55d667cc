import { expect } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { isAlive, startTestCluster, type TestCluster, type TestClusterOptions } from '@stratus/testing';
import { indexJs } from '../../support/code.js';

/** The function every health check calls: it must keep answering whatever its neighbours do. */
export const HELLO = 'hostile-hello';

/**
 * How long hello may take after an attack. Generous on purpose: CI runs
 * several clusters on two cores, and a cold start there can take a second.
 * What it catches is a node that stopped serving or a stall of many seconds.
 */
export const HELLO_ANSWER_MS = 5_000;

/**
 * A heartbeat older than this means the node's main thread stopped (nodes
 * beat every second). Loose for the same reason as HELLO_ANSWER_MS.
 */
const HEARTBEAT_STALE_MS = 5_000;

/** A node's registration in etcd: a new lease or create revision means it dropped out and registered again. */
interface Registration {
  readonly createRevision: string;
  readonly lease: string;
}

interface Baseline {
  readonly pids: ReadonlyMap<string, number>;
  readonly registrations: ReadonlyMap<string, Registration>;
}

const baselines = new WeakMap<TestCluster, Baseline>();

/**
 * Starts a cluster for one hostile test file, deploys hello, and records what
 * a healthy cluster looks like (which nodes are registered, under which
 * lease), for expectClusterHealthy.
 */
export async function startHostileCluster(options: TestClusterOptions): Promise<TestCluster> {
  const cluster = await startTestCluster(options);
  try {
    await cluster.client.createFunction({
      functionName: HELLO,
      zipFile: indexJs(`exports.handler = async (event) => ({ hello: event.name ?? 'world' });`),
    });
    await expectHelloAnswers(cluster);
    const pids = new Map(cluster.nodes.map((node) => [node.nodeId, node.pid]));
    const registrations = await readRegistrations(cluster);
    expect([...registrations.keys()].sort()).toEqual([...pids.keys()].sort());
    baselines.set(cluster, { pids, registrations });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/**
 * Asserts the cluster came through an attack: every node that was there at
 * the start still runs, is still registered under the lease it started with
 * (none dropped out and re-registered, which is what a starved event loop
 * looks like), still sends heartbeats, and an unrelated function answers
 * within a normal time.
 */
export async function expectClusterHealthy(cluster: TestCluster): Promise<void> {
  const baseline = baselines.get(cluster);
  if (baseline === undefined) throw new Error('expectClusterHealthy needs a cluster from startHostileCluster');

  const pidsNow = new Map(cluster.nodes.map((node) => [node.nodeId, node.pid]));
  expect(pidsNow, 'the same node processes as at the start').toEqual(baseline.pids);
  for (const [nodeId, pid] of baseline.pids) expect(isAlive(pid), `node ${nodeId} (pid ${pid}) is running`).toBe(true);

  const registrations = await readRegistrations(cluster);
  expect(Object.fromEntries(registrations), 'every node registered under its original lease').toEqual(Object.fromEntries(baseline.registrations));

  const listed = await cluster.client.listNodes();
  const now = Date.now();
  for (const nodeId of baseline.pids.keys()) {
    const status = listed.find((node) => node.nodeId === nodeId);
    expect(status, `node ${nodeId} is listed`).toBeDefined();
    expect(status?.state, `node ${nodeId} is running`).toBe('running');
    expect(now - (status?.lastHeartbeatMs ?? 0), `node ${nodeId} heartbeat age in ms`).toBeLessThan(HEARTBEAT_STALE_MS);
  }

  await expectHelloAnswers(cluster);
}

async function expectHelloAnswers(cluster: TestCluster): Promise<void> {
  const started = performance.now();
  const result = await cluster.client.invoke({ functionName: HELLO, payload: '{"name":"neighbour"}' });
  const elapsedMs = performance.now() - started;
  expect(result.functionError).toBe('');
  expect(JSON.parse(result.payloadText)).toEqual({ hello: 'neighbour' });
  expect(elapsedMs, 'ms for hello to answer').toBeLessThan(HELLO_ANSWER_MS);
}

/** The nodes' keys as etcd holds them, read directly: the frontend's view would hide a drop-out that healed. */
async function readRegistrations(cluster: TestCluster): Promise<Map<string, Registration>> {
  const prefix = createNamespace(cluster.namespace).keys.nodesPrefix();
  const etcd = createEtcdClient({ endpoints: cluster.etcdEndpoints, auth: cluster.etcdCredentials });
  try {
    const response = await etcd.getAll().prefix(prefix).exec();
    return new Map(
      response.kvs.map((kv) => [kv.key.toString().slice(prefix.length), { createRevision: kv.create_revision, lease: kv.lease }]),
    );
  } finally {
    etcd.close();
  }
}
