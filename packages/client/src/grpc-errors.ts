import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { StratusError, isErrorCode, type ErrorCode } from '@stratus/errors';
import { GRPC_ERROR_METADATA } from '@stratus/contracts/grpc';

/** What a failed call was, for messages that name it. */
export interface FailedCall {
  readonly endpoint: string;
  /** The RPC's name, e.g. "Invoke". */
  readonly method: string;
  readonly deadlineMs: number;
  /** Whether the call carried an API key; when it did not, UNAUTHENTICATED says where clients look for one. */
  readonly sentApiKey?: boolean;
  /** Whether running the call twice is harmless (an Invoke with a client token), so a call lost in transit may be retried. */
  readonly idempotent?: boolean;
}

/** What grpc-js says when the request never reached a server (no connection, or refused before processing). */
const NEVER_SENT = /^(No connection established|Name resolution failed|Channel closed before call started|Stream refused by server|Subchannel not ready|Failed to parse|Unrecognized scheme)/;

const NO_KEY_HINT =
  'no API key was sent: set STRATUS_API_KEY=<keyId>.<secret>, or run from the folder holding .stratus/admin.key (written by `stratus up`)';

/**
 * Turns a failed gRPC call into a StratusError. The frontend puts the Stratus
 * code in trailing metadata; without it (a proxy, a transport failure, a
 * server that is not Stratus) the gRPC status decides.
 */
export function fromGrpcError(err: ServiceError, call: FailedCall): StratusError {
  const metadata = err.metadata as Metadata | undefined;
  const code = metadataString(metadata, GRPC_ERROR_METADATA.code);
  if (isErrorCode(code)) {
    const retryable = metadataString(metadata, GRPC_ERROR_METADATA.retryable);
    const details = parseDetails(metadataString(metadata, GRPC_ERROR_METADATA.details));
    const message = code === 'UNAUTHENTICATED' && call.sentApiKey === false ? NO_KEY_HINT : err.details || code;
    return new StratusError(code, message, {
      ...(retryable === 'true' || retryable === 'false' ? { retryable: retryable === 'true' } : {}),
      ...(details ? { details } : {}),
      cause: err,
    });
  }
  const [fallback, message] = fallbackFor(err, call);
  // A call lost in transit is safe to repeat when the server runs each client token once.
  const retryable = fallback === 'INVOCATION_LOST' && call.idempotent === true ? { retryable: true } : {};
  return new StratusError(fallback, message, { ...retryable, cause: err });
}

function fallbackFor(err: ServiceError, call: FailedCall): [ErrorCode, string] {
  const said = err.details || `gRPC status ${status[err.code] ?? err.code}`;
  switch (err.code) {
    case status.UNAVAILABLE:
      // An Invoke whose connection broke after it was sent may have run: only a call never sent is plainly retryable.
      if (call.method === 'Invoke' && !NEVER_SENT.test(said)) {
        return ['INVOCATION_LOST', `the connection to ${call.endpoint} broke during the call (${transportReason(said)}); the invocation may have run`];
      }
      return ['UNAVAILABLE', `could not reach the Stratus endpoint ${call.endpoint}: ${transportReason(said)}`];
    case status.CANCELLED:
      // This client never cancels a unary call: the server did, for instance by shutting down at once.
      if (call.method === 'Invoke') return ['INVOCATION_LOST', `the Invoke call to ${call.endpoint} was cut off (${said}); the invocation may have run`];
      return ['UNAVAILABLE', `${call.method} call to ${call.endpoint} was cancelled: ${said}`];
    case status.DEADLINE_EXCEEDED:
      // An invocation may still be running, so it must not look retryable.
      return call.method === 'Invoke'
        ? ['INVOCATION_TIMEOUT', `no answer from ${call.endpoint} within ${call.deadlineMs} ms; the invocation may still be running`]
        : ['UNAVAILABLE', `no answer from ${call.endpoint} within ${call.deadlineMs} ms (${call.method})`];
    case status.INVALID_ARGUMENT:
      return ['INVALID_ARGUMENT', said];
    case status.NOT_FOUND:
      return ['FUNCTION_NOT_FOUND', said];
    case status.ALREADY_EXISTS:
      return ['FUNCTION_ALREADY_EXISTS', said];
    case status.ABORTED:
      return ['CONFLICT', said];
    case status.RESOURCE_EXHAUSTED:
      // grpc-js says this itself when a message is over the size limit.
      return /message larger than max/i.test(said) ? ['PAYLOAD_TOO_LARGE', said] : ['THROTTLED', said];
    case status.UNAUTHENTICATED:
      return ['UNAUTHENTICATED', call.sentApiKey === false ? NO_KEY_HINT : said];
    case status.PERMISSION_DENIED:
      return ['PERMISSION_DENIED', said];
    case status.UNIMPLEMENTED:
      return ['INTERNAL', `${call.endpoint} does not implement ${call.method}; is it a Stratus frontend? ${said}`];
    default:
      return ['INTERNAL', said];
  }
}

/** grpc-js wraps the socket error in text meant for its own logs; keep the socket error. */
function transportReason(details: string): string {
  return details
    .replace(/\s*Resolution note:\s*$/, '')
    .replace(/^No connection established\. Last error: (?:Error: )?/, '')
    .replace(/\.$/, '');
}

function metadataString(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** Details travel as a JSON object of strings; anything else is dropped rather than failing the error path. */
function parseDetails(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') details[key] = value;
  return Object.keys(details).length > 0 ? details : undefined;
}
