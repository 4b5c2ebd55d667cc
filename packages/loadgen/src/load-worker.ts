// A worker thread of runLoad: runs its share of the load and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, runJob, type ThreadJob } from './load-generator.js';

const port = parentPort;
if (port === null) throw new Error('load-worker.js runs only as a worker thread');
const job = workerData as ThreadJob;
try {
  const run = await runJob(job, { onProgress: (completed) => port.postMessage({ type: 'progress', completed }) });
  port.postMessage({ type: 'done', result: run }, [run.latenciesMs.buffer as ArrayBuffer, run.initMs.buffer as ArrayBuffer]);
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), code: errorCode(err) });
}
