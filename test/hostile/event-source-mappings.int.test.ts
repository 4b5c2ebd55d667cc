import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createNamespace, type Namespace } from '@stratus/contracts';
import { hasCode } from '@stratus/errors';
import type { TestCluster } from '@stratus/testing';
import { eventually, indexJs } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// Event source mappings a hostile tenant would create: mappings meant to read the cluster's own subjects
// (invocations, usage, async events, JetStream's API, inboxes), and a poison message retried forever.
let cluster: TestCluster;
let ns: Namespace;
let publisher: NatsConnection;
beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 1, env: { frontend: { STRATUS_ASYNC_ACK_WAIT_MS: '2000' } } });
  ns = createNamespace(cluster.namespace);
  publisher = await connect(cluster.natsConnectOptions('events'));
});
afterAll(async () => {
  await publisher?.close();
  await cluster?.stop();
});

const LOGGER = `exports.handler = async (event) => { for (const r of event.Records) console.log('SAW ' + r.attributes.Subject + ' ' + r.body.length); return {}; };`;

async function sawSubjects(functionName: string): Promise<string[]> {
  return (await cluster.client.getLogs({ functionName, limit: 1000 }))
    .flatMap((entry) => entry.message.split('\n'))
    .map((line) => /SAW (\S+) /.exec(line)?.[1])
    .filter((subject): subject is string => subject !== undefined);
}

describe('event source mappings from a hostile tenant', () => {
  it('a mapping cannot name a subject outside the user-events prefix: raw cluster subjects are refused, and what looks like one is confined under it', { timeout: 120_000 }, async () => {
    await cluster.client.createFunction({ functionName: 'esm-snoop', zipFile: indexJs(LOGGER) });
    for (const source of [`nats:$JS.API.>`, `jetstream:$KV.${ns.buckets.clientTokens}.>`, 'nats:a b', 'nats:', 'nats:a..b', 'nats:>.x', `nats:${'a.'.repeat(16)}a`, `nats:${'x'.repeat(201)}`, 'jetstream:*.>.*']) {
      await expect(cluster.client.createEventSourceMapping({ functionName: 'esm-snoop', eventSource: source }), source).rejects.toSatisfy(
        (err: unknown) => hasCode(err, 'INVALID_ARGUMENT') && String((err as Error).message).includes('eventSourceArn'),
      );
    }
    // Every subject and stream the cluster uses, named as a user subject, reads only <ns>.events.<that>.
    const everything = await cluster.client.createEventSourceMapping({ functionName: 'esm-snoop', eventSource: 'jetstream:>', batchSize: 100 });
    const clusterSubjects = await cluster.client.createEventSourceMapping({ functionName: 'esm-snoop', eventSource: `nats:${ns.prefix}.>`, batchSize: 100 });
    const inboxes = await cluster.client.createEventSourceMapping({ functionName: 'esm-snoop', eventSource: 'nats:_INBOX.>', batchSize: 100 });
    expect(everything.eventSourceArn).toBe('arn:stratus:jetstream:local:000000000000:subject/>');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Cluster traffic of every kind: invocations and their replies, usage, logs, async events and their state.
    await cluster.client.createFunction({ functionName: 'esm-busy', zipFile: indexJs('exports.handler = async (e) => e;') });
    for (let i = 0; i < 5; i++) await cluster.client.invoke({ functionName: 'esm-busy', payload: JSON.stringify({ i }) });
    await cluster.client.invoke({ functionName: 'esm-busy', payload: '{}', invocationType: 'EVENT' });
    // One real user event, so the mappings are known to run: it is all they see.
    await publisher.jetstream().publish(ns.subjects.userEvent('marker'), 'user');
    const seen = await eventually(async () => {
      const subjects = await sawSubjects('esm-snoop');
      return subjects.includes('marker') ? subjects : undefined;
    }, 'the marker event');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(new Set(await sawSubjects('esm-snoop'))).toEqual(new Set(['marker']));
    expect(seen).toContain('marker');
    for (const mapping of [everything, clusterSubjects, inboxes]) await cluster.client.deleteEventSourceMapping(mapping.uuid);
    await expectClusterHealthy(cluster);
  });

  it('a poison message retried forever costs its own mapping only: other functions answer, its lag stays one message', { timeout: 120_000 }, async () => {
    await cluster.client.createFunction({ functionName: 'esm-poisoned', zipFile: indexJs(`exports.handler = async () => { throw new Error('poison'); };`) });
    const mapping = await cluster.client.createEventSourceMapping({ functionName: 'esm-poisoned', eventSource: 'jetstream:poison', maximumRetryAttempts: -1 });
    await publisher.jetstream().publish(ns.subjects.userEvent('poison'), 'bad');
    const failing = await eventually(async () => {
      const got = await cluster.client.getEventSourceMapping(mapping.uuid);
      return got.lastProcessingResult.startsWith('PROBLEM') ? got : undefined;
    }, 'the mapping to report its problem', 30_000);
    expect(failing.lastProcessingResult).toContain('poison');
    expect(failing.lag).toBe(1);
    await expectClusterHealthy(cluster);
    await cluster.client.deleteEventSourceMapping(mapping.uuid);
  });
});
