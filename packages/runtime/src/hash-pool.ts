import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { StratusError } from '@stratus/errors';
import type { CryptoTask } from './crypto-ops.js';
import type { HashTask } from './host-crypto.js';

/** Where functions' large hashes and other crypto (signatures, key derivation, ciphers) are computed: worker threads, never the process's main thread. */
export interface HashPoolOptions {
  /** Worker threads. Default: half the machine's cores, at least 1. */
  readonly threads?: number;
  /** A worker idle this long exits (a new one starts on demand). Default 30000 ms. */
  readonly idleTimeoutMs?: number;
}

/** A small worker_threads pool for the hashing and other crypto functions ask of the host. `close()` when done. */
export interface HashPool {
  /** A digest, an HMAC or another crypto operation; the answer is a fresh ArrayBuffer, or a string saying what was wrong. */
  run(task: HashTask | CryptoTask): Promise<ArrayBuffer | string>;
  /** Ends the worker threads once the tasks in flight finish. Idempotent. */
  close(): Promise<void>;
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / 2));
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new StratusError('INVALID_ARGUMENT', `threads: must be an integer in [1, 64], got ${threads}`);
  }
  const piscina = new Piscina({
    // The built worker, whether this module runs from dist/ or (under vitest) from src/.
    filename: new URL('../dist/hash-worker.js', import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    // Below the main thread's priority: a function's hashing must not outbid the node's heartbeats for a core.
    niceIncrement: 10,
  });
  let closed: Promise<void> | undefined;
  return {
    run: async (task) => {
      if (closed !== undefined) return 'the node is shutting down';
      // The input buffer moves to the worker instead of being copied again.
      try {
        const transferList = 'buffers' in task ? task.buffers.filter((b) => b !== undefined) : [task.data, ...(task.key ? [task.key] : [])];
        return (await piscina.run(task, { transferList })) as ArrayBuffer | string;
      } catch (err) {
        return `the hash could not be computed: ${err instanceof Error ? err.message : String(err)}`;
      }
    },
    close: () => (closed ??= piscina.destroy()),
  };
}
