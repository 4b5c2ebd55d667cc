import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StratusError } from '@stratus/errors';

/** The environment variable clients read their API key from. */
export const API_KEY_ENV = 'STRATUS_API_KEY';
/** Where `stratus up` leaves the local cluster's admin key, relative to the directory it runs in. */
export const ADMIN_KEY_FILE = join('.stratus', 'admin.key');

export interface ResolveApiKeyOptions {
  /** Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default process.cwd(). */
  readonly cwd?: string;
}

/**
 * The API key a client sends when it is given none: STRATUS_API_KEY, else
 * the contents of `./.stratus/admin.key` (the local cluster's admin key,
 * written by `stratus up`), else undefined. Read when a client is created,
 * never at import.
 */
export function resolveApiKey(options: ResolveApiKeyOptions = {}): string | undefined {
  const fromEnv = (options.env ?? process.env)[API_KEY_ENV]?.trim();
  if (fromEnv) return fromEnv;
  const path = join(options.cwd ?? process.cwd(), ADMIN_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StratusError('INVALID_ARGUMENT', `cannot read the API key in ${path}: ${(err as Error).message}`, { cause: err });
  }
  return text.trim() || undefined;
}

/** A key travels as a header value: printable ASCII only, checked before any call is made. */
export function checkApiKeyText(apiKey: string): string {
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new StratusError('INVALID_ARGUMENT', 'the API key must be "<keyId>.<secret>": printable characters without spaces');
  }
  return apiKey;
}
