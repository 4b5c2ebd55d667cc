import { connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { hasCode } from '@stratus/errors';
import { runLoad, type CallRecord } from '@stratus/loadgen';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startNetnsCluster, type NetnsCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// One cluster on separate hosts (network namespaces) for the whole file, as deploy/ describes it: 3 etcd
// members, 3 NATS servers, 2 frontends, 3 nodes and billing, every connection TLS, every service unprivileged. Faults run one after another under load;
// each ends only when the cluster serves normally again with every member back, as systemd would restart them.

/** Calls that failed with one of these were delivered and may have run (and then were billed); any other failure never ran. */
const MAY_HAVE_RUN = new Set(['INVOCATION_LOST', 'INVOCATION_TIMEOUT']);
/** Service must be back within this long of the fault ending (the restart included). */
const RECOVERY_BOUND_MS = 20_000;
/** systemd's RestartSec in deploy/systemd: how long a killed service stays down before it is started again. */
const RESTART_SEC_MS = 1_000;
const LOAD_CONCURRENCY = 8;
/** How long a network cut or an etcd pause lasts. */
const FAULT_MS = 10_000;
/** Successful calls that started after the fault ended, in a row, that count as "serving normally again". */
const HEALTHY_RUN = 20;
const FUNCTION_NAME = 'steady';

interface FaultResult {
  readonly fault: string;
  readonly calls: number;
  readonly succeeded: number;
  readonly failedByCode: Readonly<Record<string, number>>;
  /** From the fault to its end: what it took down running and ready again (or the network restored). */
  readonly faultSec: number;
  /** From the fault to the first successful call after the last failure. */
  readonly recoverySec: number;
  readonly billed: number;
  readonly mayHaveRun: number;
}

let cluster: NetnsCluster | undefined;
let client: StratusClient | undefined;
const results: FaultResult[] = [];
/**
 * Over all faults so far. A node cut off holds the records of calls it ran until it is back, and may publish
 * them after the next fault began: billing is checked against every call of the file, not one fault's alone.
 */
const total = { succeeded: 0, mayHaveRun: 0 };

beforeAll(async () => {
  cluster = await startNetnsCluster({ frontends: 2, nodes: 3 });
  client = createStratusClient({ endpoint: cluster.endpoint, apiKey: cluster.apiKey, tls: cluster.clientTls, deadlineMs: 20_000 });
  await client.waitForReady(10_000);
  await client.createFunction({ functionName: FUNCTION_NAME, zipFile: indexJs(`exports.handler = async () => 'ok';`) });
}, 180_000);

afterAll(async () => {
  if (results.length > 0) {
    const billedInAll = client === undefined ? undefined : await settledBilling(client).catch(() => undefined);
    console.info(
      `multi-node cluster under faults:\n${resultsTable(results)}\n` +
        `all faults: ${total.succeeded} calls succeeded, ${total.mayHaveRun} failed with an unknown outcome, ${billedInAll ?? '?'} billed ` +
        `(billed - succeeded = ${billedInAll === undefined ? '?' : billedInAll - total.succeeded})`,
    );
  }
  await client?.close();
  await cluster?.stop();
});

function started(): { cluster: NetnsCluster; client: StratusClient } {
  if (cluster === undefined || client === undefined) throw new Error('the cluster did not start');
  return { cluster, client };
}

/** Reads a second apart that must agree before billing counts as settled: longer than a usage publisher's retry backoff (5 s at most). */
const SETTLED_READS = 6;
/**
 * How long billing may show no new request before a wait for it gives up. Records held by a node while JetStream
 * elects a new stream leader, or while a restarted server catches up, arrive late on a loaded machine, but they
 * keep arriving: the wait lasts as long as the count grows. Longer than a publisher's retry backoff, many times over.
 */
const BILLING_STALL_MS = 60_000;
/** A bound on the whole wait however the count grows. */
const BILLING_WAIT_MS = 180_000;
/** A fault test: billing settled before and after (each up to BILLING_WAIT_MS), the load and the fault between. */
const FAULT_TEST_MS = 2 * BILLING_WAIT_MS + 120_000;

/** The function's billed requests once billing has settled (SETTLED_READS reads a second apart agree) at `atLeast` or more. */
async function settledBilling(c: StratusClient, atLeast = 0): Promise<number> {
  let previous = -1;
  let agreeing = 0;
  let grewAt = Date.now();
  const giveUpAt = Date.now() + BILLING_WAIT_MS;
  for (;;) {
    const now = await c
      .getUsage({ functionName: FUNCTION_NAME })
      .then((usage) => usage.functions.find((f) => f.functionName === FUNCTION_NAME)?.requests ?? 0)
      .catch(() => undefined);
    if (now !== undefined) {
      if (now > previous) grewAt = Date.now();
      agreeing = now === previous ? agreeing + 1 : 0;
      previous = now;
      if (agreeing >= SETTLED_READS - 1 && now >= atLeast) return now;
    }
    if (Date.now() - grewAt > BILLING_STALL_MS || Date.now() > giveUpAt) {
      throw new Error(`billing did not settle at ${atLeast} requests or more: ${previous} billed, none more for ${Math.round((Date.now() - grewAt) / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The node running most of the function's environments: the one whose loss costs most. */
async function busiestNode(c: StratusClient): Promise<string> {
  const nodes = await c.listNodes();
  const busiest = [...nodes].sort((a, b) => b.warmIsolates - a.warmIsolates)[0];
  if (busiest === undefined) throw new Error('no nodes are registered');
  return busiest.nodeId;
}

/**
 * Runs the load, waits for it to serve, applies `fault` (which returns once
 * the fault is over and what it took down is running again), waits until
 * calls succeed again, then checks that billing counts exactly what ran.
 */
async function underLoad(label: string, fault: () => Promise<void>): Promise<FaultResult> {
  const { cluster: nc, client: c } = started();
  const billedBefore = await settledBilling(c);
  const calls: CallRecord[] = [];
  const stopLoad = new AbortController();
  const load = runLoad({
    target: { kind: 'stratus', endpoint: nc.endpoint, functionName: FUNCTION_NAME, payload: '{}', apiKey: nc.apiKey, tls: nc.clientTls },
    concurrency: LOAD_CONCURRENCY,
    channels: 1,
    deadlineMs: 20_000,
    signal: stopLoad.signal,
    onCall: (call) => calls.push(call),
  });
  let faultAt = 0;
  let faultOverAt = 0;
  try {
    const loadFailed = load.then(() => {
      throw new Error('the load ended before it was stopped');
    });
    const served = (after: number): boolean => calls.filter((call) => call.startMs > after && call.outcome === 'ok').length >= HEALTHY_RUN;
    await Promise.race([loadFailed, eventually(async () => (served(0) ? true : undefined), 'the load to be served')]);
    faultAt = Date.now();
    await fault();
    faultOverAt = Date.now();
    await Promise.race([
      loadFailed,
      eventually(async () => (served(faultOverAt) ? true : undefined), `calls to succeed again after ${label}`, RECOVERY_BOUND_MS),
    ]);
  } finally {
    stopLoad.abort();
    await load.catch(() => undefined);
  }

  const failed = calls.filter((call) => call.outcome !== 'ok');
  const failedByCode: Record<string, number> = {};
  for (const call of failed) failedByCode[call.outcome] = (failedByCode[call.outcome] ?? 0) + 1;
  const lastFailureStart = Math.max(faultAt, ...failed.map((call) => call.startMs));
  const recoveredAt = Math.min(...calls.filter((call) => call.outcome === 'ok' && call.startMs >= lastFailureStart).map((call) => call.startMs));
  const succeeded = calls.length - failed.length;
  const mayHaveRun = failed.filter((call) => MAY_HAVE_RUN.has(call.outcome)).length;
  total.succeeded += succeeded;
  total.mayHaveRun += mayHaveRun;
  const billedNow = await settledBilling(c, total.succeeded);
  const billed = billedNow - billedBefore;
  const result: FaultResult = { fault: label, calls: calls.length, succeeded, failedByCode, faultSec: (faultOverAt - faultAt) / 1000, recoverySec: (recoveredAt - faultAt) / 1000, billed, mayHaveRun };
  results.push(result);
  console.info(`multi-node ${label}: ${JSON.stringify(result)}`);

  // Every call that ran is billed once: all that succeeded, and of those whose outcome the client could not know, at most all.
  expect(billedNow).toBeGreaterThanOrEqual(total.succeeded);
  expect(billedNow).toBeLessThanOrEqual(total.succeeded + total.mayHaveRun);
  // No call that started once the fault was over failed.
  expect(failed.filter((call) => call.startMs > faultOverAt + RECOVERY_BOUND_MS)).toEqual([]);
  return result;
}

/** Between faults: every member runs and every node is registered again. */
async function expectWholeCluster(): Promise<void> {
  const { cluster: nc, client: c } = started();
  for (const member of nc.members.values()) expect(member.pid, `${member.name} is running`).toBeDefined();
  await eventually(async () => ((await c.listNodes().catch(() => [])).length === 3 ? true : undefined), 'all three nodes to be registered');
}

async function killAndRestart(name: string): Promise<void> {
  const { cluster: nc } = started();
  await nc.signal(name, 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, RESTART_SEC_MS));
  await nc.restart(name);
}

describe.sequential('a cluster spread over network namespaces, under load', () => {
  // Each refusal is waited for as the server's answer; the bounds only end a hung call, generously, as a loaded
  // machine needs (a TLS handshake and an etcd auth round trip took seconds there): a timeout is no refusal.
  it('runs with TLS and credentials on, as deploy/README.md sets them up: etcd, NATS and the frontends refuse a client without them', { timeout: 120_000 }, async () => {
    const { cluster: nc } = started();
    const { ca, cert, key } = nc.clientTls;
    const etcdGet = async (options: Omit<Parameters<typeof createEtcdClient>[0], 'endpoints' | 'callTimeoutMs'>): Promise<unknown> => {
      const etcd = createEtcdClient({ endpoints: nc.etcdEndpoints, callTimeoutMs: 20_000, ...options });
      try {
        return await etcd.get('/stratus/api-keys/probe').string();
      } catch (err) {
        return err;
      } finally {
        etcd.close();
      }
    };
    // etcd: no certificate, no TLS handshake; the CA's certificate but no etcd user, no access.
    expect(await etcdGet({ tls: { ca } })).toBeInstanceOf(Error);
    expect(String(await etcdGet({ tls: { ca, cert, key } }))).toMatch(/permission denied|user name|invalid auth/i);
    // NATS: a plaintext client is refused, and one with the CA's certificate but no user.
    const anonymous = { servers: [...nc.natsUrls], maxReconnectAttempts: 0, timeout: 20_000 };
    await expect(natsConnect(anonymous)).rejects.toThrow();
    await expect(natsConnect({ ...anonymous, tls: { ca, cert, key } })).rejects.toThrow(/authorization/i);
    // The frontends: TLS only.
    const plaintext = createStratusClient({ endpoint: nc.endpoint, apiKey: nc.apiKey, tls: false, deadlineMs: 20_000 });
    try {
      expect(hasCode(await plaintext.listFunctions().then(() => undefined, (err: unknown) => err), 'UNAVAILABLE')).toBe(true);
    } finally {
      await plaintext.close();
    }
  });

  it('serves on after the busiest worker node is SIGKILLed, and the node comes back under its id', async () => {
    const victim = await busiestNode(started().client);
    await underLoad(`SIGKILL ${victim}`, () => killAndRestart(victim));
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it('serves on after the frontend in use is SIGKILLed: the client fails over to the other', async () => {
    await underLoad('SIGKILL frontend-1', () => killAndRestart('frontend-1'));
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it('keeps every stream and bucket on all three NATS servers, and serves on after the usage stream leader is SIGKILLed', async () => {
    const streams = await started().cluster.jetStreams();
    expect(streams.length).toBeGreaterThanOrEqual(4);
    for (const stream of streams) expect(stream.replicas, `${stream.name} replicas`).toBe(3);
    const usage = streams.find((stream) => stream.name.endsWith('USAGE'));
    const victim = usage?.leader ?? 'nats-1';
    await underLoad(`SIGKILL ${victim} (usage stream leader)`, () => killAndRestart(victim));
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it('serves on after the etcd leader is SIGKILLed', async () => {
    const victim = await started().cluster.etcdLeader();
    await underLoad(`SIGKILL ${victim} (etcd leader)`, () => killAndRestart(victim));
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it('bills every call exactly once after billing is SIGKILLed and restarted', async () => {
    await underLoad('SIGKILL billing', () => killAndRestart('billing'));
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it("serves on while the busiest node's network is cut for 10 s, and the node rejoins", async () => {
    const { cluster: nc, client: c } = started();
    const victim = await busiestNode(c);
    await underLoad(`network of ${victim} cut 10 s`, async () => {
      await nc.cut(victim);
      try {
        await new Promise((resolve) => setTimeout(resolve, FAULT_MS));
      } finally {
        await nc.restore(victim);
      }
    });
    await expectWholeCluster();
  }, FAULT_TEST_MS);

  it('serves on while every etcd member is paused (SIGSTOP) for 10 s', async () => {
    const { cluster: nc } = started();
    const members = [...nc.members.values()].filter((m) => m.kind === 'etcd').map((m) => m.name);
    await underLoad('etcd paused 10 s (all members)', async () => {
      for (const name of members) await nc.signal(name, 'SIGSTOP');
      try {
        await new Promise((resolve) => setTimeout(resolve, FAULT_MS));
      } finally {
        for (const name of members) await nc.signal(name, 'SIGCONT');
      }
    });
    await expectWholeCluster();
  }, FAULT_TEST_MS);
});

function resultsTable(rows: readonly FaultResult[]): string {
  const header = ['fault', 'calls', 'ok', 'failed by code', 'back after s', 'served again after s', 'billed', 'billed - ok', 'may have run'];
  const lines = rows.map((r) => [
    r.fault,
    String(r.calls),
    String(r.succeeded),
    Object.entries(r.failedByCode)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none',
    r.faultSec.toFixed(1),
    r.recoverySec.toFixed(1),
    String(r.billed),
    String(r.billed - r.succeeded),
    String(r.mayHaveRun),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
