import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// Accepted asynchronous invocations survive nats-server itself being SIGKILLed mid-run: the local cluster's
// supervisor starts it again on the same port with the same JetStream store, and every accepted event still
// runs to completion (at least once), its state tells the truth, and billing counts each attempt that ran once.
let cluster: TestCluster;

const FAST_ASYNC = { STRATUS_ASYNC_RETRY_BASE_DELAY_MS: '200', STRATUS_ASYNC_THROTTLE_BASE_DELAY_MS: '100', STRATUS_ASYNC_THROTTLE_MAX_DELAY_MS: '1000', STRATUS_ASYNC_ACK_WAIT_MS: '3000' };
const EVENTS = 40;
const FUNCTION = 'async-through-nats-kill';

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  await cluster.client.createFunction({
    functionName: FUNCTION,
    // Slow enough that events are in flight when the server dies; each run says which event and attempt it is.
    zipFile: indexJs(
      "exports.handler = async (e, context) => { console.log('RUN ' + context.awsRequestId + ' ' + context.attempt); await new Promise((r) => setTimeout(r, 400)); return { n: e.n }; };",
    ),
    timeoutSec: 30,
  });
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

async function states(requestIds: readonly string[]): Promise<AsyncInvocationMessage[]> {
  return Promise.all(requestIds.map((id) => cluster.client.getAsyncInvocation(id)));
}

async function billedRequests(): Promise<number> {
  const usage = await cluster.client.getUsage({ functionName: FUNCTION }).catch(() => undefined);
  return usage?.functions.find((f) => f.functionName === FUNCTION)?.requests ?? 0;
}

/** Every run the handler logged, as `requestId attempt`. */
async function loggedRuns(): Promise<string[]> {
  const entries = await cluster.client.getLogs({ functionName: FUNCTION, limit: 1000 });
  const runs = entries.flatMap((entry) => entry.message.split('\n')).flatMap((line) => /RUN (\S+ \d+)/.exec(line)?.[1] ?? []);
  return [...new Set(runs)];
}

describe('asynchronous invocations when nats-server is SIGKILLed mid-run', () => {
  it('runs every accepted event at least once after nats-server restarts with its store, and bills each attempt that ran once', { timeout: 360_000 }, async () => {
    const requestIds: string[] = [];
    for (let n = 0; n < EVENTS; n++) {
      const accepted = await cluster.client.invoke({ functionName: FUNCTION, payload: JSON.stringify({ n }), invocationType: 'EVENT' });
      expect(accepted.statusCode).toBe(202);
      requestIds.push(accepted.requestId);
    }
    // Some done, the rest queued or running: the server dies with events in its streams and attempts in flight.
    await eventually(
      async () => ((await states(requestIds)).filter((s) => s.state === 'succeeded').length >= 3 ? true : undefined),
      'a few events to succeed before the kill',
      120_000,
    );
    const pid = cluster.processes.natsServer?.pid;
    if (pid === undefined) throw new Error('the cluster runs no nats-server of its own');
    const before = cluster.restarts['nats-server'] ?? 0;
    process.kill(pid, 'SIGKILL');
    await cluster.waitForRestarts('nats-server', before + 1);

    const final = await eventually(
      async () => {
        const all = await states(requestIds).catch(() => undefined);
        return all !== undefined && all.every((s) => s.state === 'succeeded' || s.state === 'failed') ? all : undefined;
      },
      `all ${EVENTS} events to finish after the restart`,
      240_000,
    );
    // Nothing lost: every accepted event succeeded.
    expect(final.filter((s) => s.state !== 'succeeded').map((s) => `${s.requestId} ${s.state} ${s.lastError}`)).toEqual([]);
    const attemptsStarted = final.reduce((sum, s) => sum + s.attempts, 0);

    // Billing equals the runs the handler logged (each attempt that ran, once), which cover every event at least
    // once; an attempt cut off before its node got it is counted in `attempts` but neither ran nor was billed.
    const { runs, billed } = await eventually(
      async () => {
        const [logged, billedNow] = [await loggedRuns(), await billedRequests()];
        const ranEveryEvent = requestIds.every((id) => logged.some((run) => run.startsWith(`${id} `)));
        return ranEveryEvent && billedNow === logged.length ? { runs: logged, billed: billedNow } : undefined;
      },
      'billing to equal the runs logged',
      120_000,
    );
    expect(billed).toBeGreaterThanOrEqual(EVENTS);
    expect(billed).toBeLessThanOrEqual(attemptsStarted);
    console.log(
      `nats-server SIGKILL: ${EVENTS} accepted, ${final.length} succeeded, lost 0, runs ${runs.length} (duplicates ${runs.length - EVENTS}), attempts started ${attemptsStarted}, billed ${billed}`,
    );
  });
});
