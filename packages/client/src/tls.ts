import { readFileSync } from 'node:fs';
import { StratusError } from '@stratus/errors';

/** The environment variables a client reads its TLS files from (PEM paths). */
export const TLS_ENV = {
  ca: 'STRATUS_TLS_CA',
  cert: 'STRATUS_TLS_CERT',
  key: 'STRATUS_TLS_KEY',
} as const;

/** TLS towards a frontend, as PEM text. */
export interface ClientTls {
  /** The CA the frontend's certificate must be signed by. Default: the system's trusted CAs. */
  readonly ca?: string | Uint8Array;
  /** A client certificate and its key, for frontends that require one (`STRATUS_GRPC_TLS_CLIENT_CA`). */
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
}

/**
 * The TLS a client uses when it is given none: from `STRATUS_TLS_CA`,
 * `STRATUS_TLS_CERT` and `STRATUS_TLS_KEY` (file paths, read when the client
 * is created), or undefined (plaintext) when none is set.
 */
export function resolveClientTls(env: Readonly<Record<string, string | undefined>> = process.env): ClientTls | undefined {
  const path = (variable: string): string | undefined => env[variable]?.trim() || undefined;
  const [ca, cert, key] = [path(TLS_ENV.ca), path(TLS_ENV.cert), path(TLS_ENV.key)];
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  const read = (file: string | undefined, variable: string): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new StratusError('INVALID_ARGUMENT', `${variable}=${file} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  };
  return { ca: read(ca, TLS_ENV.ca), cert: read(cert, TLS_ENV.cert), key: read(key, TLS_ENV.key) };
}

/** A certificate goes with its key; checked before any connection is made. */
export function checkClientTls(tls: ClientTls): { rootCerts: Buffer | null; privateKey: Buffer | null; certChain: Buffer | null } {
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new StratusError('INVALID_ARGUMENT', `a client certificate needs its key (${TLS_ENV.cert} and ${TLS_ENV.key} go together)`);
  }
  const buffer = (pem: string | Uint8Array | undefined): Buffer | null => (pem === undefined ? null : Buffer.from(pem));
  return { rootCerts: buffer(tls.ca), privateKey: buffer(tls.key), certChain: buffer(tls.cert) };
}
