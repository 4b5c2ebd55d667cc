import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

// buf ships its binary inside an npm package; resolve it rather than relying on PATH.
const bufBin = join(dirname(createRequire(import.meta.url).resolve('@bufbuild/buf/package.json')), 'bin', 'buf');

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

function bufCurl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(bufBin, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', ...args], (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout, stderr }),
    ),
  );
}

describe('server reflection: a generic gRPC client needs no .proto files', () => {
  it('lists every method of the API', async () => {
    const listed = await bufCurl('--list-methods', `http://${cluster.grpcAddress}`);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim().split('\n')).toEqual(
      expect.arrayContaining([
        'stratus.v1.Functions/CreateFunction',
        'stratus.v1.Functions/GetFunction',
        'stratus.v1.Invoker/Invoke',
        'stratus.v1.Nodes/ListNodes',
        'stratus.v1.Usage/GetUsage',
      ]),
    );
  });

  it('invokes a function with buf curl', async () => {
    await cluster.client.createFunction({ functionName: 'refl', zipFile: indexJs(`exports.handler = async (e) => ({ got: e.name });`) });
    const payload = Buffer.from('{"name":"buf"}').toString('base64');
    const called = await bufCurl('-H', `authorization: Bearer ${cluster.apiKey}`, '-d', JSON.stringify({ functionName: 'refl', payload }), `http://${cluster.grpcAddress}/stratus.v1.Invoker/Invoke`);
    expect(called.stderr).toBe('');
    const response = JSON.parse(called.stdout) as { statusCode: number; payload: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(Buffer.from(response.payload, 'base64').toString())).toEqual({ got: 'buf' });
  });
});
