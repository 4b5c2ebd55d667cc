import { createHash, createHmac, getHashes, randomFillSync } from 'node:crypto';

const HASHES = new Set(getHashes());
/** Largest single request; the isolate asks in chunks of 64 KiB. */
const RANDOM_MAX_BYTES = 65_536;
/**
 * Largest input of one digest or HMAC. The callback runs on the node's main
 * thread, and its input is a copy outside the isolate's memory limit:
 * hashing hundreds of MB would stall the node's heartbeats and lease
 * keep-alives for everyone. 16 MiB covers any payload Lambda accepts (6 MB).
 */
export const HASH_INPUT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The isolate's only way to the host's crypto. Arguments arrive as copies
 * and are checked; the answer is a fresh ArrayBuffer, or a string saying
 * what was wrong, which the isolate turns into an Error. Nothing returned
 * refers to host objects.
 */
export function hostCrypto(op: unknown, a: unknown, b: unknown, c: unknown): ArrayBuffer | string {
  try {
    switch (op) {
      case 'random': {
        if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a > RANDOM_MAX_BYTES) return `invalid random length ${String(a)}`;
        return fresh(randomFillSync(new Uint8Array(a)));
      }
      case 'digest': {
        if (typeof a !== 'string' || !HASHES.has(a.toLowerCase())) return `Digest method not supported: ${String(a)}`;
        if (!(b instanceof ArrayBuffer)) return 'data must be an ArrayBuffer';
        if (b.byteLength > HASH_INPUT_MAX_BYTES) return tooLarge(b.byteLength);
        return fresh(createHash(a).update(new Uint8Array(b)).digest());
      }
      case 'hmac': {
        if (typeof a !== 'string' || !HASHES.has(a.toLowerCase())) return `Invalid digest: ${String(a)}`;
        if (!(b instanceof ArrayBuffer) || !(c instanceof ArrayBuffer)) return 'key and data must be ArrayBuffers';
        if (b.byteLength + c.byteLength > HASH_INPUT_MAX_BYTES) return tooLarge(b.byteLength + c.byteLength);
        return fresh(createHmac(a, new Uint8Array(b)).update(new Uint8Array(c)).digest());
      }
      default:
        return `unknown crypto operation ${String(op)}`;
    }
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
