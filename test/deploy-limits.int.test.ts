import { Zip, ZipPassThrough, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs, zipOf } from './support/code.js';
import { MB, deployError, zipOfManyFiles, zipOfZeros } from './support/zips.js';

// Hostile uploads through a real cluster: each must fail (or succeed) on its
// own, in a bundling process, while invocations on the same frontend go on.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  await cluster.client.createFunction({ functionName: 'steady', zipFile: indexJs('exports.handler = async () => "still here";') });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('deploys are confined and bounded, and invocations keep flowing', () => {
  it('answers invocations throughout zip bombs and a 100k-file zip', { timeout: 120_000 }, async () => {
    const bomb240 = zipOfZeros(240, 'zeros.js');
    const bomb300 = zipOfZeros(300);
    const files100k = zipOfManyFiles(100_000);
    expect(bomb240.byteLength).toBeLessThan(MB);

    const latencies: number[] = [];
    let deploying = true;
    const invoking = (async () => {
      while (deploying) {
        const started = performance.now();
        const result = await cluster.client.invoke({ functionName: 'steady' });
        latencies.push(performance.now() - started);
        expect(result.payloadText).toBe('"still here"');
      }
    })();
    try {
      const [accepted, tooBig, tooMany] = await Promise.all([
        cluster.client.createFunction({ functionName: 'bomb-240', zipFile: bomb240 }),
        deployError(cluster, 'bomb-300', bomb300),
        deployError(cluster, 'files-100k', files100k),
      ]);
      // Within Lambda's 250 MB, so it deploys; the bundle is just the handler (zeros.js is code nothing imports, so it
      // is not carried to run time either: a 240 MB data file would pass the 50 MB of files carried).
      expect(accepted.codeSize).toBeLessThan(10_000);
      expect(tooBig.code).toBe('INVALID_CODE');
      expect(tooBig.message).toMatch(/unzipped code exceeds 262144000 bytes \(250 MB\)/);
      expect(tooMany.code).toBe('INVALID_CODE');
      // fflate writes the 16-bit entry count without ZIP64 (100001 mod 65536); either way it is over.
      expect(tooMany.message).toMatch(/\d+ entries; the limit is 10000 files and folders/);
    } finally {
      deploying = false;
      await invoking;
    }
    // Loose bounds: inflating 240 MB on the frontend's loop stalled it for
    // about 3 s; now the loop only waits on a child process.
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(2000);
  });

  it('refuses duplicate zip entries with a clear error', async () => {
    const chunks: Uint8Array[] = [];
    const archive = new Zip((err, chunk) => {
      if (err) throw err;
      chunks.push(chunk);
    });
    for (const source of ['exports.handler = async () => 1;', 'exports.handler = async () => 2;']) {
      const file = new ZipPassThrough('index.js');
      archive.add(file);
      file.push(strToU8(source), true);
    }
    archive.end();
    const err = await deployError(cluster, 'duplicates', Buffer.concat(chunks));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toMatch(/two entries named "index.js"/);
  });

  it('refuses code that imports a host file, naming the import', async () => {
    const err = await deployError(
      cluster,
      'host-file',
      zipOf({ 'index.mjs': 'import t from "/etc/hostname" with { type: "text" };\nexport const handler = async () => t;\n' }),
    );
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toContain('index.mjs imports "/etc/hostname"');
  });

  it('throttles deploys beyond what the frontend bundles and queues', async () => {
    // 2 bundling and 4 waiting by default: of 10 at once, at least 4 are refused at once.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        cluster.client.createFunction({ functionName: `burst-${i}`, zipFile: indexJs('exports.handler = async () => 1;') }).then(
          () => 'deployed',
          (e: unknown) => (hasCode(e) ? e.code : String(e)),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'THROTTLED').length).toBeGreaterThanOrEqual(4);
    expect(outcomes.filter((o) => o !== 'THROTTLED' && o !== 'deployed')).toEqual([]);
    // A refused deploy is retryable: the frontend takes it once the burst is over.
    await cluster.client.createFunction({ functionName: 'after-burst', zipFile: indexJs('exports.handler = async () => 1;') });
  });
});
