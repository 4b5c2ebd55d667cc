import { createHash, createHmac, getHashes, randomFillSync } from 'node:crypto';

const HASHES = new Set(getHashes());
/** Largest single request; the isolate asks in chunks of 64 KiB. */
const RANDOM_MAX_BYTES = 65_536;
/**
 * Largest input of one digest or HMAC: its copy lives outside the isolate's
 * memory limit while it is hashed. 16 MiB covers any payload Lambda accepts (6 MB).
 */
export const HASH_INPUT_MAX_BYTES = 16 * 1024 * 1024;

/** A digest, or an HMAC when `key` is set. */
export interface HashTask {
  readonly op: 'digest' | 'hmac';
  readonly algorithm: string;
  readonly key?: ArrayBuffer;
  readonly data: ArrayBuffer;
}

/**
 * Inputs up to this size are hashed by the synchronous callback itself (on
 * the main thread: microseconds, less than a hop to a worker); larger ones
 * go to the hash pool through a call that blocks only the isolate.
 */
export const INLINE_HASH_MAX_BYTES = 16 * 1024;

/**
 * The isolate's synchronous way to the host's crypto: random bytes, and
 * hashes of small inputs. Arguments arrive as copies and are checked; the
 * answer is a fresh ArrayBuffer, or a string saying what was wrong, which
 * the isolate turns into an Error. Nothing returned refers to host objects.
 */
export function hostCrypto(op: unknown, a: unknown, b: unknown, c: unknown): ArrayBuffer | string {
  try {
    switch (op) {
      case 'random': {
        if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a > RANDOM_MAX_BYTES) return `invalid random length ${String(a)}`;
        return fresh(randomFillSync(new Uint8Array(a)));
      }
      case 'digest':
      case 'hmac': {
        const task = hashTask(op, a, b, c);
        if (typeof task === 'string') return task;
        // The isolate sends larger inputs to the pool; this bound keeps a subverted runtime from stalling the main thread.
        if (task.data.byteLength + (task.key?.byteLength ?? 0) > INLINE_HASH_MAX_BYTES) return 'input too large for an inline hash';
        return hashNow(task);
      }
      default:
        return `unknown crypto operation ${String(op)}`;
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Checks the isolate's (copied) arguments: ('digest', algorithm, data) or ('hmac', algorithm, key, data). */
export function hashTask(op: unknown, a: unknown, b: unknown, c: unknown): HashTask | string {
  if (op !== 'digest' && op !== 'hmac') return `unknown crypto operation ${String(op)}`;
  if (typeof a !== 'string' || !HASHES.has(a.toLowerCase())) return op === 'digest' ? `Digest method not supported: ${String(a)}` : `Invalid digest: ${String(a)}`;
  if (op === 'digest') {
    if (!(b instanceof ArrayBuffer)) return 'data must be an ArrayBuffer';
    if (b.byteLength > HASH_INPUT_MAX_BYTES) return tooLarge(b.byteLength);
    return { op, algorithm: a, data: b };
  }
  if (!(b instanceof ArrayBuffer) || !(c instanceof ArrayBuffer)) return 'key and data must be ArrayBuffers';
  if (b.byteLength + c.byteLength > HASH_INPUT_MAX_BYTES) return tooLarge(b.byteLength + c.byteLength);
  return { op, algorithm: a, key: b, data: c };
}

/** Computes a checked task here, on whatever thread calls it. */
export function hashNow(task: HashTask): ArrayBuffer | string {
  try {
    const digest =
      task.op === 'hmac' && task.key !== undefined
        ? createHmac(task.algorithm, new Uint8Array(task.key)).update(new Uint8Array(task.data)).digest()
        : createHash(task.algorithm).update(new Uint8Array(task.data)).digest();
    return fresh(digest);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function tooLarge(bytes: number): string {
  return `Stratus hashes at most ${HASH_INPUT_MAX_BYTES} bytes in one digest (got ${bytes})`;
}

function fresh(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}
