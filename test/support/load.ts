import { hasCode } from '@stratus/errors';
import type { InvokeInput, StratusClient } from '@stratus/client';

/** What a load run saw: calls that answered, and failures by error code, each with when it happened. */
export interface LoadTally {
  ok: number;
  readonly errors: Record<string, number>;
  /** Each failure: its code and ms since the load started. */
  readonly failures: Array<{ readonly code: string; readonly atMs: number }>;
}

export interface RunningLoad {
  readonly tally: LoadTally;
  /** Stops starting calls and resolves once those in flight have ended. */
  stop(): Promise<LoadTally>;
}

/** `concurrency` callers, each invoking as soon as its previous call ended, until stopped. */
export function startLoad(client: StratusClient, input: InvokeInput, concurrency: number): RunningLoad {
  const tally: LoadTally = { ok: 0, errors: {}, failures: [] };
  const startedAt = Date.now();
  let stopping = false;
  const callers = Array.from({ length: concurrency }, async () => {
    while (!stopping) {
      try {
        await client.invoke(input);
        tally.ok += 1;
      } catch (err) {
        const code = hasCode(err) ? err.code : 'NOT_A_STRATUS_ERROR';
        tally.errors[code] = (tally.errors[code] ?? 0) + 1;
        tally.failures.push({ code, atMs: Date.now() - startedAt });
        // A failing cluster answers at once; do not spin.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
  return {
    tally,
    async stop() {
      stopping = true;
      await Promise.all(callers);
      return tally;
    },
  };
}
