import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { encodeCodePackage } from '@stratus/contracts';
import { DeployBundler, type DeployBundlerOptions } from '../src/index.js';

const hello = zipSync({ 'index.js': strToU8('exports.handler = async (e) => ({ hello: e.name });\n') });

const bundlers: DeployBundler[] = [];
function bundler(options: DeployBundlerOptions = {}): DeployBundler {
  const created = DeployBundler.create(options);
  bundlers.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(bundlers.splice(0).map((b) => b.close()));
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, string> }> {
  const err: unknown = await promise.then(
    () => new Error('expected the deploy to fail'),
    (e: unknown) => e,
  );
  if (!hasCode(err)) throw err;
  return { code: err.code, message: err.message, details: { ...err.details } };
}

describe('DeployBundler', () => {
  it('bundles in a child process as bundleFunction does in this one', async () => {
    const result = await bundler().bundle({ zip: hello, handler: 'index.handler' });
    const url = `data:text/javascript;base64,${Buffer.from(result.script).toString('base64')}`;
    const mod = (await import(url)) as { default: { handler: (e: unknown) => Promise<unknown> } };
    await expect(mod.default.handler({ name: 'Ada' })).resolves.toEqual({ hello: 'Ada' });
    // The stored code is the script and its source map, which crosses from the child too.
    expect(result.sourceMap).toContain('"version": 3');
    expect(result.size).toBe(encodeCodePackage({ script: result.script, files: [], ...(result.sourceMap !== undefined ? { sourceMap: result.sourceMap } : {}) }).byteLength);
  });

  it("passes the child's refusals through with their code and details", async () => {
    const zip = zipSync({ 'index.mjs': strToU8('import t from "/etc/hostname" with { type: "text" };\nexport const handler = () => t;\n') });
    const err = await failure(bundler().bundle({ zip, handler: 'index.handler' }));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toContain('"/etc/hostname"');
    expect(err.details['errorType']).toBe('Runtime.ImportModuleError');
  });

  it('kills a deploy that runs past the time limit and says so', async () => {
    const deploys = bundler({ timeLimitMs: 1 });
    const err = await failure(deploys.bundle({ zip: hello, handler: 'index.handler' }));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.message).toMatch(/deploy time limit \(0.001 s\)/);
    expect(deploys.load).toEqual({ running: 0, waiting: 0 });
  });

  it('runs at most maxRunning deploys, queues maxWaiting more and refuses the rest with THROTTLED', async () => {
    const deploys = bundler({ maxRunning: 1, maxWaiting: 1 });
    const first = deploys.bundle({ zip: hello, handler: 'index.handler' });
    const second = deploys.bundle({ zip: hello, handler: 'index.handler' });
    expect(deploys.load).toEqual({ running: 1, waiting: 1 });
    const third = await failure(deploys.bundle({ zip: hello, handler: 'index.handler' }));
    expect(third.code).toBe('THROTTLED');
    expect(third.details['reason']).toBe('DeployConcurrencyLimitExceeded');
    await expect(first).resolves.toMatchObject({ size: expect.any(Number) as number });
    await expect(second).resolves.toMatchObject({ size: expect.any(Number) as number });
    expect(deploys.load).toEqual({ running: 0, waiting: 0 });
  });

  it('close fails what is running and waiting with SHUTTING_DOWN, and refuses new deploys', async () => {
    const deploys = bundler({ maxRunning: 1, maxWaiting: 1 });
    const running = failure(deploys.bundle({ zip: hello, handler: 'index.handler' }));
    const waiting = failure(deploys.bundle({ zip: hello, handler: 'index.handler' }));
    await deploys.close();
    expect((await running).code).toBe('SHUTTING_DOWN');
    expect((await waiting).code).toBe('SHUTTING_DOWN');
    expect((await failure(deploys.bundle({ zip: hello, handler: 'index.handler' }))).code).toBe('SHUTTING_DOWN');
  });

  it('drain lets admitted deploys finish and refuses new ones', async () => {
    const deploys = bundler({ maxRunning: 1 });
    const running = deploys.bundle({ zip: hello, handler: 'index.handler' });
    const drained = deploys.drain();
    expect((await failure(deploys.bundle({ zip: hello, handler: 'index.handler' }))).code).toBe('SHUTTING_DOWN');
    await expect(running).resolves.toMatchObject({ size: expect.any(Number) as number });
    await drained;
  });
});
