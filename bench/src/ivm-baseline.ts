import { performance } from 'node:perf_hooks';
import ivm from 'isolated-vm';
import { summarizeLatencies, type LatencySummary } from '@stratus/loadgen';

/** The in-process isolated-vm baseline: what an isolate costs with no platform around it. */
export interface IvmBaseline {
  /** New isolate + context + compile + run + first call, each sample. */
  readonly cold: LatencySummary;
  /** One call of an already loaded handler. */
  readonly warm: LatencySummary;
}

export interface IvmBaselineOptions {
  /** The handler's source: it must define `globalThis.handler`. */
  readonly source: string;
  readonly payload: string;
  readonly coldSamples: number;
  readonly warmSamples: number;
  /** The isolate's memory limit. Default 128. */
  readonly memoryMb?: number;
}

/** Measures isolated-vm in this process, which must run with --no-node-snapshot. */
export async function measureIvmBaseline(options: IvmBaselineOptions): Promise<IvmBaseline> {
  const memoryLimit = options.memoryMb ?? 128;
  const event = JSON.parse(options.payload) as unknown;
  const callOptions = { arguments: { copy: true }, result: { promise: true, copy: true } } as const;
  const cold: number[] = [];
  let kept: { isolate: ivm.Isolate; handler: ivm.Reference<(event: unknown) => Promise<unknown>> } | undefined;
  for (let i = 0; i < options.coldSamples; i++) {
    const t0 = performance.now();
    const isolate = new ivm.Isolate({ memoryLimit });
    const context = await isolate.createContext();
    const script = await isolate.compileScript(options.source);
    await script.run(context);
    const handler = (await context.global.get('handler', { reference: true })) as ivm.Reference<(event: unknown) => Promise<unknown>>;
    await handler.apply(undefined, [event], callOptions);
    cold.push(performance.now() - t0);
    if (kept === undefined) kept = { isolate, handler };
    else isolate.dispose();
  }
  const warm: number[] = [];
  try {
    if (kept !== undefined) {
      for (let i = 0; i < options.warmSamples; i++) {
        const t0 = performance.now();
        await kept.handler.apply(undefined, [event], callOptions);
        warm.push(performance.now() - t0);
      }
    }
  } finally {
    kept?.isolate.dispose();
  }
  return { cold: summarizeLatencies(cold), warm: summarizeLatencies(warm) };
}
