import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { runStratus } from './support/cli.js';

// Schedules end to end with three frontends: every frontend fires every tick, and the async stream keeps one copy.
let cluster: TestCluster;
let clients: StratusClient[];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, frontends: 3 });
  clients = cluster.frontends.map((f) => createStratusClient({ endpoint: f.grpcAddress, apiKey: cluster.apiKey }));
  // The three see each other (and so share the schedules' mirror) once their leases are in etcd.
  await eventually(async () => ((await cluster.client.getAccountConcurrency()).frontends === 3 ? true : undefined), 'three live frontends', 60_000);
  // Three frontends, a node and billing start one after another: on a loaded two-core machine, more than the default minute.
}, 180_000);
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await cluster?.stop();
});

const SINK = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return 'ok'; };`;

async function billedRequests(functionName: string): Promise<number> {
  const usage = await cluster.client.getUsage({ functionName });
  return usage.functions.find((f) => f.functionName === functionName)?.requests ?? 0;
}

async function loggedEvents(functionName: string): Promise<Record<string, unknown>[]> {
  return (await cluster.client.getLogs({ functionName, limit: 1000 }))
    .flatMap((entry) => entry.message.split('\n'))
    .map((line) => /EVENT (.*)$/.exec(line)?.[1])
    .filter((text): text is string => text !== undefined)
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}

/** A local date and time in UTC as at() takes it. */
function atExpression(ms: number): string {
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

describe('schedules', () => {
  it('fires each tick exactly once with three frontends (counted by billing), with the Scheduled Event document', { timeout: 180_000 }, async () => {
    await cluster.client.createFunction({ functionName: 'ticked', zipFile: indexJs(SINK) });
    // Four rate() schedules whose first tick is their start date, a second apart, and one at(): five ticks in the next ~10 s.
    // Created at once, through different frontends (each sees the others' schedules through etcd), so a slow machine's
    // round trips do not eat the lead: a tick whose time has passed when its schedule is made is not its first.
    const base = Date.now() + 8_000;
    const names = [0, 1, 2, 3].map((i) => `tick-rate-${i}`);
    const atMs = Math.ceil((base + 4_500) / 1000) * 1000;
    await Promise.all([
      ...names.map((name, i) => clients[i % 3]!.createSchedule({ name, scheduleExpression: 'rate(1 minute)', startDateMs: base + i * 1000, target: { functionName: 'ticked' } })),
      clients[2]!.createSchedule({ name: 'tick-at', scheduleExpression: atExpression(atMs), target: { functionName: 'ticked' } }),
    ]);
    names.push('tick-at');
    expect(Date.now(), 'the schedules were made before their first ticks').toBeLessThan(base);

    await eventually(async () => ((await billedRequests('ticked')) >= 5 ? true : undefined), 'five scheduled invocations billed', 60_000);
    // Until every frontend has fired every tick (each stores its copy; the stream keeps the first), then past the
    // copies the last ones stored: still five.
    await eventually(async () => {
      for (const client of clients) {
        const fired = (await client.listTriggers({ kind: 'schedule', functionName: 'ticked' })).filter((t) => t.lastFireMs > 0);
        if (fired.length < names.length) return undefined;
      }
      return true;
    }, 'every frontend to fire every tick', 60_000);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await billedRequests('ticked')).toBe(5);

    const events = await eventually(async () => {
      const logged = await loggedEvents('ticked');
      return logged.length >= 5 ? logged : undefined;
    }, 'five logged events');
    expect(events).toHaveLength(5);
    expect(new Set(events.map((e) => e['id'])).size).toBe(5);
    for (const event of events) {
      expect(event).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '000000000000', region: 'local', detail: {} });
      expect(event['time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    expect(events.map((e) => (e['resources'] as string[])[0]).sort()).toEqual(names.map((n) => `arn:aws:scheduler:local:000000000000:schedule/default/${n}`).sort());
    expect(events.some((e) => e['time'] === new Date(atMs).toISOString().replace('.000Z', 'Z'))).toBe(true);

    // Every frontend lists every schedule as a trigger, with its last firing; the at() one is done.
    for (const client of clients) {
      const triggers = await client.listTriggers({ kind: 'schedule', functionName: 'ticked' });
      expect(triggers.map((t) => t.name).sort()).toEqual([...names].sort());
      for (const t of triggers) expect(t.lastFireMs, `${t.name} fired`).toBeGreaterThan(0);
      expect(triggers.find((t) => t.name === 'tick-at')).toMatchObject({ state: 'COMPLETED', nextFireMs: 0, lastError: '' });
      expect(triggers.find((t) => t.name === 'tick-rate-0')).toMatchObject({ state: 'ENABLED', source: 'rate(1 minute)', nextFireMs: base + 60_000 });
    }
    const metricsAddress = cluster.frontends[1]?.metricsAddress;
    const metrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    expect(metrics).toContain('stratus_trigger_fires_total{kind="schedule",name="tick-rate-1",outcome="ok"} 1');
    expect(metrics).toContain('stratus_trigger_enabled{kind="schedule",name="tick-rate-1",state="ENABLED"} 1');
    expect(metrics).toMatch(/stratus_trigger_lag_seconds\{kind="schedule",name="tick-rate-1"\} \d/);
    await Promise.all(names.map((n) => cluster.client.deleteSchedule(n)));
  });

  // A deploy and reads through other frontends' mirrors: seconds each on a loaded machine, each waited for, not timed.
  it('creates, reads, lists, replaces, disables and deletes schedules with EventBridge Scheduler’s shapes and errors', { timeout: 120_000 }, async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'crud-target', zipFile: indexJs(SINK) });
    const created = await client.createSchedule({
      name: 'crud.nightly',
      scheduleExpression: 'cron(0 2 * * ? *)',
      scheduleExpressionTimezone: 'Europe/Berlin',
      description: 'nightly job',
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 },
      target: { functionName: 'crud-target:$LATEST', input: '{"job":"nightly"}' },
    });
    expect(created).toMatchObject({
      name: 'crud.nightly',
      arn: 'arn:aws:scheduler:local:000000000000:schedule/default/crud.nightly',
      scheduleExpression: 'cron(0 2 * * ? *)',
      scheduleExpressionTimezone: 'Europe/Berlin',
      state: 'ENABLED',
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 },
      target: { functionName: 'crud-target', qualifier: '', input: '{"job":"nightly"}' },
      actionAfterCompletion: 'NONE',
    });
    // 02:00 in Berlin is 01:00 or 00:00 UTC, plus up to 15 minutes.
    expect(new Date(created.nextFireMs).getUTCHours()).toBeLessThanOrEqual(1);
    expect(created.nextFireMs).toBeGreaterThan(Date.now());
    await expect(client.createSchedule({ name: 'crud.nightly', scheduleExpression: 'rate(1 day)', target: { functionName: 'crud-target' } })).rejects.toMatchObject({
      code: 'SCHEDULE_ALREADY_EXISTS',
    });
    // Another frontend reads it from its own mirror.
    expect(await eventually(() => clients[1]!.getSchedule('crud.nightly').catch(() => undefined), 'the schedule on another frontend')).toMatchObject({ description: 'nightly job' });

    const replaced = await client.updateSchedule({ name: 'crud.nightly', scheduleExpression: 'rate(2 hours)', state: 'DISABLED', target: { functionName: 'crud-target' } });
    expect(replaced).toMatchObject({ state: 'DISABLED', scheduleExpression: 'rate(2 hours)', scheduleExpressionTimezone: 'UTC', description: '', nextFireMs: 0, creationDateMs: created.creationDateMs });
    await client.createSchedule({ name: 'crud.other', scheduleExpression: 'rate(1 day)', target: { functionName: 'crud-target' } });
    expect((await client.listSchedules({ namePrefix: 'crud.', state: 'DISABLED' })).schedules.map((s) => s.name)).toEqual(['crud.nightly']);
    const first = await client.listSchedules({ namePrefix: 'crud.', maxResults: 1 });
    expect(first.schedules.map((s) => s.name)).toEqual(['crud.nightly']);
    const second = await client.listSchedules({ namePrefix: 'crud.', maxResults: 1, nextToken: first.nextToken });
    expect(second).toMatchObject({ schedules: [{ name: 'crud.other' }], nextToken: '' });

    await client.deleteSchedule('crud.nightly');
    await expect(client.getSchedule('crud.nightly')).rejects.toMatchObject({ code: 'SCHEDULE_NOT_FOUND' });
    await expect(client.deleteSchedule('crud.nightly')).rejects.toMatchObject({ code: 'SCHEDULE_NOT_FOUND' });
    await expect(client.updateSchedule({ name: 'crud.nightly', scheduleExpression: 'rate(1 day)', target: { functionName: 'crud-target' } })).rejects.toMatchObject({
      code: 'SCHEDULE_NOT_FOUND',
    });
    await client.deleteSchedule('crud.other');
  });

  it('refuses bad input naming the field, and a key without the deploy scope', { timeout: 120_000 }, async () => {
    const { client } = cluster;
    const target = { functionName: 'crud-target' };
    const refusals: [Parameters<StratusClient['createSchedule']>[0], RegExp][] = [
      [{ name: 'bad/name', scheduleExpression: 'rate(1 day)', target }, /^name: /],
      [{ name: 'fast', scheduleExpression: 'rate(1 second)', target }, /^scheduleExpression: .*shortest rate is 1 minute/],
      [{ name: 'fast', scheduleExpression: 'cron(* * * * * * *)', target }, /^scheduleExpression: .*exactly 6/],
      [{ name: 'tz', scheduleExpression: 'rate(1 day)', scheduleExpressionTimezone: 'Mars/Olympus', target }, /^scheduleExpressionTimezone: /],
      [{ name: 'dates', scheduleExpression: 'rate(1 day)', startDateMs: Date.now() + 2 * 86_400_000, endDateMs: Date.now() + 86_400_000, target }, /^endDateMs/],
      [{ name: 'window', scheduleExpression: 'rate(1 day)', flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 1441 }, target }, /^flexibleTimeWindow.maximumWindowInMinutes: /],
      [{ name: 'input', scheduleExpression: 'rate(1 day)', target: { functionName: 'crud-target', input: '{not json' } }, /^target.input: must be a JSON document/],
      [{ name: 'target', scheduleExpression: 'rate(1 day)', target: { functionName: '../etc' } }, /^target.functionName: /],
      [{ name: 'state', scheduleExpression: 'rate(1 day)', state: 'PAUSED', target }, /^state: /],
    ];
    for (const [input, message] of refusals) {
      await expect(client.createSchedule(input), input.name).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) as unknown });
    }
    const readKey = await client.createKey({ scopes: ['read'] });
    const reader = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: readKey.apiKey });
    try {
      await expect(reader.createSchedule({ name: 'sneaky', scheduleExpression: 'rate(1 day)', target })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await reader.listSchedules()).toMatchObject({ schedules: [] });
      expect(await reader.listTriggers()).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('stratus schedules and stratus triggers from the command line', { timeout: 180_000 }, async () => {
    const stratus = (...args: string[]) => runStratus(cluster, args);
    const created = await stratus('schedules', 'create', 'cli-daily', '--expression', 'cron(30 6 ? * MON-FRI *)', '--function', 'crud-target', '--timezone', 'America/New_York');
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/expression\s+cron\(30 6 \? \* MON-FRI \*\)/);
    expect(created.stdout).toMatch(/timezone\s+America\/New_York/);
    expect((await stratus('schedules', 'ls')).stdout).toMatch(/cli-daily\s+ENABLED\s+cron\(30 6 \? \* MON-FRI \*\)\s+America\/New_York\s+crud-target/);
    expect((await stratus('schedules', 'disable', 'cli-daily')).stdout).toBe('cli-daily is DISABLED\n');
    expect((await stratus('triggers', 'ls')).stdout).toMatch(/schedule\s+cli-daily\s+crud-target\s+DISABLED\s+cron\(30 6 \? \* MON-FRI \*\) America\/New_York/);
    expect((await cluster.client.getSchedule('cli-daily')).state).toBe('DISABLED');
    const bad = await stratus('schedules', 'create', 'cli-fast', '--expression', 'rate(10 seconds)', '--function', 'crud-target');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: INVALID_ARGUMENT: scheduleExpression: .*shortest rate is 1 minute/);
    expect((await stratus('schedules', 'rm', 'cli-daily')).stdout).toBe('deleted schedule cli-daily\n');
    await expect(cluster.client.getSchedule('cli-daily')).rejects.toMatchObject({ code: 'SCHEDULE_NOT_FOUND' });
  });
});
