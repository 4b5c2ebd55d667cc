import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runtimeEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** A process started with `flags` makes one 128 MB isolate shell; its own heap limit and the isolate's, in MB. */
function heapLimits(flags: readonly string[]): { processMb: number; isolateMb: number } {
  const probe = `
    import { getHeapStatistics } from 'node:v8';
    const { createShellPool } = await import(${JSON.stringify(runtimeEntry)});
    const pool = createShellPool();
    pool.prepare(128);
    let shell;
    for (let i = 0; i < 500 && shell === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      shell = pool.take(128);
    }
    const isolate = shell.isolate.getHeapStatisticsSync().heap_size_limit;
    console.log(JSON.stringify({ processMb: getHeapStatistics().heap_size_limit / 1048576, isolateMb: isolate / 1048576 }));
    shell.isolate.dispose();
    pool.close();
  `;
  const child = spawnSync(process.execPath, ['--no-node-snapshot', ...flags, '--input-type=module', '-e', probe], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { processMb: number; isolateMb: number };
}

describe("a function's isolate heap", () => {
  it('is sized from its memory by isolated-vm, whatever young-generation flags the node process runs with', () => {
    const plain = heapLimits([]);
    const tuned = heapLimits(['--max-semi-space-size=64', '--min-semi-space-size=16']);
    // The flags do enlarge the process's own heap (the services start with --max-semi-space-size=64)...
    expect(tuned.processMb).toBeGreaterThan(plain.processMb);
    // ...but not a 128 MB function's: V8 would otherwise give its isolate 320 MB.
    expect(tuned.isolateMb).toBe(plain.isolateMb);
    expect(tuned.isolateMb).toBeLessThan(160);
  });
});
