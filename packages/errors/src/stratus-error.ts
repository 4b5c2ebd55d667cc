import { ERROR_CODES, isErrorCode, type ErrorCode } from './codes.js';

/** What an error looks like on the wire (NATS replies, gRPC metadata, CLI --json). No stacks. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: Readonly<Record<string, string>>;
}

export interface StratusErrorOptions {
  /** Defaults to the code's entry in the error table. */
  readonly retryable?: boolean;
  readonly details?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * The base error of the platform. Branch on `err.code` (see {@link hasCode}),
 * never on `instanceof`: errors cross NATS, gRPC and isolate boundaries, where
 * class identity is lost.
 */
export class StratusError extends Error {
  override readonly name = 'StratusError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: StratusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = options.details ?? {};
  }

  toWire(): WireError {
    return Object.keys(this.details).length > 0
      ? { code: this.code, message: this.message, retryable: this.retryable, details: this.details }
      : { code: this.code, message: this.message, retryable: this.retryable };
  }

  static fromWire(wire: WireError): StratusError {
    return new StratusError(wire.code, wire.message, {
      retryable: wire.retryable,
      ...(wire.details ? { details: wire.details } : {}),
    });
  }
}

/** True when `err` carries a Stratus error code, whatever realm or process made it. */
export function hasCode<C extends ErrorCode>(err: unknown, code?: C): err is StratusError & { code: C } {
  if (typeof err !== 'object' || err === null) return false;
  const candidate = (err as { code?: unknown }).code;
  return isErrorCode(candidate) && (code === undefined || candidate === code);
}

/** Parses an untrusted value into a WireError, or undefined if it is not one. */
export function parseWireError(value: unknown): WireError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isErrorCode(v['code']) || typeof v['message'] !== 'string') return undefined;
  const details = v['details'];
  const parsedDetails: Record<string, string> = {};
  if (typeof details === 'object' && details !== null) {
    for (const [k, d] of Object.entries(details)) if (typeof d === 'string') parsedDetails[k] = d;
  }
  return {
    code: v['code'],
    message: v['message'],
    retryable: typeof v['retryable'] === 'boolean' ? v['retryable'] : ERROR_CODES[v['code']].retryable,
    ...(Object.keys(parsedDetails).length > 0 ? { details: parsedDetails } : {}),
  };
}

/**
 * Wraps anything thrown into a StratusError. Errors that already carry a code
 * keep it; anything else is INTERNAL, with the original kept as `cause` for logs.
 */
export function toStratusError(err: unknown, fallbackMessage = 'internal error'): StratusError {
  if (err instanceof StratusError) return err;
  if (hasCode(err)) {
    const wire = parseWireError(err);
    if (wire) return new StratusError(wire.code, wire.message, { retryable: wire.retryable, cause: err });
  }
  const message = err instanceof Error && err.message ? err.message : fallbackMessage;
  return new StratusError('INTERNAL', message, { cause: err });
}
