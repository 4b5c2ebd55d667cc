import { strToU8, zipSync } from 'fflate';

/** The event every scenario sends, and the echo baseline echoes. */
export const BENCH_PAYLOAD = JSON.stringify({ hello: 'stratus', n: 42, tags: ['bench', 'load'] });

/** Returns its event: the cost of the platform with next to no handler work. */
export const TRIVIAL_HANDLER = 'exports.handler = async (event) => event;';

/**
 * The trivial handler behind a function URL: the event's body is the bench
 * payload, parsed and returned, so the answer is the payload as JSON, as the
 * peers answer it.
 */
export const URL_HANDLER = 'exports.handler = async (event) => JSON.parse(event.body);';

/** The same handler as a plain script, for the raw isolated-vm baseline. */
export const TRIVIAL_SCRIPT = 'globalThis.handler = async (event) => event;';

/** A few ms of computation per call, a fixed amount of work rather than a fixed time. */
export const CPU_HANDLER = `exports.handler = async () => {
  let x = 0;
  for (let i = 0; i < 200000; i++) x += Math.sqrt(i);
  return { x };
};`;

/** Waits 50 ms on a timer: holds an isolate while using no CPU. */
export const WAIT_HANDLER = `exports.handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { waitedMs: 50 };
};`;

/** A distinct trivial handler per function, so each has its own code hash to fetch and compile. */
export function coldStartHandler(index: number): string {
  return `const id = ${index}; exports.handler = async (event) => ({ id, event });`;
}

/** A one-file CommonJS zip, as a user uploads it. */
export function zipIndexJs(source: string): Uint8Array {
  return zipSync({ 'index.js': strToU8(source) });
}
