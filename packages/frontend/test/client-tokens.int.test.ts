import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusError, hasCode } from '@stratus/errors';
import { createNamespace, type InvocationResult, type Namespace } from '@stratus/contracts';
import { NatsLink } from '@stratus/placement';
import { randomNamespacePrefix, startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { ClientTokens, requestHashOf, type TokenedCall } from '../src/client-tokens.js';

// ClientTokens against a real JetStream, as two frontends would share it.
const log = pino({ level: 'silent' });
let nats: ConnectedTestNats;
let link: NatsLink;

beforeAll(async () => {
  nats = await startConnectedNats();
  link = NatsLink.watch(nats.nc, log);
});
afterAll(async () => {
  link?.close();
  await nats?.stop();
});

async function openTokens(ns: Namespace, frontendId: string, options: { maxBytes?: number; isFrontendLive?: (id: string) => boolean } = {}): Promise<ClientTokens> {
  return ClientTokens.open({
    nc: nats.nc,
    ns,
    link,
    frontendId,
    isFrontendLive: options.isFrontendLive ?? (() => true),
    log,
    pollMs: 20,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
  });
}

function result(payload: string): InvocationResult {
  return { requestId: randomUUID(), nodeId: 'n1', executedVersion: '$LATEST', payload: Buffer.from(payload), durationMs: 1, billedMs: 1, initMs: 0, cold: false, maxMemoryUsedMb: 1, report: '' };
}

/** A call whose runs are counted; `gate` holds each run until released. */
function counted(token: string, eventJson = '{}'): TokenedCall & { runs: () => number; release: () => void } {
  let runs = 0;
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    functionName: 'fn',
    token,
    requestHash: requestHashOf('', Buffer.from(eventJson)),
    waitMs: 5_000,
    run: async () => {
      runs += 1;
      await gate;
      return result(`"run ${runs}"`);
    },
    runs: () => runs,
    release: () => release(),
  };
}

describe('ClientTokens', () => {
  it('runs a token once on one frontend, and answers retries on another with the same result', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const [a, b] = [await openTokens(ns, 'a'), await openTokens(ns, 'b')];
    const call = counted('t1');
    const first = a.once(call);
    const sameFrontend = a.once(call);
    const otherFrontend = b.once(call);
    await new Promise((resolve) => setTimeout(resolve, 100));
    call.release();
    const [x, y, z] = await Promise.all([first, sameFrontend, otherFrontend]);
    expect(call.runs()).toBe(1);
    expect(y.requestId).toBe(x.requestId);
    expect(z.requestId).toBe(x.requestId);
    expect((await b.once(call)).requestId).toBe(x.requestId);

    const other = await b.once({ ...call, requestHash: requestHashOf('', Buffer.from('{"x":1}')) }).catch((err: unknown) => err);
    expect(hasCode(other, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('releases the token after a failure that ran nothing, and keeps a final one', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const tokens = await openTokens(ns, 'a');
    let runs = 0;
    const throttledOnce: TokenedCall = {
      functionName: 'fn',
      token: 't',
      requestHash: requestHashOf('', Buffer.from('{}')),
      waitMs: 5_000,
      run: () => {
        runs += 1;
        return runs === 1 ? Promise.reject(new StratusError('THROTTLED', 'busy')) : Promise.resolve(result('"ok"'));
      },
    };
    await expect(tokens.once(throttledOnce)).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(Buffer.from((await tokens.once(throttledOnce)).payload).toString()).toBe('"ok"');
    expect(runs).toBe(2);

    let lostRuns = 0;
    const lost: TokenedCall = { ...throttledOnce, token: 'lost', run: () => ((lostRuns += 1), Promise.reject(new StratusError('INVOCATION_LOST', 'node died'))) };
    await expect(tokens.once(lost)).rejects.toMatchObject({ code: 'INVOCATION_LOST' });
    await expect(tokens.once(lost)).rejects.toMatchObject({ code: 'INVOCATION_LOST' });
    expect(lostRuns).toBe(1);
  });

  it('answers INVOCATION_LOST, never a second run, when the frontend running the first call is gone', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const a = await openTokens(ns, 'a');
    const b = await openTokens(ns, 'b', { isFrontendLive: (id) => id !== 'a' });
    const call = counted('orphan');
    const first = a.once(call);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(b.once(call)).rejects.toMatchObject({ code: 'INVOCATION_LOST' });
    call.release();
    await first;
    expect(call.runs()).toBe(1);
  });

  it('stays available when its bucket is full, forgetting the oldest tokens first', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const tokens = await openTokens(ns, 'a', { maxBytes: 64 * 1024 });
    const big = `"${'x'.repeat(8 * 1024)}"`;
    let runs = 0;
    const call = (token: string): TokenedCall => ({
      functionName: 'fn',
      token,
      requestHash: requestHashOf('', Buffer.from('{}')),
      waitMs: 5_000,
      run: () => ((runs += 1), Promise.resolve(result(big))),
    });
    for (let i = 0; i < 20; i += 1) await tokens.once(call(`t${i}`));
    expect(runs).toBe(20);
    await tokens.once(call('t19'));
    expect(runs).toBe(20);
    await tokens.once(call('t0'));
    expect(runs).toBe(21);
  });
});
