import { Worker } from 'node:worker_threads';

/** What a load thread posts back: progress counts, then its result or why it failed. */
export type ThreadMessage<R> =
  | { readonly type: 'progress'; readonly completed: number }
  | { readonly type: 'done'; readonly result: R }
  | { readonly type: 'failed'; readonly message: string; readonly code: string };

/**
 * Runs one worker thread of `script` per job and resolves with their results
 * in job order. `onProgress` gets the calls completed over all threads. A
 * thread that fails rejects with its error code kept; one that exits without
 * reporting rejects naming `what`.
 */
export function runWorkerThreads<J, R>(script: URL, jobs: readonly J[], what: string, onProgress?: (completed: number) => void): Promise<R[]> {
  const progress = new Array<number>(jobs.length).fill(0);
  return Promise.all(
    jobs.map(
      (job, i) =>
        new Promise<R>((resolve, reject) => {
          const worker = new Worker(script, { workerData: job });
          let settled = false;
          worker.on('message', (message: ThreadMessage<R>) => {
            if (message.type === 'progress') {
              progress[i] = message.completed;
              onProgress?.(progress.reduce((a, b) => a + b, 0));
            } else if (message.type === 'done') {
              settled = true;
              resolve(message.result);
            } else {
              settled = true;
              reject(Object.assign(new Error(message.message), { code: message.code }));
            }
          });
          worker.on('error', (err) => {
            settled = true;
            reject(err);
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`${what} exited with code ${code} before reporting`));
          });
        }),
    ),
  );
}
