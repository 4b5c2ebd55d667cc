const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON is the encoding of every internal NATS message and etcd value. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data)) as unknown;
}
