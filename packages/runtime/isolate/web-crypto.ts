// crypto.randomUUID/getRandomValues/subtle.digest, and what the bundler's `crypto` shim reaches through
// 'stratus:host': everything is computed by the host from copies, and comes back as fresh ArrayBuffers.
import { domException } from './dom-exception.js';
import { hostCryptoCall, hostHashOffThread, referenceApplySyncPromise } from './host.js';
import { ErrorCtor, ReflectApply, StringCtor, Uint8ArrayCtor, rejected, resolved } from './primordials.js';
import { bytesOf } from './text-encoding.js';

const RANDOM_CHUNK_BYTES = 65536;
// Small inputs are hashed by the synchronous callback (a few microseconds on the host's main thread); larger ones
// by the host's worker threads, through a call that blocks this isolate's thread until the answer comes and leaves
// the host's main thread free. Either way Node's synchronous API (createHash().digest()) stays synchronous here.
const INLINE_HASH_MAX_BYTES = 16384;

function hostBytes(result: ArrayBuffer | string): Uint8Array {
  if (typeof result === 'string') throw new ErrorCtor(result);
  return new Uint8ArrayCtor(result);
}

/** A copy of the bytes as a standalone ArrayBuffer: what the host callback accepts. */
function bufferCopy(view: unknown): ArrayBuffer {
  return bytesOf(view).slice().buffer;
}

function hostHash(op: string, algorithm: string, key: ArrayBuffer | undefined, data: ArrayBuffer): ArrayBuffer | string {
  const size = (key === undefined ? 0 : key.byteLength) + data.byteLength;
  const args: [string, ...unknown[]] = key === undefined ? [op, algorithm, data] : [op, algorithm, key, data];
  if (size <= INLINE_HASH_MAX_BYTES) return ReflectApply(hostCryptoCall, undefined, args);
  return ReflectApply(referenceApplySyncPromise as NonNullable<typeof referenceApplySyncPromise>, hostHashOffThread, [
    undefined,
    args,
    { arguments: { copy: true } },
  ]) as ArrayBuffer | string;
}

function randomFill(bytes: Uint8Array): Uint8Array {
  for (let offset = 0; offset < bytes.length; offset += RANDOM_CHUNK_BYTES) {
    const n = bytes.length - offset < RANDOM_CHUNK_BYTES ? bytes.length - offset : RANDOM_CHUNK_BYTES;
    bytes.set(hostBytes(hostCryptoCall('random', n)), offset);
  }
  return bytes;
}

function randomUUID(): string {
  const b = randomFill(new Uint8ArrayCtor(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  let hex = '';
  for (let i = 0; i < 16; i++) {
    const byte = b[i] as number;
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

function getRandomValues<T>(array: T): T {
  if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (array.byteLength > 65536) throw domException('The ArrayBufferView byte length exceeds 65536', 'QuotaExceededError');
  randomFill(bytesOf(array));
  return array;
}

const DIGESTS: Readonly<Record<string, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const subtle = {
  digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    try {
      const name = typeof algorithm === 'string' ? algorithm : algorithm && (algorithm as { name?: unknown }).name;
      const alg = DIGESTS[StringCtor(name).toUpperCase()];
      if (alg === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
      return resolved(hostBytes(hostHash('digest', alg, undefined, bufferCopy(data))).buffer as ArrayBuffer);
    } catch (err) {
      return rejected(err);
    }
  },
};

/** The global `crypto` object. */
export function createWebCrypto(): object {
  return { randomUUID: randomUUID, getRandomValues: getRandomValues, subtle: subtle };
}

/** Node's crypto module (the bundler's shim) reaches the host through these, by import of 'stratus:host'. */
export function hostDigest(algorithm: unknown, data: unknown): Uint8Array {
  return hostBytes(hostHash('digest', StringCtor(algorithm), undefined, bufferCopy(data)));
}

export function hostHmac(algorithm: unknown, key: unknown, data: unknown): Uint8Array {
  return hostBytes(hostHash('hmac', StringCtor(algorithm), bufferCopy(key), bufferCopy(data)));
}

export function hostRandomFill<T>(view: T): T {
  randomFill(bytesOf(view));
  return view;
}
