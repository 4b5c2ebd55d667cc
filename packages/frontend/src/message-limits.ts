import * as grpc from '@grpc/grpc-js';
import { LIMITS, OBJECT_LIMITS } from '@stratus/contracts';

/** Room for what surrounds an event or a zip in its request: names, settings, a 4 KB environment, protobuf framing. */
export const ENVELOPE_BYTES = 64 * 1024;

/** Every request not listed in REQUEST_MAX_BYTES carries names, settings or a query: small. */
export const SMALL_REQUEST_MAX_BYTES = 64 * 1024;

/** The largest request each method takes, by gRPC path. */
export const REQUEST_MAX_BYTES: Readonly<Record<string, number>> = {
  '/stratus.v1.Invoker/Invoke': LIMITS.syncPayloadMaxBytes + ENVELOPE_BYTES,
  '/stratus.v1.Functions/CreateFunction': LIMITS.zipMaxBytes + ENVELOPE_BYTES,
  '/stratus.v1.Functions/UpdateFunction': LIMITS.zipMaxBytes + ENVELOPE_BYTES,
  // Each message of an upload: the header, or one chunk of the body.
  '/stratus.v1.Objects/PutObject': OBJECT_LIMITS.chunkMaxBytes + ENVELOPE_BYTES,
};

/** The server-wide receive limit grpc-js starts every call with: the largest of all. */
export const SERVER_RECEIVE_MAX_BYTES = Math.max(SMALL_REQUEST_MAX_BYTES, ...Object.values(REQUEST_MAX_BYTES));

export function requestMaxBytes(path: string): number {
  return REQUEST_MAX_BYTES[path] ?? SMALL_REQUEST_MAX_BYTES;
}

/** The parts of grpc-js's own server call (BaseServerInterceptingCall, 1.10 to 1.14) this module narrows. */
interface ReceivingCall extends grpc.ServerInterceptingCallInterface {
  maxReceiveMessageSize: number;
  decoder: { maxReadMessageLength: number; write(data: Buffer): Buffer[] };
}

function isReceivingCall(call: unknown): call is ReceivingCall {
  if (typeof call !== 'object' || call === null) return false;
  const { maxReceiveMessageSize, decoder } = call as Partial<ReceivingCall>;
  return typeof maxReceiveMessageSize === 'number' && typeof decoder?.maxReadMessageLength === 'number' && typeof decoder.write === 'function';
}

/**
 * Gives each call the receive limit of its method. grpc-js has one
 * server-wide `grpc.max_receive_message_length`, checked against each
 * message's 5-byte length prefix before the message is buffered; it has no
 * per-method limit, and interceptors only see messages once they are whole
 * and parsed. So this interceptor, which must come first (it is handed
 * grpc-js's own call), lowers that call's limit: a 50 MB Invoke is refused
 * when its first frame arrives, not after the frontend has held 50 MB. grpc-js
 * answers RESOURCE_EXHAUSTED "Received message larger than max (N vs M)",
 * which the client reports as PAYLOAD_TOO_LARGE; the text added here names
 * the method and its limit. Should a grpc-js upgrade move these internals,
 * `onUnsupported` is told and calls keep the server-wide limit (the tests of
 * every method's limit then fail).
 */
export function messageLimitInterceptor(onUnsupported: () => void): grpc.ServerInterceptor {
  return (method, call) => {
    if (!isReceivingCall(call)) {
      onUnsupported();
      return new grpc.ServerInterceptingCall(call);
    }
    const limit = requestMaxBytes(method.path);
    call.maxReceiveMessageSize = limit;
    const decoder = call.decoder;
    decoder.maxReadMessageLength = limit;
    const write = decoder.write.bind(decoder);
    decoder.write = (data: Buffer): Buffer[] => {
      try {
        return write(data);
      } catch (err) {
        const name = method.path.slice(method.path.lastIndexOf('/') + 1);
        throw new Error(`${err instanceof Error ? err.message : String(err)}: ${name} requests are limited to ${limit} bytes (${describe(method.path)})`);
      }
    };
    // grpc-js uses what an interceptor returns only through the interface its own call implements: handing that call
    // back, rather than a pass-through ServerInterceptingCall around it, spares every call a layer of listeners and
    // responders (about a dozen objects and closures) on each message, header and status.
    return call as unknown as grpc.ServerInterceptingCall;
  };
}

function describe(path: string): string {
  if (path === '/stratus.v1.Invoker/Invoke') return `a ${LIMITS.syncPayloadMaxBytes / (1024 * 1024)} MB event plus ${ENVELOPE_BYTES / 1024} KB`;
  if (REQUEST_MAX_BYTES[path] !== undefined) return `a ${LIMITS.zipMaxBytes / (1024 * 1024)} MB zip plus ${ENVELOPE_BYTES / 1024} KB`;
  return 'names, settings and queries only';
}
