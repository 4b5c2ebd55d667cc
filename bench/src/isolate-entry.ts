/**
 * The cost of entering a warm isolate, in this process, without a cluster:
 * per warm call of a trivial handler through `@stratus/runtime` (the path a
 * worker node takes), the isolated-vm operations it makes and the process's
 * CPU time (every thread: the main thread and isolated-vm's own pool), next to
 * raw isolated-vm entries for scale. A program, run with --no-node-snapshot:
 *
 *   node --no-node-snapshot bench/dist/isolate-entry.js [--calls N] [--environments E]
 *     [--concurrency C] [--slots S] [--rounds R] [--runtime PATH] [--no-raw]
 *
 * `--runtime PATH` loads another build of `@stratus/runtime` (its dist/index.js),
 * so two builds are compared in one process, alternating rounds. CPU figures
 * are medians over rounds; the machine is shared, so compare ratios.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import ivm from 'isolated-vm';
import { BENCH_PAYLOAD } from './functions.js';

/** The part of `@stratus/runtime` this program drives (any build of it). */
interface RuntimeModule {
  createIsolateGate(options: { maxRunningIsolates: number; burstSlots?: number }): unknown;
  createExecutionEnvironment(options: Record<string, unknown>): Promise<WarmEnvironment>;
}

interface WarmEnvironment {
  invoke(request: { requestId: string; eventJson: string }): Promise<{ outcome: string; resultJson: string; maxMemoryUsedMb: number }>;
  dispose(): void;
}

const HANDLER_MODULE = 'export const handler = async (event) => event;';

/**
 * Context switches of every thread of this process so far: each isolated-vm
 * thread hop (a pool thread woken for an isolate task, the main thread woken
 * for its answer, a thread blocked on a lock another holds) is one or more.
 * isolated-vm's objects are frozen natives, so its calls cannot be counted
 * from JavaScript; the thread wakes they cause can.
 */
function contextSwitches(): number {
  let total = 0;
  for (const task of readdirSync('/proc/self/task')) {
    let status: string;
    try {
      status = readFileSync(`/proc/self/task/${task}/status`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) total += Number(match[1]);
  }
  return total;
}

/** CPU time of this process's main thread so far, in ns (the scheduler's own count, not ticks). */
function mainThreadCpuNs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
}

interface Measured {
  readonly cpuUsPerCall: number;
  /** The main thread alone: what bounds a node, whose isolates' threads run beside it. */
  readonly mainUsPerCall: number;
  readonly wallUsPerCall: number;
  readonly switchesPerCall: number;
}

/** Runs `calls` calls, `concurrency` at a time, each on the most recently returned environment (as the node's pool does). */
async function drive<T>(items: T[], calls: number, concurrency: number, call: (item: T, i: number) => Promise<unknown>): Promise<Measured> {
  const idle = [...items];
  let next = 0;
  const switches0 = contextSwitches();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuNs();
  const wall0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next++;
      const item = idle.pop();
      if (item === undefined) throw new Error('more concurrency than environments');
      await call(item, i);
      idle.push(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  const mainUs = (mainThreadCpuNs() - main0) / 1000;
  const wallUs = (performance.now() - wall0) * 1000;
  return { cpuUsPerCall: (cpu.user + cpu.system) / calls, mainUsPerCall: mainUs / calls, wallUsPerCall: wallUs / calls, switchesPerCall: (contextSwitches() - switches0) / calls };
}

interface Variant {
  readonly name: string;
  setup(): Promise<{ run(calls: number, concurrency: number): Promise<Measured>; close(): void }>;
}

function runtimeVariant(name: string, runtime: RuntimeModule, environments: number, slots: number): Variant {
  return {
    name,
    async setup() {
      const isolateGate = runtime.createIsolateGate({ maxRunningIsolates: slots });
      const envs: WarmEnvironment[] = [];
      for (let i = 0; i < environments; i++) {
        envs.push(
          await runtime.createExecutionEnvironment({
            script: HANDLER_MODULE,
            handler: 'index.handler',
            functionName: 'entry-bench',
            functionVersion: '$LATEST',
            memoryMb: 128,
            timeoutMs: 10_000,
            environment: {},
            isolateGate,
          }),
        );
      }
      // The first call of each is a cold start's; measure warm ones only.
      for (const env of envs) await env.invoke({ requestId: 'warm-up', eventJson: BENCH_PAYLOAD });
      return {
        run: (calls, concurrency) =>
          drive(envs, calls, concurrency, async (env, i) => {
            const outcome = await env.invoke({ requestId: `r-${i}`, eventJson: BENCH_PAYLOAD });
            if (outcome.outcome !== 'success') throw new Error(`call failed: ${outcome.resultJson}`);
          }),
        close: () => {
          for (const env of envs) env.dispose();
        },
      };
    },
  };
}

/** Raw isolated-vm: one async apply per call, the least an asynchronous entry costs. */
function rawVariant(name: string, environments: number, options: { heapSync: boolean }): Variant {
  return {
    name,
    async setup() {
      const isolates: Array<{ isolate: ivm.Isolate; fn: ivm.Reference<(json: string) => string> }> = [];
      for (let i = 0; i < environments; i++) {
        const isolate = new ivm.Isolate({ memoryLimit: 128 });
        const context = await isolate.createContext();
        const fn = (await context.eval('(json) => JSON.stringify(JSON.parse(json))', { reference: true })) as ivm.Reference<(json: string) => string>;
        isolates.push({ isolate, fn });
      }
      return {
        run: (calls, concurrency) =>
          drive(isolates, calls, concurrency, async ({ isolate, fn }) => {
            await fn.apply(undefined, [BENCH_PAYLOAD], { timeout: 1000 });
            if (options.heapSync) isolate.getHeapStatisticsSync();
          }),
        close: () => {
          for (const { isolate } of isolates) isolate.dispose();
        },
      };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '5000' },
      environments: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '1,8' },
      slots: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '5' },
      runtime: { type: 'string', multiple: true },
      'no-raw': { type: 'boolean', default: false },
    },
  });
  const calls = Number(values.calls);
  const environments = Number(values.environments);
  const slots = Number(values.slots);
  const rounds = Number(values.rounds);
  const levels = String(values.concurrency).split(',').map(Number);

  const variants: Variant[] = [];
  const runtimePaths = values.runtime ?? [];
  if (runtimePaths.length === 0) {
    variants.push(runtimeVariant('runtime', (await import('@stratus/runtime')) as unknown as RuntimeModule, environments, slots));
  }
  for (const path of runtimePaths) {
    variants.push(runtimeVariant(`runtime ${path}`, (await import(pathToFileURL(path).href)) as RuntimeModule, environments, slots));
  }
  if (!values['no-raw']) {
    variants.push(rawVariant('raw ivm: apply', environments, { heapSync: false }));
    variants.push(rawVariant('raw ivm: apply + getHeapStatisticsSync', environments, { heapSync: true }));
  }

  const ready = [];
  for (const variant of variants) ready.push({ variant, instance: await variant.setup() });
  console.log(`warm calls of a trivial handler: ${calls} per round, ${rounds} rounds, ${environments} environments, ${slots} gate slot(s)`);
  for (const concurrency of levels) {
    const samples = new Map<string, Measured[]>();
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so a slow stretch of a shared machine hits every variant.
      const order = round % 2 === 0 ? ready : [...ready].reverse();
      for (const { variant, instance } of order) {
        const measured = await instance.run(calls, concurrency);
        samples.set(variant.name, [...(samples.get(variant.name) ?? []), measured]);
      }
    }
    console.log(`\nconcurrency ${concurrency}`);
    console.log('| variant | CPU µs/call, all threads (median) | min | main thread CPU µs/call (median) | min | context switches/call (median) | wall µs/call (median) |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const { variant } of ready) {
      const s = samples.get(variant.name) ?? [];
      const cpu = s.map((m) => m.cpuUsPerCall);
      const main = s.map((m) => m.mainUsPerCall);
      console.log(
        `| ${variant.name} | ${median(cpu).toFixed(1)} | ${Math.min(...cpu).toFixed(1)} | ${median(main).toFixed(1)} | ${Math.min(...main).toFixed(1)} | ${median(s.map((m) => m.switchesPerCall)).toFixed(2)} | ${median(s.map((m) => m.wallUsPerCall)).toFixed(1)} |`,
      );
    }
  }
  for (const { instance } of ready) instance.close();
}

await main();
