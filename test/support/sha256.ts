import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What the AWS SDK's signer hands its hash: @smithy/types' SourceData. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (data: SourceData): string | Buffer =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/**
 * SHA-256 and HMAC-SHA256 for `@smithy/signature-v4`'s `sha256` option, on
 * Node's crypto (what the SDK's own hash-node does), so tests can sign
 * requests without the SDK's full client.
 */
export class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {}
}
