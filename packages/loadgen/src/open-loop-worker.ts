// A worker thread of runOpenLoop: sends its share of the rate and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode } from './load-generator.js';
import { runOpenLoopJob, type OpenLoopJob } from './open-loop.js';

const port = parentPort;
if (port === null) throw new Error('open-loop-worker.js runs only as a worker thread');
const job = workerData as OpenLoopJob;
try {
  const share = await runOpenLoopJob(job, (completed) => port.postMessage({ type: 'progress', completed }));
  port.postMessage({ type: 'done', result: share });
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), code: errorCode(err) });
}
