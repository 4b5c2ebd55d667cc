import { expect } from 'vitest';
import type { TestCluster } from '@stratus/testing';
import { HELLO, HELLO_ANSWER_MS } from './cluster-health.js';

/** How hello fared while an attack ran beside it. */
export interface HelloBeside {
  /** Calls of hello made while the attack ran. */
  readonly calls: number;
  /** What went wrong with any of them (a function error's payload, a platform error). */
  readonly failures: readonly string[];
  readonly slowestMs: number;
}

/**
 * Runs `attack` while hello is called in a loop beside it (one call at a
 * time, 100 ms apart), and returns the attack's result with how hello fared.
 */
export async function besideHello<T>(cluster: TestCluster, attack: () => Promise<T>): Promise<{ result: T; hello: HelloBeside }> {
  let running = true;
  const failures: string[] = [];
  let calls = 0;
  let slowestMs = 0;
  const helloLoop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const result = await cluster.client.invoke({ functionName: HELLO, payload: '{"name":"beside"}' });
        if (result.functionError !== '') failures.push(result.payloadText);
      } catch (err) {
        failures.push(String(err));
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const result = await attack();
    return { result, hello: { calls, failures, slowestMs } };
  } finally {
    running = false;
    await helloLoop;
  }
}

/** Hello answered every call made beside an attack, each within a normal time. */
export function expectHelloServedBeside(hello: HelloBeside): void {
  expect(hello.failures, 'hello’s failed calls beside the attack').toEqual([]);
  expect(hello.calls, 'hello calls made beside the attack').toBeGreaterThan(0);
  expect(hello.slowestMs, 'hello’s slowest answer beside the attack, ms').toBeLessThan(HELLO_ANSWER_MS);
}
