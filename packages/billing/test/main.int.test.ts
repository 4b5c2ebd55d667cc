import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace, decodeJson, encodeJson, isReadyMessage } from '@stratus/contracts';
import type { Namespace, UsageQueryReply, UsageReport } from '@stratus/contracts';
import { createUsagePublisher, ensureUsageStream } from '@stratus/usage';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startConnectedNats, startEtcd, type ConnectedTestNats, type TestEtcd } from '@stratus/testing';
import { usageRecord } from './records.js';
import { billingConfig } from '../src/config.js';

// The built entry point, as the launcher runs it (`tsc -b` first).
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const log = pino({ level: 'silent' });

let nats: ConnectedTestNats;
// Billing bills only functions that exist in etcd.
let etcd: TestEtcd;
let nc: NatsConnection;
let ns: Namespace;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [nats, etcd] = await Promise.all([startConnectedNats(), startEtcd()]);
  nc = nats.nc;
});

afterAll(() => Promise.all([nats?.stop(), etcd?.stop()]));

beforeEach(async () => {
  ns = createNamespace(`t${randomBytes(6).toString('hex')}`);
  const client = createEtcdClient({ endpoints: [etcd.endpoint] });
  try {
    await client.put(ns.keys.function(usageRecord().functionName)).value('{}');
  } finally {
    client.close();
  }
  dataDir = await mkdtemp(join(tmpdir(), 'stratus-billing-main-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the billing service and resolves once it reports ready over IPC. */
async function startBilling(): Promise<ChildProcess & { output: () => string }> {
  let output = '';
  const child = fork(MAIN, [], {
    env: {
      ...process.env,
      [billingConfig.env.natsServers]: nats.url,
      [billingConfig.env.etcdEndpoints]: etcd.endpoint,
      [billingConfig.env.namespace]: ns.prefix,
      [billingConfig.env.dataDir]: dataDir,
      [billingConfig.env.logLevel]: 'info',
      [billingConfig.env.perMillionRequestsUsd]: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message) => {
      if (isReadyMessage(message) && message.service === 'billing') resolve();
    });
    child.once('exit', (code) => reject(new Error(`billing exited with ${code} before ready:\n${output}`)));
  });
  return Object.assign(child, { output: () => output });
}

async function report(): Promise<UsageReport> {
  const reply = decodeJson((await nc.request(ns.subjects.billingQuery(), encodeJson({}), { timeout: 5_000 })).data) as UsageQueryReply;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.report;
}

async function publish(count: number, from: number, maxBatchRecords = 256): Promise<void> {
  const publisher = createUsagePublisher({ nc, ns, log, nodeId: usageRecord().nodeId, maxBatchRecords });
  try {
    for (let i = from; i < from + count; i++) publisher.publish(usageRecord({ requestId: `m-${i}`, billedMs: 2 }));
    await publisher.flush();
  } finally {
    await publisher.close();
  }
}

async function lastStreamSeq(): Promise<number> {
  return (await (await nc.jetstreamManager()).streams.info(ns.streams.usage)).state.last_seq;
}

async function appliedThrough(seq: number): Promise<UsageReport> {
  return vi.waitFor(
    async () => {
      const current = await report();
      expect(current.appliedThroughSequence).toBe(seq);
      return current;
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('billing main', () => {
  it('creates the stream, reports ready, answers queries, and exits 0 on SIGTERM after draining', async () => {
    const billing = await startBilling();
    await publish(10, 0);
    const current = await appliedThrough(await lastStreamSeq());
    expect(current.total.requests).toBe(10);
    // The price came from the environment: $1 per million requests.
    expect(current.total.costUsd).toBeCloseTo(10 / 1e6 + current.total.gbSeconds * 0.0000166667, 12);
    billing.kill('SIGTERM');
    const [code] = (await once(billing, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(billing.output()).toContain('billing aggregator ready');
  });

  it('refuses to start with a bad setting, naming the variable, the value and what is allowed', async () => {
    const child = fork(MAIN, [], {
      env: {
        ...process.env,
        [billingConfig.env.natsServers]: nats.url,
        [billingConfig.env.perGbSecondUsd]: '-1',
        [billingConfig.env.drainGraceMs]: '1.5',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let ready = false;
    child.on('message', (message) => (ready ||= isReadyMessage(message)));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(ready).toBe(false);
    expect(stderr).toContain('STRATUS_PRICE_PER_GB_SECOND_USD="-1" is not valid: expected a number of at least 0');
    expect(stderr).toContain('STRATUS_DRAIN_GRACE_MS="1.5" is not valid: expected a whole number from 0 to 3600000');
  });

  it('shuts down when its launcher disconnects', async () => {
    const billing = await startBilling();
    const exited = new Promise<number | null>((resolve) => billing.once('exit', (exitCode) => resolve(exitCode)));
    billing.disconnect();
    const code = await exited;
    expect(code).toBe(0);
  });

  it('loses nothing and counts nothing twice when killed outright', async () => {
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const first = await startBilling();
    await publish(300, 0);
    first.kill('SIGKILL');
    await once(first, 'exit');
    await publish(200, 300);

    await startBilling();
    const current = await appliedThrough(await lastStreamSeq());
    expect(current.total.requests).toBe(500);
    expect(current.total.billedMs).toBe(1000);
  });

  it('counts every record exactly once when killed in the middle of applying batches', async () => {
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    // 10000 records in batches of 5: 2000 messages, which billing takes at most 256 at a time (one store write each).
    await publish(10_000, 0, 5);
    const last = await lastStreamSeq();
    expect(last).toBe(2000);
    const first = await startBilling();
    const partial = await vi.waitFor(
      async () => {
        const current = await report();
        expect(current.appliedThroughSequence).toBeGreaterThan(0);
        return current;
      },
      { timeout: 15_000, interval: 5 },
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    // Killed while still applying: the batches in hand were neither persisted nor acked.
    expect(partial.appliedThroughSequence).toBeLessThan(last);

    await startBilling();
    const current = await appliedThrough(last);
    expect(current.total.requests).toBe(10_000);
    expect(current.total.billedMs).toBe(20_000);
  });
});
