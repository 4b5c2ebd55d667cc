import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '@stratus/testing';
import { eventually, indexJs } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// Schedules a careless or hostile tenant would make: one firing every minute at a function that is deleted, more
// schedules than the cluster allows, hundreds firing at the same second, and expressions that would fire every second.
const SCHEDULE_LIMIT = 1500;
let cluster: TestCluster;
beforeAll(async () => {
  const env = { STRATUS_SCHEDULE_LIMIT: String(SCHEDULE_LIMIT) };
  cluster = await startHostileCluster({ nodes: 1, frontends: 2, env: { frontend: env, combined: env } });
});
afterAll(async () => {
  await cluster?.stop();
});

const SLOW_CASE_MS = 180_000;

async function billedRequests(functionName: string): Promise<number> {
  const usage = await cluster.client.getUsage({ functionName });
  return usage.functions.find((f) => f.functionName === functionName)?.requests ?? 0;
}

function atExpression(ms: number): string {
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

describe('schedules from a hostile tenant', () => {
  it('a schedule firing every minute at a deleted function stores nothing, says why, and does not catch up when the function returns', { timeout: SLOW_CASE_MS }, async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'sched-gone', zipFile: indexJs('exports.handler = async () => 1;') });
    await client.createSchedule({ name: 'sched-gone-every-minute', scheduleExpression: 'rate(1 minute)', startDateMs: Date.now() + 4_000, target: { functionName: 'sched-gone' } });
    await client.deleteFunction('sched-gone');
    const failed = await eventually(async () => {
      const [trigger] = await client.listTriggers({ functionName: 'sched-gone' });
      return trigger?.lastError ? trigger : undefined;
    }, 'the tick to fail', 20_000);
    expect(failed).toMatchObject({ name: 'sched-gone-every-minute', state: 'ENABLED', lastFireMs: 0 });
    expect(failed.lastError).toMatch(/^FUNCTION_NOT_FOUND: /);
    expect(failed.nextFireMs).toBeGreaterThan(Date.now());
    // Back again: the missed tick is not replayed, and nothing was queued for it meanwhile.
    await client.createFunction({ functionName: 'sched-gone', zipFile: indexJs('exports.handler = async () => 1;') });
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await billedRequests('sched-gone')).toBe(0);
    await client.deleteSchedule('sched-gone-every-minute');
    await expectClusterHealthy(cluster);
  });

  it('expressions that would fire every second are refused with EventBridge’s one-minute minimum', async () => {
    for (const expression of ['rate(1 second)', 'rate(30 seconds)', 'rate(0 minutes)', 'cron(* * * * * ? *)', 'cron(*/1 * * * * ?)', 'rate(1 millisecond)']) {
      await expect(
        cluster.client.createSchedule({ name: 'sched-fast', scheduleExpression: expression, target: { functionName: 'hostile-hello' } }),
        expression,
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^scheduleExpression: /) as unknown });
    }
    expect((await cluster.client.listSchedules({ namePrefix: 'sched-fast' })).schedules).toEqual([]);
  });

  it('300 schedules firing at the same second each invoke once, with two frontends, while hello answers', { timeout: SLOW_CASE_MS }, async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'sched-burst', zipFile: indexJs('exports.handler = async () => 1;') });
    const atMs = Math.ceil((Date.now() + 20_000) / 1000) * 1000;
    const names = Array.from({ length: 300 }, (_, i) => `sched-burst-${i}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => client.createSchedule({ name, scheduleExpression: atExpression(atMs), target: { functionName: 'sched-burst' } })));
    }
    expect(Date.now()).toBeLessThan(atMs);
    await eventually(async () => ((await billedRequests('sched-burst')) >= 300 ? true : undefined), '300 invocations billed', 120_000);
    await expectClusterHealthy(cluster);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await billedRequests('sched-burst')).toBe(300);
    for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map((name) => client.deleteSchedule(name)));
  });

  it(`past ${SCHEDULE_LIMIT} schedules CreateSchedule is SCHEDULE_LIMIT_EXCEEDED, and listing them all stays quick`, { timeout: SLOW_CASE_MS }, async () => {
    const { client } = cluster;
    const names = Array.from({ length: SCHEDULE_LIMIT }, (_, i) => `sched-many-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < names.length; i += 100) {
      await Promise.all(names.slice(i, i + 100).map((name) => client.createSchedule({ name, scheduleExpression: 'rate(1 day)', target: { functionName: 'hostile-hello' } })));
    }
    await expect(client.createSchedule({ name: 'sched-one-too-many', scheduleExpression: 'rate(1 day)', target: { functionName: 'hostile-hello' } })).rejects.toMatchObject({
      code: 'SCHEDULE_LIMIT_EXCEEDED',
      message: expect.stringContaining(`STRATUS_SCHEDULE_LIMIT=${SCHEDULE_LIMIT}`) as unknown,
    });
    const first = await client.listSchedules({ namePrefix: 'sched-many-', maxResults: 1000 });
    const second = await client.listSchedules({ namePrefix: 'sched-many-', maxResults: 1000, nextToken: first.nextToken });
    expect(first.schedules.length + second.schedules.length).toBe(SCHEDULE_LIMIT);
    expect(second.nextToken).toBe('');
    const started = performance.now();
    expect((await client.listTriggers({ kind: 'schedule' })).length).toBe(SCHEDULE_LIMIT);
    expect(performance.now() - started, 'ms to list every trigger').toBeLessThan(5_000);
    await expectClusterHealthy(cluster);
    for (let i = 0; i < names.length; i += 100) await Promise.all(names.slice(i, i + 100).map((name) => client.deleteSchedule(name)));
  });
});
