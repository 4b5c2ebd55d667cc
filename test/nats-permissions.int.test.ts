import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  decodeInvokeReply,
  encodeInvokeRequest,
  encodeJson,
  invocationTargetOf,
  natsInboxPrefix,
  natsObjectBucket,
  type Namespace,
  type UsageRecord,
} from '@stratus/contracts';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { createObjectsClient } from '@stratus/client';
import { encodeUsageBatch, usageBatchHeaders } from '@stratus/usage';
import { eventually, indexJs } from './support/code.js';

// The local cluster gives each role, and each node, a NATS user of its own:
// these tests connect as one of them and try what only another may do.
let cluster: TestCluster;
let ns: Namespace;
let passwords: Record<string, string>;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
  ns = createNamespace(cluster.namespace);
  passwords = (JSON.parse(await readFile(join(cluster.dataDir, 'nats-users.json'), 'utf8')) as { passwords: Record<string, string> }).passwords;
});
afterAll(async () => {
  await Promise.allSettled(connections.map((nc) => nc.close()));
  await cluster?.stop();
});

async function connectAs(user: string, inboxPrefix: string): Promise<NatsConnection> {
  const password = passwords[user];
  if (password === undefined) throw new Error(`no NATS user ${user}`);
  const nc = await connect({ servers: cluster.natsUrl, user, pass: password, inboxPrefix, maxReconnectAttempts: 0 });
  connections.push(nc);
  return nc;
}

function forgedRecord(nodeId: string, functionName: string): UsageRecord {
  return {
    requestId: `forged-${Math.random().toString(36).slice(2)}`,
    functionName,
    functionVersion: '$LATEST',
    nodeId,
    startTimeMs: Date.now(),
    durationMs: 1e9,
    billedMs: 1e9,
    initMs: 0,
    memoryMb: 10_240,
    maxMemoryUsedMb: 1,
    cpuMs: 1,
    queuedMs: 0,
    outcome: 'success',
    cold: false,
  };
}

/** Publishes a usage record through JetStream; resolves to the stream sequence, or the error. */
async function publishUsage(nc: NatsConnection, subject: string, record: UsageRecord): Promise<number | Error> {
  try {
    const ack = await nc.jetstream({ timeout: 2_000 }).publish(subject, encodeJson(record), { msgID: record.requestId });
    return ack.seq;
  } catch (err) {
    return err as Error;
  }
}

/** Publishes records as one batch, the way nodes do; the ack's sequence, or the error. */
async function publishUsageBatch(nc: NatsConnection, subject: string, records: UsageRecord[]): Promise<number | Error> {
  const publisherId = `forger.${Math.random().toString(36).slice(2)}`;
  try {
    const ack = await nc.jetstream({ timeout: 2_000 }).publish(subject, encodeUsageBatch(records), { msgID: `${publisherId}.1`, headers: usageBatchHeaders(publisherId, 1) });
    return ack.seq;
  } catch (err) {
    return err as Error;
  }
}

describe('NATS users and subject permissions', () => {
  it('keeps the credentials file readable by its owner only', async () => {
    expect((await stat(join(cluster.dataDir, 'nats-users.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a client without credentials', async () => {
    await expect(connect({ servers: cluster.natsUrl, maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
  });

  it('serves invocations and bills them with the services on their own users', async () => {
    await cluster.client.createFunction({ functionName: 'permitted', zipFile: indexJs(`exports.handler = async () => 'ok';`) });
    const result = await cluster.client.invoke({ functionName: 'permitted', payload: '{}' });
    expect(JSON.parse(result.payloadText)).toBe('ok');
    const billed = await eventually(async () => {
      const usage = await cluster.client.getUsage({ functionName: 'permitted' });
      return usage.functions.find((f) => f.requests >= 1);
    }, 'the invocation to be billed');
    expect(billed.billedMs).toBe(result.billedDurationMs);
  });

  it('keeps Invoke client tokens in their bucket under the frontend user', async () => {
    await cluster.client.createFunction({ functionName: 'tokened', zipFile: indexJs(`exports.handler = async () => Math.random();`) });
    const first = await cluster.client.invoke({ functionName: 'tokened', payload: '{}', clientToken: 'same-call' });
    const retry = await cluster.client.invoke({ functionName: 'tokened', payload: '{}', clientToken: 'same-call' });
    expect(JSON.parse(retry.payloadText)).toBe(JSON.parse(first.payloadText));
  });

  it('lets a node publish usage under its own id only', async () => {
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('two nodes expected');
    const nc = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    // The control: its own subject is accepted, so a refusal below is the permission, not the test.
    expect(await publishUsage(nc, ns.subjects.usageRecord(first.nodeId, 'ghost'), forgedRecord(first.nodeId, 'ghost'))).toEqual(expect.any(Number));
    const forged = await publishUsage(nc, ns.subjects.usageRecord(second.nodeId, 'ghost'), forgedRecord(second.nodeId, 'ghost'));
    expect(forged).toBeInstanceOf(Error);
    expect(await publishUsageBatch(nc, ns.subjects.usageBatch(first.nodeId), [forgedRecord(first.nodeId, 'ghost')])).toEqual(expect.any(Number));
    expect(await publishUsageBatch(nc, ns.subjects.usageBatch(second.nodeId), [forgedRecord(second.nodeId, 'ghost')])).toBeInstanceOf(Error);
  });

  it('does not bill a record for a function that does not exist, nor one naming another node than its publisher', async () => {
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('two nodes expected');
    await cluster.client.createFunction({ functionName: 'real', zipFile: indexJs(`exports.handler = async () => 1;`) });
    const nc = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    expect(await publishUsage(nc, ns.subjects.usageRecord(first.nodeId, 'nonexistent'), forgedRecord(first.nodeId, 'nonexistent'))).toEqual(expect.any(Number));
    expect(await publishUsage(nc, ns.subjects.usageRecord(first.nodeId, 'real'), forgedRecord(second.nodeId, 'real'))).toEqual(expect.any(Number));
    // The same inside a batch on its own subject: each record is checked.
    const batch = [forgedRecord(first.nodeId, 'nonexistent'), forgedRecord(second.nodeId, 'real')];
    expect(await publishUsageBatch(nc, ns.subjects.usageBatch(first.nodeId), batch)).toEqual(expect.any(Number));
    // Records are applied in stream order: once a later, real call is billed, the forged ones were seen.
    const result = await cluster.client.invoke({ functionName: 'real', payload: '{}' });
    const real = await eventually(async () => {
      const usage = await cluster.client.getUsage({ functionName: 'real' });
      return usage.functions.find((f) => f.requests >= 1);
    }, 'the real call to be billed');
    expect(real.requests).toBe(1);
    expect(real.billedMs).toBe(result.billedDurationMs);
    const ghost = await cluster.client.getUsage({ functionName: 'nonexistent' });
    expect(ghost.functions.reduce((sum, f) => sum + f.requests, 0)).toBe(0);
  });

  it('does not let a node send invocations to another node or take its invocations', async () => {
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('two nodes expected');
    const nc = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    await expect(nc.request(ns.subjects.nodeInvoke(second.nodeId), encodeJson({}), { timeout: 2_000 })).rejects.toThrow(/permission/i);
    const refused = new Promise<Error | null>((resolve) => {
      nc.subscribe(ns.subjects.nodeInvoke(second.nodeId), { callback: (err) => resolve(err) });
    });
    expect(await refused).toEqual(expect.objectContaining({ message: expect.stringMatching(/permission/i) }));
  });

  it('a node refuses junk and forged targets on its invocation subject with a reply naming the problem, and keeps serving', async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    await cluster.client.createFunction({ functionName: 'after-junk', zipFile: indexJs(`exports.handler = async (e) => e;`) });
    // Frontends may send invocations: a compromised or buggy one sends whatever it likes.
    const nc = await connectAs('frontend', natsInboxPrefix(ns, 'frontend'));
    const ask = async (body: Uint8Array): Promise<unknown> => decodeInvokeReply((await nc.request(ns.subjects.nodeInvoke(first.nodeId), body, { timeout: 5_000 })).data);
    const refusedAs = (message: RegExp): unknown => expect.objectContaining({ ok: false, started: true, error: expect.objectContaining({ message: expect.stringMatching(message) as unknown }) as unknown });
    expect(await ask(new Uint8Array())).toEqual(refusedAs(/malformed invocation request: 0 bytes/));
    expect(await ask(encodeJson({ requestId: 'x', target: {}, payload: '{}', tailLogs: false }))).toEqual(refusedAs(/not a Stratus invocation message/));
    expect(await ask(Buffer.concat([Buffer.from([0x53, 1, 0x51, 2]), Buffer.alloc(33, 0x41), Buffer.from([0xff, 0xff, 0xff, 0xff])]))).toEqual(refusedAs(/request id|target/));
    const target = invocationTargetOf({ name: 'after-junk', version: '$LATEST', codeSha256: 'e'.repeat(64), handler: 'index.handler', memoryMb: 128, timeoutSec: 3, ephemeralStorageMb: 512, environment: {}, egress: { mode: 'public', allow: [] }, logging: { logFormat: 'Text' } });
    const call = { requestId: `junk-${Math.random().toString(36).slice(2)}`, target, payload: Buffer.from('{}'), tailLogs: false };
    // An unknown digest alone is a request for the target, not a call; a target that does not hash to the digest it claims is refused.
    expect(await ask(encodeInvokeRequest(call, false))).toEqual({ ok: false, targetWanted: true });
    const forged = Buffer.from(encodeInvokeRequest(call, true));
    forged.write('f'.repeat(64), 4, 32, 'hex');
    expect(await ask(forged)).toEqual(refusedAs(/invalid invocation target: its bytes hash to/));
    const result = await cluster.client.invoke({ functionName: 'after-junk', payload: '{"still":"serving"}' });
    expect(JSON.parse(result.payloadText)).toEqual({ still: 'serving' });
  });

  it('lets a node stream a response to a frontend, and a frontend listen on response streams and nothing wider', async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    const frontend = await connectAs('frontend', natsInboxPrefix(ns, 'frontend'));
    const node = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    const received = new Promise<string>((resolve) => {
      frontend.subscribe(ns.subjects.frontendResponseStreams('f1'), { callback: (_err, msg) => resolve(msg.subject) });
    });
    await frontend.flush();
    node.publish(ns.subjects.responseStream('f1', '7'), Buffer.from('chunk'));
    expect(await received).toBe(ns.subjects.responseStream('f1', '7'));
    // Everything under the stream prefix is wider than any one call's subject: refused.
    const refused = new Promise<Error | null>((resolve) => {
      frontend.subscribe(`${ns.prefix}.stream.>`, { callback: (err) => resolve(err) });
    });
    expect(await refused).toEqual(expect.objectContaining({ message: expect.stringMatching(/permission/i) }));
  });

  it('does not let a frontend publish usage', async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    const nc = await connectAs('frontend', natsInboxPrefix(ns, 'frontend'));
    expect(await publishUsage(nc, ns.subjects.usageRecord(first.nodeId, 'permitted'), forgedRecord(first.nodeId, 'permitted'))).toBeInstanceOf(Error);
  });

  it("lets a frontend manage users' buckets but never delete the cluster's streams or touch the usage stream", async () => {
    const objects = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: false });
    try {
      await objects.createBucket('frontend-managed');
    } finally {
      await objects.close();
    }
    const nc = await connectAs('frontend', natsInboxPrefix(ns, 'frontend'));
    const jsm = await nc.jetstreamManager({ timeout: 2_000 });
    // What users' buckets need: any stream by name.
    expect((await jsm.streams.info(`OBJ_${natsObjectBucket(ns.prefix, 'frontend-managed')}`)).config.name).toContain('frontend-managed');
    // The cluster's own: not deleted, purged or read where billing's evidence is concerned.
    for (const stream of [ns.streams.usage, ns.streams.logs, ns.streams.async, `OBJ_${ns.buckets.code}`, `KV_${ns.buckets.asyncStatus}`]) {
      await expect(jsm.streams.delete(stream), stream).rejects.toThrow();
    }
    await expect(jsm.streams.purge(ns.streams.usage)).rejects.toThrow();
    await expect(jsm.streams.purge(ns.streams.logs)).rejects.toThrow();
    await expect(jsm.streams.deleteMessage(ns.streams.usage, 1)).rejects.toThrow();
    await expect(jsm.streams.info(ns.streams.usage)).rejects.toThrow();
    await expect(jsm.consumers.add(ns.streams.usage, { durable_name: 'peek' })).rejects.toThrow();
    await expect(jsm.streams.update(ns.streams.usage, { max_age: 1 })).rejects.toThrow();
    // The streams are still there and billing still counts.
    await cluster.client.createFunction({ functionName: 'after-guard', zipFile: indexJs('exports.handler = async () => 1;') });
    await cluster.client.invoke({ functionName: 'after-guard' });
    await eventually(async () => ((await cluster.client.getUsage({ functionName: 'after-guard' })).functions[0]?.requests === 1 ? true : undefined), 'the call to be billed');
  });

  it('lets only frontends queue asynchronous invocations, read their state or publish to destinations', async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    // A frontend opens the async streams and bucket when it starts; the Event call proves they exist.
    await cluster.client.createFunction({ functionName: 'async-permitted', zipFile: indexJs('exports.handler = async () => 1;') });
    expect((await cluster.client.invoke({ functionName: 'async-permitted', invocationType: 'EVENT' })).statusCode).toBe(202);
    const node = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    const billing = await connectAs('billing', natsInboxPrefix(ns, 'billing'));
    for (const nc of [node, billing]) {
      const js = nc.jetstream({ timeout: 2_000 });
      // Neither may inject an event (one that would run a function), fake a dead letter, or rewrite an event's state.
      await expect(js.publish(ns.subjects.asyncEvent('async-permitted'), encodeJson({}), { msgID: `forged-${Math.random()}` })).rejects.toThrow();
      await expect(js.publish(ns.subjects.deadLetter('async-permitted'), encodeJson({}))).rejects.toThrow();
      await expect(js.publish(`$KV.${ns.buckets.asyncStatus}.forged`, encodeJson({ state: 'succeeded' }))).rejects.toThrow();
      await expect(js.publish(ns.subjects.destination('orders'), encodeJson({}))).rejects.toThrow();
    }
  });

  it('lets only frontends write objects, their infos (what notifications invoke functions from) or bucket notifications', async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    const objects = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: false });
    try {
      await objects.createBucket('permitted-bucket');
      await objects.putObject({ bucket: 'permitted-bucket', key: 'k', body: Buffer.from('v') });
    } finally {
      await objects.close();
    }
    const natsBucket = natsObjectBucket(ns.prefix, 'permitted-bucket');
    const node = await connectAs(`node-user-${first.nodeId}`, natsInboxPrefix(ns, 'node', first.nodeId));
    const billing = await connectAs('billing', natsInboxPrefix(ns, 'billing'));
    for (const nc of [node, billing]) {
      const js = nc.jetstream({ timeout: 2_000 });
      await expect(js.publish(`$O.${natsBucket}.M.${Buffer.from('forged').toString('base64')}`, encodeJson({ name: 'forged' }))).rejects.toThrow();
      await expect(js.publish(`$O.${natsBucket}.C.forged`, encodeJson({}))).rejects.toThrow();
      await expect(js.publish(`$KV.${ns.buckets.objectNotifications}.permitted-bucket`, encodeJson({ configurations: [] }))).rejects.toThrow();
      const jsm = await nc.jetstreamManager({ timeout: 2_000 }).catch((err: unknown) => err);
      if (!(jsm instanceof Error)) await expect((jsm as Awaited<ReturnType<NatsConnection['jetstreamManager']>>).streams.delete(`OBJ_${natsBucket}`)).rejects.toThrow();
    }
  });

  it("lets the events user publish users' events and nothing of the cluster's", async () => {
    const [first] = cluster.nodes;
    if (first === undefined) throw new Error('a node expected');
    const events = await connectAs('events', natsInboxPrefix(ns, 'events'));
    const js = events.jetstream({ timeout: 2_000 });
    // Frontends open the user-events stream when they start: a JetStream publish of a user's event is stored.
    expect((await js.publish(ns.subjects.userEvent('orders.created'), encodeJson({ id: 1 }))).seq).toBeGreaterThan(0);
    await expect(js.publish(ns.subjects.asyncEvent('any'), encodeJson({}), { msgID: `forged-${Math.random()}` })).rejects.toThrow();
    await expect(js.publish(ns.subjects.destination('orders'), encodeJson({}))).rejects.toThrow();
    expect(await publishUsage(events, ns.subjects.usageRecord(first.nodeId, 'permitted'), forgedRecord(first.nodeId, 'permitted'))).toBeInstanceOf(Error);
    // Nor read anything: not even the user-events stream (only frontends do, for mappings).
    await expect(events.jetstreamManager({ timeout: 2_000 }).then((jsm) => jsm.streams.info(ns.streams.userEvents))).rejects.toThrow();
    const sub = events.subscribe(ns.subjects.allHeartbeats());
    const denied = await Promise.race([sub.closed.then(() => 'closed', (err: unknown) => String(err)), new Promise((resolve) => setTimeout(() => resolve('open'), 2_000))]);
    expect(denied).not.toBe('open');
    // It may listen to nats: destinations, the invocation records Stratus publishes for users, and only there.
    const records = events.subscribe(ns.subjects.destination('orders.done'), { max: 1 });
    await events.flush();
    const open = await Promise.race([records.closed.then(() => 'closed', (err: unknown) => String(err)), new Promise((resolve) => setTimeout(() => resolve('open'), 1_000))]);
    expect(open).toBe('open');
    records.unsubscribe();
  });
});
