import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { createNamespace, parseApiKey } from '@stratus/contracts';
import { hasCode } from '@stratus/errors';
import type { StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { runStratus, type CliRun } from './support/cli.js';
import { awsCliHome, awsCliMissing } from './support/aws-cli.js';
import { FAST_ASYNC } from './support/async.js';
import { lambdaApiAdmin, lambdaClient, type LambdaApiTarget } from './support/lambda-api.js';

// Event source mappings end to end: messages users publish under <namespace>.events., read live (nats:) or
// from the user-events stream (jetstream:), delivered to functions as SQS-shaped batches, partial batch
// failures retried, exhausted ones sent to the on-failure destination, and nothing lost when the frontends
// running a batch are SIGKILLed.
let cluster: TestCluster;
let client: StratusClient;
let publisher: NatsConnection;


beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, frontends: 2, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  client = cluster.client;
  // Users' programs connect as the events user: they may publish users' events and nothing else.
  publisher = await connect(cluster.natsConnectOptions('events'));
});
afterAll(async () => {
  await publisher?.close();
  await cluster?.stop();
});

interface LoggedRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, { stringValue: string }>;
  readonly md5OfBody: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
}

// Logs each batch it gets; with ReportBatchItemFailures, reports "fail-once" on its first delivery and "fail-always" always.
const BATCH_SINK = `exports.handler = async (event) => {
  console.log('BATCH ' + JSON.stringify(event));
  if (process.env.SLEEP_MS) await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS)));
  const failures = event.Records.filter((r) => r.body === 'fail-always' || (r.body === 'fail-once' && r.attributes.ApproximateReceiveCount === '1'));
  return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
};`;
const LOGGER = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return {}; };`;

async function deploy(functionName: string, source: string, environment: Record<string, string> = {}): Promise<void> {
  await client.createFunction({ functionName, zipFile: indexJs(source), timeoutSec: 30, environment });
}

async function logged(functionName: string, marker: string, until: (lines: unknown[]) => boolean, timeoutMs = 30_000): Promise<unknown[]> {
  return eventually(
    async () => {
      const lines = (await client.getLogs({ functionName, limit: 1000 }))
        .flatMap((entry) => entry.message.split('\n'))
        .map((line) => new RegExp(`${marker} (.*)$`).exec(line)?.[1])
        .filter((text): text is string => text !== undefined)
        .map((text) => JSON.parse(text) as unknown);
      return until(lines) ? lines : undefined;
    },
    `${functionName}'s logs`,
    timeoutMs,
  );
}

function recordsOf(batches: unknown[]): LoggedRecord[] {
  return batches.flatMap((batch) => (batch as { Records: LoggedRecord[] }).Records);
}

function publish(subject: string, body: string | Uint8Array, headerValues: Record<string, string> = {}): void {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(headerValues)) h.set(name, value);
  publisher.publish(createNamespace(cluster.namespace).subjects.userEvent(subject), body, { headers: h });
}

async function jsPublish(subject: string, body: string): Promise<void> {
  await publisher.jetstream().publish(createNamespace(cluster.namespace).subjects.userEvent(subject), body);
}

describe('event source mappings', () => {
  it('delivers a JetStream subject as SQS-shaped batches, retries only the reported failures and sends exhausted ones to the on-failure destination', { timeout: 120_000 }, async () => {
    await deploy('esm-batch', BATCH_SINK);
    await deploy('esm-dlq', LOGGER);
    const mapping = await client.createEventSourceMapping({
      functionName: 'esm-batch',
      eventSource: 'jetstream:orders.*',
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      reportBatchItemFailures: true,
      maximumRetryAttempts: 1,
      onFailure: 'function:esm-dlq',
    });
    expect(mapping).toMatchObject({ state: 'Enabled', batchSize: 10, startingPosition: 'LATEST', functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 1 });
    expect(mapping.eventSourceArn).toBe('arn:stratus:jetstream:local:000000000000:subject/orders.*');
    expect(mapping.functionArn).toBe('arn:aws:lambda:local:000000000000:function:esm-batch');

    const h = natsHeaders();
    h.set('Trace', 'abc');
    await publisher.jetstream().publish(createNamespace(cluster.namespace).subjects.userEvent('orders.created'), 'ok-1', { headers: h });
    for (const body of ['ok-2', 'fail-once', 'fail-always', 'ok-3']) await jsPublish('orders.created', body);
    await jsPublish('invoices.created', 'not mapped');

    const batches = await logged('esm-batch', 'BATCH', (lines) => {
      const bodies = recordsOf(lines).map((r) => r.body);
      return bodies.filter((b) => b === 'fail-always').length >= 2 && bodies.filter((b) => b === 'fail-once').length >= 2;
    });
    const records = recordsOf(batches);
    const count = (body: string): number => records.filter((r) => r.body === body).length;
    // Acked once the function succeeded with them: never again.
    expect([count('ok-1'), count('ok-2'), count('ok-3')]).toEqual([1, 1, 1]);
    expect(count('not mapped')).toBe(0);
    const failOnce = records.filter((r) => r.body === 'fail-once').map((r) => r.attributes['ApproximateReceiveCount']);
    expect(failOnce).toEqual(['1', '2']);
    const first = records.find((r) => r.body === 'ok-1');
    expect(first).toMatchObject({
      eventSource: 'stratus:jetstream',
      eventSourceARN: mapping.eventSourceArn,
      md5OfBody: createHash('md5').update('ok-1').digest('hex'),
      messageAttributes: { Trace: { stringValue: 'abc' } },
      attributes: { ApproximateReceiveCount: '1', Subject: 'orders.created' },
    });
    expect(Number(first?.attributes['SentTimestamp'])).toBeGreaterThan(0);
    // In the stream's order within a batch.
    const firstBatch = (batches[0] as { Records: LoggedRecord[] }).Records.map((r) => Number(r.messageId));
    expect([...firstBatch].sort((a, b) => a - b)).toEqual(firstBatch);

    // fail-always: delivered twice (maximumRetryAttempts 1), then its record goes to the destination.
    const dlq = await logged('esm-dlq', 'EVENT', (lines) => lines.length >= 1);
    expect(dlq[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2, functionArn: 'arn:aws:lambda:local:000000000000:function:esm-batch:$LATEST' },
      eventSourceMappingUuid: mapping.uuid,
      requestPayload: { Records: [{ body: 'fail-always' }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(count('fail-always')).toBe(2);
    const settled = await eventually(async () => {
      const got = await client.getEventSourceMapping(mapping.uuid);
      return got.lag === 0 ? got : undefined;
    }, 'the mapping to have no lag');
    expect(settled.lastProcessingResult).toMatch(/^(OK|PROBLEM: .*)$/);
  });

  it('delivers a plain NATS subject live, from when the mapping starts, each message once', { timeout: 60_000 }, async () => {
    await deploy('esm-live', LOGGER);
    const mapping = await client.createEventSourceMapping({ functionName: 'esm-live', eventSource: 'nats:sensors.>', batchSize: 100 });
    expect(mapping).toMatchObject({ state: 'Enabled', startingPosition: '', lag: -1 });
    // Every frontend subscribes once its watch sees the mapping.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (let i = 0; i < 20; i++) publish(`sensors.room${i % 3}`, JSON.stringify({ i }));
    publish('sensors.binary', new Uint8Array([0xff, 0xfe, 0x00]));
    await publisher.flush();
    const events = await logged('esm-live', 'EVENT', (lines) => recordsOf(lines).length >= 21);
    const records = recordsOf(events);
    expect(records).toHaveLength(21);
    expect(new Set(records.map((r) => r.body)).size).toBe(21);
    expect(records.every((r) => r.eventSource === 'stratus:nats')).toBe(true);
    const binary = records.find((r) => r.attributes['Subject'] === 'sensors.binary');
    expect(binary).toMatchObject({ body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), attributes: { BodyEncoding: 'base64' } });
    await client.deleteEventSourceMapping(mapping.uuid);
  });

  it('loses nothing when the frontends running a JetStream batch are SIGKILLed: the batch comes back', { timeout: 150_000 }, async () => {
    await deploy('esm-slow', BATCH_SINK, { SLEEP_MS: '4000' });
    const mapping = await client.createEventSourceMapping({ functionName: 'esm-slow', eventSource: 'jetstream:jobs', batchSize: 10, maximumBatchingWindowInSeconds: 1 });
    for (let i = 0; i < 5; i++) await jsPublish('jobs', `job-${i}`);
    // The batch is running (logs come only when it ends, after the frontends have acked it). The function's own
    // in-flight count, not a node's: a node's can still show the previous test's last calls.
    await eventually(async () => ((await client.getFunctionConcurrency('esm-slow')).inFlight > 0 ? true : undefined), 'esm-slow to run a batch', 30_000);
    const restartsBefore = { ...cluster.restarts };
    const frontends = [...cluster.frontends];
    for (const frontend of frontends) process.kill(frontend.pid, 'SIGKILL');
    for (const frontend of frontends) await cluster.waitForRestarts(frontend.name, (restartsBefore[frontend.name] ?? 0) + 1);
    // Each job comes back: delivered again after the kill (ApproximateReceiveCount 2, or more when a redelivery
    // first went to a pull request the killed frontends left pending on the server, which nobody reads).
    const redelivered = (lines: unknown[]): Set<string> =>
      new Set(recordsOf(lines).filter((r) => Number(r.attributes['ApproximateReceiveCount']) >= 2).map((r) => r.body));
    const batches = await logged('esm-slow', 'BATCH', (lines) => redelivered(lines).size >= 5, 90_000);
    const bodies = recordsOf(batches).map((r) => r.body);
    for (let i = 0; i < 5; i++) expect(bodies.filter((b) => b === `job-${i}`).length).toBeGreaterThanOrEqual(2);
    await eventually(async () => ((await client.getEventSourceMapping(mapping.uuid)).lag === 0 ? true : undefined), 'the batch to be acked', 30_000);
  });

  it('is managed with Lambda shapes: get, list, update, disable, delete; bad settings are refused naming the field', { timeout: 60_000 }, async () => {
    await deploy('esm-crud', LOGGER);
    const created = await client.createEventSourceMapping({ functionName: 'esm-crud', eventSource: 'jetstream:crud.>', startingPosition: 'TRIM_HORIZON', enabled: false });
    expect(created).toMatchObject({ state: 'Disabled', batchSize: 10, maximumRetryAttempts: -1, startingPosition: 'TRIM_HORIZON' });
    expect((await client.listEventSourceMappings({ functionName: 'esm-crud' })).map((m) => m.uuid)).toEqual([created.uuid]);
    const updated = await client.updateEventSourceMapping({ uuid: created.uuid, enabled: true, batchSize: 50, onFailure: 'nats:crud.failed' });
    expect(updated).toMatchObject({ state: 'Enabled', batchSize: 50, destinationConfig: { onFailure: 'nats:crud.failed' } });
    const deleted = await client.deleteEventSourceMapping(created.uuid);
    expect(deleted.state).toBe('Deleting');
    await expect(client.getEventSourceMapping(created.uuid)).rejects.toSatisfy((err) => hasCode(err, 'EVENT_SOURCE_MAPPING_NOT_FOUND'));

    const refusals: Array<[Parameters<StratusClient['createEventSourceMapping']>[0], string]> = [
      [{ functionName: 'esm-crud', eventSource: 'sqs:queue' }, 'eventSourceArn'],
      [{ functionName: 'esm-crud', eventSource: 'nats:a.>.b' }, 'eventSourceArn'],
      [{ functionName: 'esm-crud', eventSource: 'jetstream:x', batchSize: 10_001 }, 'batchSize'],
      [{ functionName: 'esm-crud', eventSource: 'jetstream:x', maximumBatchingWindowInSeconds: 301 }, 'maximumBatchingWindowInSeconds'],
      [{ functionName: 'esm-crud', eventSource: 'jetstream:x', maximumRetryAttempts: -2 }, 'maximumRetryAttempts'],
      [{ functionName: 'esm-crud', eventSource: 'jetstream:x', onFailure: 'sqs:queue' }, 'destinationConfig.onFailure'],
      [{ functionName: 'esm-crud', eventSource: 'nats:x', startingPosition: 'TRIM_HORIZON' }, 'startingPosition'],
    ];
    for (const [input, field] of refusals) {
      await expect(client.createEventSourceMapping(input), JSON.stringify(input)).rejects.toSatisfy((err: unknown) => hasCode(err, 'INVALID_ARGUMENT') && String((err as Error).message).includes(field));
    }
    await expect(client.createEventSourceMapping({ functionName: 'no-such-function', eventSource: 'nats:x' })).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
  });

  it('is managed with stratus mappings create|get|ls|disable|enable|rm, in text and JSON', { timeout: 60_000 }, async () => {
    await deploy('esm-cli', LOGGER);
    const created = await stratus('mappings', 'create', 'esm-cli', '--source', 'jetstream:cli.*', '--batch-size', '5', '--report-batch-item-failures', '--retries', '3', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { uuid } = JSON.parse(created.stdout) as { uuid: string };
    expect(JSON.parse(created.stdout)).toMatchObject({ state: 'Enabled', batchSize: 5, maximumRetryAttempts: 3, functionResponseTypes: ['ReportBatchItemFailures'] });
    const text = await stratus('mappings', 'get', uuid);
    expect(text.stdout).toMatch(/source\s+jetstream:cli\.\*/);
    const listed = await stratus('mappings', 'ls', '--function', 'esm-cli');
    expect(listed.stdout).toContain(uuid);
    expect((await stratus('mappings', 'disable', uuid)).stdout).toBe(`${uuid} Disabled\n`);
    expect((await stratus('mappings', 'enable', uuid)).stdout).toBe(`${uuid} Enabled\n`);
    const refused = await stratus('mappings', 'create', 'esm-cli', '--source', 'nats:$SYS.>');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('INVALID_ARGUMENT');
    expect((await stratus('mappings', 'rm', uuid)).code).toBe(0);
    expect((await stratus('mappings', 'ls', '--function', 'esm-cli', '--json')).stdout).toContain('"eventSourceMappings": []');
  });
});

describe('event source mappings over the Lambda REST API', () => {
  let lambda: LambdaClient;
  let credential: LambdaApiTarget;
  const endpoint = (): string => `http://${cluster.httpAddress ?? ''}`;
  beforeAll(() => {
    credential = lambdaApiAdmin(cluster);
    lambda = lambdaClient(credential);
  });
  afterAll(() => lambda?.destroy());

  it('creates, reads, lists, updates and deletes a mapping with @aws-sdk/client-lambda, and the mapping delivers', { timeout: 90_000 }, async () => {
    await deploy('esm-rest', BATCH_SINK);
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'esm-rest',
        EventSourceArn: 'jetstream:rest.*',
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: 'function:esm-rest' } },
      }),
    );
    expect(created).toMatchObject({
      $metadata: { httpStatusCode: 202 },
      State: 'Enabled',
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 1,
      StartingPosition: 'TRIM_HORIZON',
      EventSourceArn: 'arn:stratus:jetstream:local:000000000000:subject/rest.*',
      FunctionArn: 'arn:aws:lambda:local:000000000000:function:esm-rest',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: 'function:esm-rest' } },
    });
    expect(created.LastModified).toBeInstanceOf(Date);
    const uuid = created.UUID ?? '';
    await jsPublish('rest.a', 'rest-1');
    await jsPublish('rest.b', 'rest-2');
    const batches = await logged('esm-rest', 'BATCH', (lines) => recordsOf(lines).length >= 2, 60_000);
    expect(recordsOf(batches).map((r) => r.body).sort()).toEqual(['rest-1', 'rest-2']);

    expect(await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).toMatchObject({ UUID: uuid, State: 'Enabled' });
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-rest' }));
    expect(listed.EventSourceMappings?.map((m) => m.UUID)).toEqual([uuid]);
    const bySource = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: 'arn:stratus:jetstream:local:000000000000:subject/rest.*' }));
    expect(bySource.EventSourceMappings?.map((m) => m.UUID)).toEqual([uuid]);

    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 50, Enabled: false, DestinationConfig: { OnFailure: {} } }));
    expect(updated).toMatchObject({ $metadata: { httpStatusCode: 202 }, State: 'Disabled', BatchSize: 50, DestinationConfig: { OnFailure: {} }, FunctionResponseTypes: ['ReportBatchItemFailures'] });

    expect(await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).toMatchObject({ $metadata: { httpStatusCode: 202 }, State: 'Deleting' });
    await expect(lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('refuses bad settings with Lambda\'s error and the field named', { timeout: 60_000 }, async () => {
    await deploy('esm-rest-bad', LOGGER);
    const refusals: Array<[ConstructorParameters<typeof CreateEventSourceMappingCommand>[0], RegExp]> = [
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:queue' }, /EventSourceArn/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', BatchSize: 10_001 }, /BatchSize: must be from 1 to 10000/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', MaximumRetryAttempts: -2 }, /MaximumRetryAttempts/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', StartingPosition: 'AT_TIMESTAMP' }, /StartingPositionTimestamp/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'nats:x', StartingPosition: 'LATEST' }, /StartingPosition/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', DestinationConfig: { OnFailure: { Destination: 'sqs:queue' } } }, /DestinationConfig\.OnFailure\.Destination/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', FilterCriteria: { Filters: [{ Pattern: '{}' }] } }, /"FilterCriteria": not supported/],
      [{ FunctionName: 'esm-rest-bad', EventSourceArn: 'jetstream:x', DestinationConfig: { OnSuccess: { Destination: 'nats:ok' } } }, /OnSuccess/],
    ];
    for (const [input, message] of refusals) {
      await expect(lambda.send(new CreateEventSourceMappingCommand(input)), JSON.stringify(input)).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        $metadata: { httpStatusCode: 400 },
        message: expect.stringMatching(message),
      });
    }
    await expect(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'no-such-function', EventSourceArn: 'nats:x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lambda.send(new UpdateEventSourceMappingCommand({ UUID: '00000000-0000-4000-8000-000000000000', BatchSize: 2 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lambda.send(new GetEventSourceMappingCommand({ UUID: 'not-a-uuid' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    // A key without the deploy scope reads, and cannot create.
    const reader = await client.createKey({ scopes: ['read'], description: 'esm-reader' });
    const readOnly = parseApiKey(reader.apiKey);
    if (!readOnly) throw new Error('no key');
    const limited = lambdaClient({ endpoint: endpoint(), keyId: readOnly.keyId, secret: readOnly.secret });
    try {
      await limited.send(new ListEventSourceMappingsCommand({}));
      await expect(limited.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-rest-bad', EventSourceArn: 'nats:x' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    } finally {
      limited.destroy();
    }
  });

  it.skipIf(awsCliMissing)('is driven by AWS CLI v2', { timeout: 120_000 }, async () => {
    await deploy('esm-rest-cli', LOGGER);
    await using cli = await awsCliHome(credential);
    const aws = cli.lambda;
    const created = await aws('create-event-source-mapping', '--function-name', 'esm-rest-cli', '--event-source-arn', 'nats:cli.rest', '--batch-size', '3');
    expect(created.stderr).toBe('');
    const { UUID: uuid } = JSON.parse(created.stdout) as { UUID: string };
    const listed = JSON.parse((await aws('list-event-source-mappings', '--function-name', 'esm-rest-cli')).stdout) as { EventSourceMappings: Array<{ UUID: string; BatchSize: number }> };
    expect(listed.EventSourceMappings).toEqual([expect.objectContaining({ UUID: uuid, BatchSize: 3 })]);
    expect((await aws('delete-event-source-mapping', '--uuid', uuid)).code).toBe(0);
    const missing = await aws('get-event-source-mapping', '--uuid', uuid);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });
});

function stratus(...args: string[]): Promise<CliRun> {
  return runStratus(cluster, args);
}
