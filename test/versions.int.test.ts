import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import type { StratusClient } from '@stratus/client';
import { eventually, indexJs } from './support/code.js';
import { runStratus, type CliRun } from './support/cli.js';

// Versions and aliases through a real cluster: what a published version runs, how an alias routes, and
// which deletions are refused.
let cluster: TestCluster;
let client: StratusClient;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
  client = cluster.client;
});
afterAll(async () => {
  await cluster?.stop();
});

/** A handler that says which code it is and what its context says; `boot` is fixed per execution environment. */
function labelled(label: string): Uint8Array {
  return indexJs(`
    const boot = Math.random().toString(36).slice(2);
    exports.handler = async (event, context) => ({
      label: ${JSON.stringify(label)},
      boot,
      functionVersion: context.functionVersion,
      envVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: context.invokedFunctionArn,
    });
  `);
}

interface Answer {
  readonly label: string;
  readonly boot: string;
  readonly functionVersion: string;
  readonly envVersion: string;
  readonly invokedFunctionArn: string;
}

async function call(functionName: string, qualifier?: string): Promise<{ answer: Answer; executedVersion: string }> {
  const result = await client.invoke({ functionName, ...(qualifier !== undefined ? { qualifier } : {}) });
  expect(result.functionError).toBe('');
  return { answer: JSON.parse(result.payloadText) as Answer, executedVersion: result.executedVersion };
}

function failsWith(code: Parameters<typeof hasCode>[1], message?: RegExp): (err: unknown) => boolean {
  return (err) => hasCode(err, code) && (message === undefined || message.test((err as Error).message));
}

describe('versions', () => {
  it('publishes an immutable snapshot: after $LATEST changes, version 1 still runs the old code', async () => {
    await client.createFunction({ functionName: 'shop', zipFile: labelled('one'), description: 'the shop' });
    const v1 = await client.publishVersion({ functionName: 'shop', description: 'first' });
    expect(v1).toMatchObject({ version: '1', description: 'first', functionArn: expect.stringMatching(/:function:shop:1$/) as unknown });

    await client.updateFunction({ functionName: 'shop', zipFile: labelled('two'), memorySizeMb: 256 });
    const byName = await call('shop:1');
    expect(byName.answer).toMatchObject({ label: 'one', functionVersion: '1', envVersion: '1' });
    expect(byName.answer.invokedFunctionArn).toMatch(/:function:shop:1$/);
    expect(byName.executedVersion).toBe('1');
    const byField = await call('shop', '1');
    expect(byField.answer.label).toBe('one');
    const latest = await call('shop');
    expect(latest.answer).toMatchObject({ label: 'two', functionVersion: '$LATEST' });
    expect(latest.answer.invokedFunctionArn).toMatch(/:function:shop$/);
    // The same warm environment answers a call through another name with that name's ARN.
    const qualifiedLatest = await call('shop', '$LATEST');
    expect(qualifiedLatest.answer.invokedFunctionArn).toMatch(/:function:shop:\$LATEST$/);
    expect(latest.executedVersion).toBe('$LATEST');

    const got = await client.getFunction('shop', '1');
    expect(got).toMatchObject({ version: '1', memorySizeMb: 128, codeSha256: v1.codeSha256 });
    expect((await client.getFunction('shop:1')).version).toBe('1');
    expect((await client.getFunction('shop')).memorySizeMb).toBe(256);
  }, 60_000);

  it('returns the last version when nothing changed since, and numbers the next change 2', async () => {
    const v2 = await client.publishVersion({ functionName: 'shop' });
    expect(v2.version).toBe('2');
    expect(v2.description).toBe('the shop');
    const again = await client.publishVersion({ functionName: 'shop', description: 'nothing new' });
    expect(again.version).toBe('2');
    await expect(client.publishVersion({ functionName: 'shop', codeSha256: '0'.repeat(64) })).rejects.toSatisfy(failsWith('INVALID_ARGUMENT', /CodeSHA256/));
    await expect(client.publishVersion({ functionName: 'nope' })).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND'));
  });

  it('lists $LATEST and the versions, in pages', async () => {
    const all = await client.listVersionsByFunction('shop');
    expect(all.versions.map((v) => v.version)).toEqual(['$LATEST', '1', '2']);
    expect(all.nextMarker).toBe('');
    const first = await client.listVersionsByFunction('shop', { maxItems: 2 });
    expect(first.versions.map((v) => v.version)).toEqual(['$LATEST', '1']);
    const second = await client.listVersionsByFunction('shop', { maxItems: 2, marker: first.nextMarker });
    expect(second.versions.map((v) => v.version)).toEqual(['2']);
    expect(second.nextMarker).toBe('');
  });

  it('keeps each version in environments of its own', async () => {
    const boots = new Map<string, Set<string>>();
    for (let i = 0; i < 6; i += 1) {
      for (const qualifier of ['1', '2', '$LATEST']) {
        const { answer, executedVersion } = await call('shop', qualifier);
        expect(executedVersion).toBe(qualifier);
        boots.set(qualifier, (boots.get(qualifier) ?? new Set()).add(answer.boot));
      }
    }
    const [one, two, latest] = ['1', '2', '$LATEST'].map((q) => boots.get(q) ?? new Set<string>());
    for (const boot of one ?? []) {
      expect(two?.has(boot)).toBe(false);
      expect(latest?.has(boot)).toBe(false);
    }
    for (const boot of two ?? []) expect(latest?.has(boot)).toBe(false);
    // Version 2 and $LATEST run the same code and configuration, and still never share an environment.
    expect((await client.getFunction('shop', '2')).codeSha256).toBe((await client.getFunction('shop')).codeSha256);
    // Nodes report warm environments per version, in their next heartbeats.
    await eventually(async () => {
      const nodes = await client.listNodes();
      const versions = new Set(nodes.flatMap((n) => n.functions.filter((f) => f.functionName === 'shop').map((f) => f.version)));
      return versions.size === 3 && versions.has('1') && versions.has('2') && versions.has('$LATEST') ? true : undefined;
    }, 'the nodes to report environments of versions 1, 2 and $LATEST');
  }, 60_000);
});

describe('aliases', () => {
  it('validates aliases as Lambda does', async () => {
    await expect(client.createAlias({ functionName: 'shop', name: '123', functionVersion: '1' })).rejects.toSatisfy(failsWith('INVALID_ARGUMENT', /all digits/));
    await expect(client.createAlias({ functionName: 'shop', name: 'a/b', functionVersion: '1' })).rejects.toSatisfy(failsWith('INVALID_ARGUMENT', /letters, digits/));
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '9' })).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND', /shop:9/));
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '$LATEST', additionalVersionWeights: { '1': 0.5 } })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', /published version, not \$LATEST/),
    );
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '1', additionalVersionWeights: { '2': 1.5 } })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', /from 0 to 1/),
    );
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '1', additionalVersionWeights: { '1': 0.5 } })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', /must differ/),
    );
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '1', additionalVersionWeights: { $LATEST: 0.5 } })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', /not \$LATEST/),
    );
    await expect(client.createAlias({ functionName: 'shop', name: 'x', functionVersion: '1', additionalVersionWeights: { '2': 0.1, '3': 0.1 } })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', /at most 1 additional version/),
    );
  });

  it('routes calls by weight, and executedVersion says which version ran', async () => {
    const prod = await client.createAlias({ functionName: 'shop', name: 'prod', functionVersion: '1', description: 'live', additionalVersionWeights: { '2': 0.3 } });
    expect(prod).toMatchObject({ name: 'prod', functionVersion: '1', aliasArn: expect.stringMatching(/:function:shop:prod$/) as unknown });
    expect(prod.routingConfig?.additionalVersionWeights).toEqual({ '2': 0.3 });
    await expect(client.createAlias({ functionName: 'shop', name: 'prod', functionVersion: '2' })).rejects.toSatisfy(failsWith('ALIAS_ALREADY_EXISTS'));

    const calls = 300;
    const ran = new Map<string, number>();
    for (let batch = 0; batch < calls / 20; batch += 1) {
      const results = await Promise.all(Array.from({ length: 20 }, () => call('shop:prod')));
      for (const { answer, executedVersion } of results) {
        // The reported version is the one whose code ran; the ARN is the alias's, whichever version ran.
        expect(answer.functionVersion).toBe(executedVersion);
        expect(answer.invokedFunctionArn).toMatch(/:function:shop:prod$/);
        expect(answer.label).toBe(executedVersion === '1' ? 'one' : 'two');
        ran.set(executedVersion, (ran.get(executedVersion) ?? 0) + 1);
      }
    }
    expect([...ran.keys()].sort()).toEqual(['1', '2']);
    // 300 calls at p = 0.3: the share of version 2 is within ±0.1 with probability above 0.9999.
    const share = (ran.get('2') ?? 0) / calls;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  }, 120_000);

  it('gets, lists, updates and deletes aliases', async () => {
    await client.createAlias({ functionName: 'shop', name: 'beta', functionVersion: '$LATEST' });
    expect((await call('shop:beta')).executedVersion).toBe('$LATEST');
    const listed = await client.listAliases('shop');
    expect(listed.aliases.map((a) => a.name)).toEqual(['beta', 'prod']);
    expect((await client.listAliases('shop', { functionVersion: '2' })).aliases.map((a) => a.name)).toEqual(['prod']);
    const page = await client.listAliases('shop', { maxItems: 1 });
    expect(page.aliases.map((a) => a.name)).toEqual(['beta']);
    expect((await client.listAliases('shop', { maxItems: 1, marker: page.nextMarker })).aliases.map((a) => a.name)).toEqual(['prod']);

    const before = await client.getAlias('shop', 'prod');
    const moved = await client.updateAlias({ functionName: 'shop', name: 'prod', functionVersion: '2', additionalVersionWeights: {} });
    expect(moved).toMatchObject({ functionVersion: '2', description: 'live' });
    expect(moved.routingConfig?.additionalVersionWeights).toEqual({});
    expect(moved.revisionId).not.toBe(before.revisionId);
    await expect(client.updateAlias({ functionName: 'shop', name: 'prod', description: 'stale', revisionId: before.revisionId })).rejects.toSatisfy(failsWith('PRECONDITION_FAILED'));
    expect((await call('shop:prod')).executedVersion).toBe('2');
    expect((await client.getFunction('shop', 'prod')).version).toBe('2');

    await client.deleteAlias('shop', 'beta');
    await expect(client.getAlias('shop', 'beta')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND', /Alias not found/));
    await expect(call('shop:beta')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND'));
  });

  it('refuses to delete a version an alias points at, and deletes it once none does', async () => {
    await expect(client.deleteFunction('shop', '2')).rejects.toSatisfy(failsWith('RESOURCE_IN_USE', /\[prod\]/));
    await client.updateAlias({ functionName: 'shop', name: 'prod', functionVersion: '1', additionalVersionWeights: { '2': 0.5 } });
    await expect(client.deleteFunction('shop', '2')).rejects.toSatisfy(failsWith('RESOURCE_IN_USE', /\[prod\]/));
    await client.updateAlias({ functionName: 'shop', name: 'prod', additionalVersionWeights: {} });
    await client.deleteFunction('shop:2');
    await expect(call('shop:2')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND', /shop:2/));
    expect((await client.listVersionsByFunction('shop')).versions.map((v) => v.version)).toEqual(['$LATEST', '1']);
    await expect(client.deleteFunction('shop', '$LATEST')).rejects.toSatisfy(failsWith('INVALID_ARGUMENT'));
    // A deleted number is never given again.
    await client.updateFunction({ functionName: 'shop', environment: { AGAIN: '1' } });
    expect((await client.publishVersion({ functionName: 'shop' })).version).toBe('3');
  });

  it('gives concurrent publishes distinct numbers, each holding what it published', async () => {
    await client.createFunction({ functionName: 'busy', zipFile: labelled('busy') });
    const published = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        for (;;) {
          try {
            await client.updateFunction({ functionName: 'busy', environment: { ROUND: String(i) } });
            break;
          } catch (err) {
            if (!hasCode(err, 'CONFLICT')) throw err;
          }
        }
        return client.publishVersion({ functionName: 'busy' });
      }),
    );
    const stored = (await client.listVersionsByFunction('busy')).versions.filter((v) => v.version !== '$LATEST');
    const numbers = stored.map((v) => Number(v.version));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(new Set(stored.map((v) => JSON.stringify(v.environment))).size).toBe(stored.length);
    for (const version of published) {
      const match = stored.find((v) => v.version === version.version);
      expect(match?.environment).toEqual(version.environment);
    }
  }, 60_000);

  it('deletes a function with its versions and aliases; created again, it starts from version 1', async () => {
    await client.deleteFunction('shop');
    await expect(call('shop:1')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND'));
    await expect(call('shop:prod')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND'));
    await client.createFunction({ functionName: 'shop', zipFile: labelled('again') });
    expect((await client.listVersionsByFunction('shop')).versions.map((v) => v.version)).toEqual(['$LATEST']);
    expect((await client.listAliases('shop')).aliases).toEqual([]);
    expect((await client.publishVersion({ functionName: 'shop' })).version).toBe('1');
    expect((await call('shop:1')).answer.label).toBe('again');
  });
});

describe('provisioned concurrency per version and alias', () => {
  it('keeps environments of the version initialised', async () => {
    await client.createFunction({ functionName: 'kept', zipFile: labelled('kept') });
    await client.publishVersion({ functionName: 'kept' });
    await client.createAlias({ functionName: 'kept', name: 'live', functionVersion: '1' });
    await expect(client.putProvisionedConcurrencyConfig('kept', 2, '7')).rejects.toSatisfy(failsWith('FUNCTION_NOT_FOUND'));
    await client.putProvisionedConcurrencyConfig('kept', 2, 'live');
    const ready = await eventually(async () => {
      const config = await client.getProvisionedConcurrencyConfig('kept', 'live');
      return config.status === 'READY' ? config : undefined;
    }, 'the alias to have its provisioned environments');
    expect(ready.allocatedProvisionedConcurrentExecutions).toBe(2);
    const nodes = await client.listNodes();
    const pools = nodes.flatMap((n) => n.functions.filter((f) => f.functionName === 'kept'));
    expect(pools.every((p) => p.version === '1')).toBe(true);
    expect((await call('kept:live')).executedVersion).toBe('1');
    await client.createAlias({ functionName: 'kept', name: 'edge', functionVersion: '$LATEST' });
    await expect(client.putProvisionedConcurrencyConfig('kept', 1, 'edge')).rejects.toSatisfy(failsWith('INVALID_ARGUMENT', /unpublished/));
    expect((await client.deleteProvisionedConcurrencyConfig('kept', 'live')).status).toBe('NONE');
  }, 60_000);
});

/** Runs the real `stratus` executable against the test cluster. */
function stratus(...args: string[]): Promise<CliRun> {
  return runStratus(cluster, args);
}

// Each CLI run loads Node and the client: seconds apiece on a busy machine.
describe('the stratus command', { timeout: 120_000 }, () => {
  it('publishes, lists versions, and manages aliases with weights', async () => {
    await client.createFunction({ functionName: 'clifn', zipFile: labelled('cli') });
    const published = await stratus('publish', 'clifn', '--description', 'from the cli');
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/version\s+1\n/);
    await client.updateFunction({ functionName: 'clifn', environment: { NEXT: '1' } });
    expect((await stratus('publish', 'clifn', '--json')).stdout).toContain('"version": "2"');

    const versions = await stratus('versions', 'clifn');
    expect(versions.stdout.split('\n').slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual(['$LATEST', '1', '2']);

    const created = await stratus('alias', 'create', 'clifn', 'live', '--version', '1', '--weight', '2=0.25');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/routing\s+2=0\.25/);
    const bad = await stratus('alias', 'create', 'clifn', 'worse', '--version', '1', '--weight', '2=1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('VERSION=WEIGHT');
    const updated = await stratus('alias', 'update', 'clifn', 'live', '--version', '2', '--no-routing', '--json');
    expect(JSON.parse(updated.stdout)).toMatchObject({ name: 'live', functionVersion: '2', routingConfig: { additionalVersionWeights: {} } });
    expect((await stratus('alias', 'ls', 'clifn')).stdout).toMatch(/live\s+2/);

    const invoked = await stratus('invoke', 'clifn:live', '--json');
    expect(JSON.parse(invoked.stdout)).toMatchObject({ executedVersion: '2' });
    expect((await stratus('get', 'clifn', '--qualifier', '1', '--json')).stdout).toContain('"version": "1"');

    const refused = await stratus('rm', 'clifn', '--qualifier', '2');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('RESOURCE_IN_USE');
    expect((await stratus('alias', 'rm', 'clifn', 'live')).code).toBe(0);
    expect((await stratus('rm', 'clifn:2')).stdout).toBe('deleted version clifn:2\n');
  });
});
