import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

// Two nodes, each flooded with logs, WebAssembly growth, busy loops and
// large hashes at once: what once starved their lease keep-alives (both
// left etcd and every call on the cluster failed).
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.stop();
});

const FUNCTIONS = {
  hello: `exports.handler = async () => 'hi';`,
  flood: `exports.handler = async () => {
    const line = 'x'.repeat(10240);
    const end = Date.now() + 3000;
    let n = 0;
    while (Date.now() < end) { console.log(line); n++; }
    return n;
  };`,
  wasm: `exports.handler = async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    for (;;) { memory.grow(256); new Uint8Array(memory.buffer).fill(1); }
  };`,
  busy: `exports.handler = async () => { const end = Date.now() + 1000; while (Date.now() < end) {} return 'done'; };`,
  hash: `const { createHash } = require('crypto');
  exports.handler = async () => {
    const data = new Uint8Array(16 * 1024 * 1024).fill(7);
    const end = Date.now() + 2000;
    let digest = '';
    while (Date.now() < end) digest = createHash('sha256').update(data).digest('hex');
    return digest;
  };`,
} as const;

/**
 * Reads `growthMb` every 500 ms until it is under `boundMb`, and gives the last reading: at once when it is, or
 * when it has not fallen to a new low for 20 s (what a leak does), or after 3 minutes in all.
 */
async function settledGrowthMb(growthMb: () => Promise<number>, boundMb: number): Promise<number> {
  const stalledMs = 20_000;
  const giveUpAt = Date.now() + 180_000;
  let lowest = Number.POSITIVE_INFINITY;
  let lowestAt = Date.now();
  for (;;) {
    const growth = await growthMb();
    if (growth < boundMb || Date.now() > giveUpAt) return growth;
    // A new low by at least 1 MiB is progress; noise around a plateau is not.
    if (growth < lowest - 1) {
      lowest = growth;
      lowestAt = Date.now();
    } else if (Date.now() - lowestAt > stalledMs) return growth;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

describe('a hostile function on every node at once', () => {
  it('never takes a node out of the registry, and an unrelated function keeps answering', { timeout: 420_000 }, async () => {
    const { client } = cluster;
    for (const [name, source] of Object.entries(FUNCTIONS)) {
      await client.createFunction({ functionName: name, zipFile: indexJs(source), memorySizeMb: 128, timeoutSec: 60 });
    }
    expect((await client.invoke({ functionName: 'hello' })).payloadText).toBe('"hi"');
    const initial = await client.listNodes();
    expect(initial).toHaveLength(2);
    const registeredAt = new Map(initial.map((node) => [node.nodeId, node.registeredAtMs]));
    const rssBefore = await Promise.all(cluster.processes.nodes.map((node) => rssMb(node.pid)));

    // Membership as the frontend sees it (from etcd), sampled all along: a
    // node that left and came back shows a new registration time.
    let watching = true;
    const membershipProblems: string[] = [];
    const watcher = (async () => {
      while (watching) {
        const nodes = await client.listNodes();
        if (nodes.length !== 2) membershipProblems.push(`${nodes.length} nodes listed`);
        for (const node of nodes) {
          if (registeredAt.get(node.nodeId) !== node.registeredAtMs) membershipProblems.push(`${node.nodeId} registered again`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const storm = Promise.all([
      ...Array.from({ length: 6 }, () => client.invoke({ functionName: 'flood' })),
      ...Array.from({ length: 4 }, () => client.invoke({ functionName: 'wasm' })),
      ...Array.from({ length: 10 }, () => client.invoke({ functionName: 'busy' })),
      ...Array.from({ length: 4 }, () => client.invoke({ functionName: 'hash' })),
    ]);
    let stormOver = false;
    void storm.finally(() => (stormOver = true)).catch(() => undefined);
    const helloAnswers: string[] = [];
    while (!stormOver) {
      helloAnswers.push((await client.invoke({ functionName: 'hello' })).payloadText);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const results = await storm;
    watching = false;
    await watcher;

    expect(membershipProblems).toEqual([]);
    expect(helloAnswers.length).toBeGreaterThan(10);
    expect(new Set(helloAnswers)).toEqual(new Set(['"hi"']));
    // The storm reached both nodes.
    expect(new Set(results.map((r) => r.nodeId)).size).toBe(2);

    const byFunction = (from: number, count: number) => results.slice(from, from + count);
    for (const flood of byFunction(0, 6)) {
      expect(flood.functionError).toBe('');
      expect(Number(flood.payloadText)).toBeGreaterThan(100);
    }
    for (const wasm of byFunction(6, 4)) {
      expect(wasm.functionError).toBe('Unhandled');
      expect(JSON.parse(wasm.payloadText)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    }
    for (const busy of byFunction(10, 10)) {
      expect(busy.payloadText).toBe('"done"');
      // Billed for the loop, not for the time the call waited for an isolate slot.
      expect(busy.billedDurationMs).toBeLessThan(1500);
    }
    for (const hash of byFunction(20, 4)) expect(hash.payloadText).toMatch(/^"[0-9a-f]{64}"$/);

    // The node gives back what the storm took: no queued log copies, no
    // WebAssembly memory. Giving back takes a moment (the log outbox drains,
    // disposed isolates' heaps are unmapped, V8 collects), longer on a loaded
    // machine, so the growth is polled until it falls under the bound, for as
    // long as it keeps falling: a leak never does. What may
    // legitimately stay: the heaps of the environments still warm (five
    // functions, plus the spares kept ahead of demand) and the freed 16 MiB
    // copies the hash worker threads' malloc arenas keep; measured at up to
    // ~310 MiB on a loaded CI machine. The leaks this guards against (a
    // logging loop queueing copies for the main thread) grew a node by
    // gigabytes.
    const growthMb = async () => {
      const rssAfter = await Promise.all(cluster.processes.nodes.map((node) => rssMb(node.pid)));
      return Math.max(...rssAfter.map((after, i) => after - (rssBefore[i] ?? 0)));
    };
    await expect(settledGrowthMb(growthMb, 450)).resolves.toBeLessThan(450);
  });
});
