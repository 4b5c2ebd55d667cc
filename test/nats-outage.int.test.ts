import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode, type StratusError } from '@stratus/errors';
import { startNats, startTestCluster, type TestCluster, type TestNats } from '@stratus/testing';
import { indexJs } from './support/code.js';

// nats-server is started here, not by the cluster, so the test can kill it.
let nats: TestNats;
let cluster: TestCluster;

beforeAll(async () => {
  nats = await startNats();
  cluster = await startTestCluster({ nodes: 1, natsUrl: nats.url, drainGraceMs: 1_000 });
});
afterAll(async () => {
  await cluster?.stop();
  await nats?.stop();
});

describe('NATS is unreachable', () => {
  it('fails calls that cannot be sent at once, as retryable UNAVAILABLE, not INVOCATION_LOST after the reply timeout', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'ping', zipFile: indexJs(`exports.handler = async () => 'pong';`) });
    expect((await client.invoke({ functionName: 'ping' })).payloadText).toBe('"pong"');

    process.kill(nats.pid, 'SIGKILL');
    // The frontend hears of it as its socket closes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const clientToken of [undefined, randomUUID()]) {
      for (let i = 0; i < 3; i += 1) {
        const startedAt = Date.now();
        const error = (await client.invoke({ functionName: 'ping', ...(clientToken ? { clientToken } : {}) }).catch((err: unknown) => err)) as StratusError;
        const tookMs = Date.now() - startedAt;
        expect(hasCode(error, 'UNAVAILABLE'), String(error)).toBe(true);
        expect(error.retryable).toBe(true);
        expect(error.message).toMatch(/NATS is unreachable/);
        expect(tookMs).toBeLessThan(1_000);
      }
    }
  }, 60_000);
});
