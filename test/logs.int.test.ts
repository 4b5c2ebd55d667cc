import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEventMessage } from '@stratus/contracts/grpc';
import type { LogTail } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const INVOCATIONS = 3;

let cluster: TestCluster;
const requestIds: string[] = [];
const tails: LogTail[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  await cluster.client.createFunction({
    functionName: 'chatty',
    zipFile: indexJs(`
      console.log('module loaded');
      exports.handler = async (event) => {
        console.log('marker-' + event.n);
        console.error('multi\\nline-' + event.n);
        return { n: event.n };
      };
    `),
  });
  for (let n = 0; n < INVOCATIONS; n++) {
    const result = await cluster.client.invoke({ functionName: 'chatty', payload: JSON.stringify({ n }) });
    requestIds.push(result.requestId);
  }
});
afterEach(async () => {
  for (const tail of tails.splice(0)) tail.cancel();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await cluster?.stop();
});

/** Logs are stored in the background, after the invocation answers: wait until all are there. */
async function storedLogs(count: number): Promise<LogEventMessage[]> {
  return eventually(async () => {
    const events = await cluster.client.getLogs({ functionName: 'chatty' });
    return events.length >= count ? events : undefined;
  }, `${count} stored invocation logs`);
}

function run(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['packages/cli/bin/stratus.js', ...args, '--endpoint', cluster.grpcAddress], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', STRATUS_API_KEY: cluster.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

describe('function logs, stored by function after each invocation', () => {
  it('returns every invocation’s log oldest first, with START, the console lines, END and REPORT', async () => {
    const events = await storedLogs(INVOCATIONS);
    expect(events.map((e) => e.requestId)).toEqual(requestIds);
    events.forEach((event, n) => {
      expect(event).toMatchObject({ functionName: 'chatty', version: '$LATEST', nodeId: 'node-1' });
      expect(event.timestampMs).toBeGreaterThan(0);
      expect(event.message).toContain(`START RequestId: ${event.requestId} Version: $LATEST`);
      expect(event.message).toMatch(new RegExp(`\\t${event.requestId}\\tINFO\\tmarker-${n}\\n`));
      expect(event.message).toContain(`END RequestId: ${event.requestId}`);
      expect(event.message).toContain(`REPORT RequestId: ${event.requestId}`);
    });
    // Init output comes with the cold start only, before its START line, as Lambda shows it.
    expect(events[0]?.message).toMatch(/^INIT_START Runtime Version: /);
    expect(events[0]?.message.indexOf('module loaded')).toBeLessThan(events[0]?.message.indexOf('START RequestId') ?? 0);
    expect(events[1]?.message).not.toContain('INIT_START');
    expect(events[1]?.message).not.toContain('module loaded');
  });

  it('lists each invocation’s events: a console call with newlines is one event, each platform line one', async () => {
    await storedLogs(INVOCATIONS);
    const [cold, warm] = await cluster.client.getLogs({ functionName: 'chatty', eventsOnly: true });
    expect(cold?.message).toBe('');
    const described = (log: LogEventMessage | undefined) =>
      log?.events.map((e) => e.message.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]+\t/, '').replace(/RequestId: \S+.*$/s, 'RequestId'));
    expect(described(warm)).toEqual(['START RequestId', 'INFO\tmarker-1', 'ERROR\tmulti\nline-1', 'END RequestId', 'REPORT RequestId']);
    expect(described(cold)?.slice(0, 2)).toEqual([expect.stringMatching(/^INIT_START /), 'INFO\tmodule loaded']);
    const consoleEvent = warm?.events[2];
    expect(consoleEvent?.timestampMs).toBe(Date.parse(consoleEvent?.message.slice(0, 24) ?? ''));
  });

  it('filters by request id, limits to the newest, and by time', async () => {
    await storedLogs(INVOCATIONS);
    const one = await cluster.client.getLogs({ functionName: 'chatty', requestId: requestIds[1] });
    expect(one.map((e) => e.requestId)).toEqual([requestIds[1]]);
    expect(one[0]?.message).toContain('marker-1');

    const newest = await cluster.client.getLogs({ functionName: 'chatty', limit: 2 });
    expect(newest.map((e) => e.requestId)).toEqual(requestIds.slice(-2));

    const future = await cluster.client.getLogs({ functionName: 'chatty', startTimeMs: Date.now() + 60_000 });
    expect(future).toEqual([]);
    const none = await cluster.client.getLogs({ functionName: 'never-deployed' });
    expect(none).toEqual([]);
  });

  it('tails: the newest first, then a new invocation’s log while following', async () => {
    await storedLogs(INVOCATIONS);
    const received: LogEventMessage[] = [];
    const tail = cluster.client.tailLogs({ functionName: 'chatty', limit: 1 }, (event) => received.push(event));
    tails.push(tail);
    await eventually(async () => (received.length >= 1 ? true : undefined), 'the newest log from the tail');
    expect(received.map((e) => e.requestId)).toEqual(requestIds.slice(-1));

    const fresh = await cluster.client.invoke({ functionName: 'chatty', payload: '{"n":"tailed"}' });
    requestIds.push(fresh.requestId);
    await eventually(async () => (received.length >= 2 ? true : undefined), 'the new invocation’s log on the tail');
    expect(received[1]?.requestId).toBe(fresh.requestId);
    expect(received[1]?.message).toContain('marker-tailed');

    tail.cancel();
    await expect(tail.done).resolves.toBeUndefined();
  });

  it('stratus logs prints them, and --follow keeps printing until interrupted', async () => {
    const all = await storedLogs(requestIds.length);
    const printed = run(['logs', 'chatty']);
    expect(await printed.exited, printed.stderr()).toBe(0);
    for (const event of all) expect(printed.stdout()).toContain(`END RequestId: ${event.requestId}`);

    // A multi-line console call prints as one event: its later lines indented.
    expect(printed.stdout()).toMatch(/\tERROR\tmulti\n {2}line-0\n/);

    const one = run(['logs', 'chatty', '--request-id', requestIds[1] ?? '', '--json']);
    expect(await one.exited, one.stderr()).toBe(0);
    const parsed = JSON.parse(one.stdout()) as { timestamp: number; message: string; requestId: string }[];
    expect(new Set(parsed.map((e) => e.requestId))).toEqual(new Set([requestIds[1]]));
    expect(parsed.map((e) => e.message)).toContainEqual(expect.stringMatching(/\tERROR\tmulti\nline-1$/));
    expect(parsed).toHaveLength(5);
    for (const event of parsed) expect(event.timestamp).toBeGreaterThan(0);

    const following = run(['logs', 'chatty', '--follow', '--limit', '1']);
    await eventually(async () => (following.stdout().includes(`END RequestId: ${requestIds.at(-1)}`) ? true : undefined), 'the newest log from --follow');
    const fresh = await cluster.client.invoke({ functionName: 'chatty', payload: '{"n":"followed"}' });
    await eventually(async () => (following.stdout().includes(`END RequestId: ${fresh.requestId}`) ? true : undefined), 'a new log from --follow');
    expect(following.stdout()).toContain('marker-followed');
    following.child.kill('SIGINT');
    expect(await following.exited, following.stderr()).toBe(0);
  });
});
