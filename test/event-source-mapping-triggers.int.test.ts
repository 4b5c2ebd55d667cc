import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createNamespace } from '@stratus/contracts';
import type { TriggerMessage } from '@stratus/contracts/grpc';
import type { StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { runStratus } from './support/cli.js';
import { FAST_ASYNC } from './support/async.js';

// Event source mappings in the trigger registry: `ListTriggers`, `stratus triggers ls` and /metrics list each
// mapping with its state, source, backlog, last batch and last problem, as they list schedules and buckets.
let cluster: TestCluster;
let client: StratusClient;
let publisher: NatsConnection;


beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  client = cluster.client;
  publisher = await connect(cluster.natsConnectOptions('events'));
}, 120_000);
afterAll(async () => {
  await publisher?.close();
  await cluster?.stop();
});

const OK = `exports.handler = async () => ({});`;
const FAILING = `exports.handler = async () => { throw new Error('cannot take this batch'); };`;

async function jsPublish(subject: string, body: string): Promise<void> {
  await publisher.jetstream().publish(createNamespace(cluster.namespace).subjects.userEvent(subject), body);
}

function mappingTrigger(uuid: string, until: (t: TriggerMessage) => boolean): Promise<TriggerMessage> {
  return eventually(
    async () => {
      const found = (await client.listTriggers({ kind: 'event-source-mapping' })).find((t) => t.name === uuid);
      return found !== undefined && until(found) ? found : undefined;
    },
    `the trigger of mapping ${uuid}`,
    60_000,
  );
}

describe('event source mappings in ListTriggers', () => {
  it('lists each mapping with its state, source, backlog, last batch and last problem', { timeout: 150_000 }, async () => {
    await client.createFunction({ functionName: 'esmt-ok', zipFile: indexJs(OK), timeoutSec: 10 });
    await client.createFunction({ functionName: 'esmt-fail', zipFile: indexJs(FAILING), timeoutSec: 10 });
    const ok = await client.createEventSourceMapping({ functionName: 'esmt-ok', eventSource: 'jetstream:esmt.ok', batchSize: 10 });
    const failing = await client.createEventSourceMapping({ functionName: 'esmt-fail', eventSource: 'jetstream:esmt.fail', batchSize: 10 });
    // Disabled from the start: its messages wait, and the backlog says how many.
    const parked = await client.createEventSourceMapping({ functionName: 'esmt-ok', eventSource: 'jetstream:esmt.parked', enabled: false });
    const live = await client.createEventSourceMapping({ functionName: 'esmt-ok:$LATEST', eventSource: 'nats:esmt.live' });

    for (let i = 0; i < 3; i++) await jsPublish('esmt.ok', `m${i}`);
    await jsPublish('esmt.fail', 'x');
    for (let i = 0; i < 4; i++) await jsPublish('esmt.parked', `p${i}`);

    const okTrigger = await mappingTrigger(ok.uuid, (t) => t.lastFireMs > 0 && t.backlog === 0);
    expect(okTrigger).toMatchObject({ kind: 'event-source-mapping', functionName: 'esmt-ok', state: 'ENABLED', source: 'jetstream:esmt.ok', lastError: '' });
    expect(okTrigger.lagMs).toBeLessThan(60_000);
    const failingTrigger = await mappingTrigger(failing.uuid, (t) => t.lastError !== '');
    expect(failingTrigger).toMatchObject({ functionName: 'esmt-fail', state: 'ENABLED' });
    expect(failingTrigger.lastError).toContain('cannot take this batch');
    expect(failingTrigger.lastErrorMs).toBeGreaterThan(0);
    expect(await mappingTrigger(parked.uuid, (t) => t.backlog === 4)).toMatchObject({ state: 'DISABLED', source: 'jetstream:esmt.parked', lastFireMs: 0 });
    expect(await mappingTrigger(live.uuid, () => true)).toMatchObject({ state: 'ENABLED', source: 'nats:esmt.live', backlog: 0 });

    // Filtered by function, and beside the other kinds.
    const ofFunction = await client.listTriggers({ functionName: 'esmt-fail' });
    expect(ofFunction.map((t) => t.name)).toEqual([failing.uuid]);

    const text = await runStratus(cluster, ['triggers', 'ls', '--kind', 'event-source-mapping']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(parked.uuid);
    expect(text.stdout).toContain('jetstream:esmt.parked');
    const json = await runStratus(cluster, ['triggers', 'ls', '--function', 'esmt-ok', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toContain(ok.uuid);

    const metrics = await (await fetch(`http://${cluster.frontends[0]?.metricsAddress ?? ''}/metrics`)).text();
    expect(metrics).toContain(`stratus_trigger_backlog{kind="event-source-mapping",name="${parked.uuid}"} 4`);
    expect(metrics).toMatch(new RegExp(`stratus_trigger_fires_total\\{kind="event-source-mapping",name="${ok.uuid}",outcome="ok"\\} [1-9]`));
    expect(metrics).toMatch(new RegExp(`stratus_trigger_fires_total\\{kind="event-source-mapping",name="${failing.uuid}",outcome="error"\\} [1-9]`));

    // A deleted mapping leaves the list.
    await client.deleteEventSourceMapping(parked.uuid);
    await eventually(async () => ((await client.listTriggers({ kind: 'event-source-mapping' })).some((t) => t.name === parked.uuid) ? undefined : true), 'the deleted mapping to leave the list');
  });
});
