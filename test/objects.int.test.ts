import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectsClient, type ObjectsClient } from '@stratus/client';
import { changeRequestId } from '@stratus/frontend';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// The object store end to end: the `stratus objects` commands, the Objects gRPC service, and bucket
// notifications invoking functions with S3's event document through the asynchronous invocation layer,
// with two frontends sharing the notifications.
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
let cluster: TestCluster;
let objects: ObjectsClient;
let workDir: string;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, frontends: 2 });
  objects = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: false });
  workDir = await mkdtemp(join(tmpdir(), 'stratus-objects-'));
});
afterAll(async () => {
  await objects?.close();
  await cluster?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function stratus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['packages/cli/bin/stratus.js', ...args, '--endpoint', cluster.grpcAddress],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', STRATUS_API_KEY: cluster.apiKey }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: stdout.toString('latin1'), stderr: stderr.toString() }),
    );
  });
}

/** The S3 records a function logged, oldest first. */
async function loggedRecords(functionName: string, atLeast: number): Promise<Record<string, unknown>[]> {
  return eventually(
    async () => {
      const records = (await cluster.client.getLogs({ functionName, limit: 10_000 }))
        .flatMap((entry) => entry.message.split('\n'))
        .map((line) => /EVENT (.*)$/.exec(line)?.[1])
        .filter((text): text is string => text !== undefined)
        .map((text) => (JSON.parse(text) as { Records: Record<string, unknown>[] }).Records[0] ?? {});
      return records.length >= atLeast ? records : undefined;
    },
    `${atLeast} S3 events logged by ${functionName}`,
    60_000,
  );
}

const SINK = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return 'ok'; };`;

describe('stratus objects', () => {
  it('makes a bucket, streams a file up and down with its ETag, lists, heads, removes, and refuses hostile names with the reason', { timeout: 120_000 }, async () => {
    const file = join(workDir, 'big.bin');
    const body = randomBytes(2 * 1024 * 1024 + 5);
    await writeFile(file, body);
    expect((await stratus('objects', 'mb', 'cli-bucket')).code).toBe(0);
    const put = await stratus('objects', 'put', 'cli-bucket', 'dir/big file.bin', file, '--content-type', 'application/x-test', '--metadata', 'owner=ada', '--json');
    expect(put.code, put.stderr).toBe(0);
    const md5 = createHash('md5').update(body).digest('hex');
    expect(JSON.parse(put.stdout)).toMatchObject({ key: 'dir/big file.bin', size: body.byteLength, etag: `"${md5}"` });

    const out = join(workDir, 'back.bin');
    const got = await stratus('objects', 'get', 'cli-bucket', 'dir/big file.bin', out);
    expect(got.code, got.stderr).toBe(0);
    expect((await readFile(out)).equals(body)).toBe(true);

    const head = await stratus('objects', 'head', 'cli-bucket', 'dir/big file.bin', '--json');
    expect(JSON.parse(head.stdout)).toMatchObject({ contentType: 'application/x-test', metadata: { owner: 'ada' }, etag: `"${md5}"` });
    const listed = await stratus('objects', 'ls', 'cli-bucket', '--prefix', 'dir/');
    expect(listed.stdout).toContain('dir/big file.bin');
    expect((await stratus('objects', 'ls')).stdout).toContain('cli-bucket');

    const notEmpty = await stratus('objects', 'rb', 'cli-bucket');
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toContain('BUCKET_NOT_EMPTY');
    expect((await stratus('objects', 'rm', 'cli-bucket', 'dir/big file.bin')).code).toBe(0);
    const missing = await stratus('objects', 'get', 'cli-bucket', 'dir/big file.bin');
    expect(missing.stderr).toContain('OBJECT_NOT_FOUND');
    expect((await stratus('objects', 'rb', 'cli-bucket')).code).toBe(0);

    const wildcard = await stratus('objects', 'mb', '*');
    expect(wildcard.stderr).toContain('INVALID_ARGUMENT');
    expect(wildcard.stderr).toContain('bucket "*"');
    await objects.createBucket('hostile-keys');
    await expect(objects.putObject({ bucket: 'hostile-keys', key: '../../etc/passwd', body: Buffer.from('x') })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('".." path segment') });
    await expect(objects.putObject({ bucket: 'hostile-keys', key: 'a\u0000b', body: Buffer.from('x') })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('control characters') });
    await expect(objects.putObject({ bucket: 'hostile-keys', key: 'k'.repeat(1025), body: Buffer.from('x') })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('1024 bytes') });
  });

  it('needs the objects scopes: a read key reads, a deploy key does neither', async () => {
    const reader = await cluster.client.createKey({ scopes: ['objects:read'] });
    const deployer = await cluster.client.createKey({ scopes: ['deploy'] });
    await objects.createBucket('scoped');
    await objects.putObject({ bucket: 'scoped', key: 'k', body: Buffer.from('v') });
    const asReader = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: reader.apiKey, tls: false });
    const asDeployer = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: deployer.apiKey, tls: false });
    try {
      await expect(asReader.headObject('scoped', 'k')).resolves.toMatchObject({ size: 1 });
      await expect(asReader.putObject({ bucket: 'scoped', key: 'k2', body: Buffer.from('v') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('objects:write') });
      await expect(asDeployer.listObjects({ bucket: 'scoped' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('objects:read') });
    } finally {
      await asReader.close();
      await asDeployer.close();
    }
  });
});

// Each case deploys, uploads and waits for async invocations (and the first runs the CLI): well past the 30 s default on a busy machine.
describe('bucket notifications', { timeout: 120_000 }, () => {
  it('invokes the function once per matching change with S3’s event document, with two frontends running', async () => {
    await cluster.client.createFunction({ functionName: 'on-upload', zipFile: indexJs(SINK) });
    await objects.createBucket('uploads');
    await expect(
      objects.putBucketNotificationConfiguration('uploads', [{ id: 'x', lambdaFunctionArn: 'missing-fn', events: ['s3:ObjectCreated:*'] }]),
    ).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    await expect(
      objects.putBucketNotificationConfiguration('uploads', [{ id: 'x', lambdaFunctionArn: 'on-upload', events: ['s3:ObjectRestore:*'] }]),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('events') });
    const notify = await stratus('objects', 'notify', 'uploads', '--function', 'on-upload', '--events', 's3:ObjectCreated:Put,s3:ObjectRemoved:*', '--prefix', 'in/', '--suffix', '.jpg', '--id', 'thumbs');
    expect(notify.code, notify.stderr).toBe(0);
    expect(notify.stdout).toContain('thumbs');
    // A configuration applies to changes made from about a second after it is stored: each frontend re-reads a
    // bucket's settings at most once a second (the README says so), and either frontend may handle a change.
    await new Promise((r) => setTimeout(r, 1500));

    const put = await objects.putObject({ bucket: 'uploads', key: 'in/red flower.jpg', body: Buffer.from('jpeg bytes') });
    await objects.putObject({ bucket: 'uploads', key: 'in/ignored.png', body: Buffer.from('png') });
    await objects.putObject({ bucket: 'uploads', key: 'out/ignored.jpg', body: Buffer.from('jpg') });
    const many = 20;
    await Promise.all(Array.from({ length: many }, (_, i) => objects.putObject({ bucket: 'uploads', key: `in/${i}.jpg`, body: Buffer.from(String(i)) })));
    await objects.deleteObject('uploads', 'in/red flower.jpg');

    const records = await loggedRecords('on-upload', many + 2);
    await new Promise((r) => setTimeout(r, 2000));
    const settled = await loggedRecords('on-upload', many + 2);
    expect(settled).toHaveLength(many + 2);
    const created = records.find((r) => (r['s3'] as { object: { key: string } }).object.key === 'in/red+flower.jpg' && r['eventName'] === 'ObjectCreated:Put');
    expect(created).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        configurationId: 'thumbs',
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'in/red+flower.jpg', size: 10, eTag: createHash('md5').update('jpeg bytes').digest('hex'), sequencer: put.sequencer },
      },
    });
    expect(Date.parse(String(created?.['eventTime']))).toBeGreaterThan(0);
    expect(settled.filter((r) => r['eventName'] === 'ObjectRemoved:Delete')).toHaveLength(1);
    // Sequencers grow with each change.
    const sequencers = settled.map((r) => (r['s3'] as { object: { sequencer: string } }).object.sequencer);
    expect(new Set(sequencers).size).toBe(many + 2);
    // Listed with the other event sources, with its backlog worked off.
    const listed = await eventually(
      async () => {
        const triggers = await cluster.client.listTriggers({ kind: 'object-notification' });
        const found = triggers.find((t) => t.name === 'uploads/thumbs');
        return found !== undefined && Number(found.backlog) === 0 && Number(found.lastFireMs) > 0 ? found : undefined;
      },
      'the notification listed in ListTriggers with no backlog',
      30_000,
    );
    expect(listed).toMatchObject({ functionName: 'on-upload', state: 'ENABLED', source: expect.stringContaining('s3://uploads/in/*.jpg') });
  });

  it('carries the writer’s depth into the event: deeper than 16 is stopped as a recursive loop', async () => {
    await cluster.client.createFunction({ functionName: 'on-deep', zipFile: indexJs(SINK) });
    await objects.createBucket('deep');
    await objects.putBucketNotificationConfiguration('deep', [{ id: 'loop', lambdaFunctionArn: 'on-deep', events: ['s3:ObjectCreated:*'] }]);
    const created = (await objects.listBuckets()).find((b) => b.name === 'deep')?.creationDate ?? '';
    const allowed = await objects.putObject({ bucket: 'deep', key: 'depth-16', body: Buffer.from('x'), traceDepth: 16 });
    const looped = await objects.putObject({ bucket: 'deep', key: 'depth-17', body: Buffer.from('x'), traceDepth: 17 });
    const idOf = (sequencer: string): string => changeRequestId(cluster.namespace, 'deep', created, parseInt(sequencer, 16), 'loop');
    const stateOf = (requestId: string, states: string[]) =>
      eventually(
        async () => {
          const status = await cluster.client.getAsyncInvocation(requestId).catch(() => undefined);
          return status !== undefined && states.includes(status.state) ? status : undefined;
        },
        `${requestId} to be ${states.join(' or ')}`,
        60_000,
      );
    expect(await stateOf(idOf(allowed.sequencer), ['succeeded'])).toMatchObject({ attempts: 1 });
    expect(await stateOf(idOf(looped.sequencer), ['failed'])).toMatchObject({ attempts: 0, lastError: expect.stringContaining('RecursiveInvocationLoop') });
  });
});
