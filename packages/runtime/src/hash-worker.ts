import { hashNow, type HashTask } from './host-crypto.js';

/** Runs on a worker thread of the hash pool (see hash-pool.ts). */
export default function hash(task: HashTask): ArrayBuffer | string {
  return hashNow(task);
}
