import { runCryptoTask, type CryptoTask } from './crypto-ops.js';
import { hashNow, type HashTask } from './host-crypto.js';

/** Runs on a worker thread of the hash pool (see hash-pool.ts). */
export default async function hash(task: HashTask | CryptoTask): Promise<ArrayBuffer | string> {
  return 'buffers' in task ? runCryptoTask(task) : hashNow(task);
}
