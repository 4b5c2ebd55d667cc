import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Lambda's function URL CORS settings, as stored: what a preflight is answered with and what responses carry. */
export const functionUrlCorsSchema = z
  .object({
    allowCredentials: z.boolean().optional(),
    allowHeaders: z.array(z.string().min(1).max(1024)).max(100).optional(),
    allowMethods: z.array(z.string().regex(/^(\*|GET|PUT|HEAD|POST|PATCH|DELETE|OPTIONS)$/, 'must be *, GET, PUT, HEAD, POST, PATCH, DELETE or OPTIONS')).max(6).optional(),
    allowOrigins: z.array(z.string().min(1).max(253)).max(100).optional(),
    exposeHeaders: z.array(z.string().min(1).max(1024)).max(100).optional(),
    maxAge: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type FunctionUrlCors = z.infer<typeof functionUrlCorsSchema>;

/** A URL id: 32 lower-case letters and digits, as Lambda's. */
export const FUNCTION_URL_ID_PATTERN = /^[a-z0-9]{32}$/;

/** URLs one function may have besides its own: one per alias, at most this many, so its etcd record stays small. */
export const FUNCTION_URL_ALIAS_MAX = 100;

/**
 * A function's URL (Lambda's function URL config): served by every
 * frontend's HTTP listener at `/lambda-url/<function name>/`. `AWS_IAM`
 * means a request must be signed with SigV4 by an API key with the
 * `invoke` scope; `NONE`, that anyone may call it.
 */
export const functionUrlConfigSchema = z.object({
  authType: z.enum(['NONE', 'AWS_IAM']),
  /**
   * The URL's stable id, Lambda's `<url-id>` in `<url-id>.lambda-url.<region>.on.aws`:
   * a request whose Host starts with it reaches this URL. Absent on URLs made
   * before host-based URLs existed (they are served by path only).
   */
  urlId: z.string().regex(FUNCTION_URL_ID_PATTERN).optional(),
  cors: functionUrlCorsSchema.optional(),
  /**
   * Lambda's InvokeMode: `RESPONSE_STREAM` answers with the status and headers a streaming handler gives
   * `HttpResponseStream.from` and its body chunk-encoded; absent means `BUFFERED` (URLs made before the mode existed).
   */
  invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']).optional(),
  createdAt: z.string(),
  lastModifiedAt: z.string(),
});
export type FunctionUrlConfig = z.infer<typeof functionUrlConfigSchema>;

/** Where a function's URL is served on a frontend's HTTP listener. */
export const FUNCTION_URL_PATH_PREFIX = '/lambda-url/';

/** The label after the URL id in a host-based URL's Host, as Lambda's `<url-id>.lambda-url.<region>.on.aws`. */
export const FUNCTION_URL_HOST_LABEL = 'lambda-url';

/** A new URL id: 32 random lower-case letters and digits (about 165 bits). */
export function newFunctionUrlId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  // 252 is the largest multiple of 36 below 256: bytes past it are dropped so every character is equally likely.
  while (id.length < 32) for (const byte of randomBytes(40)) if (byte < 252 && id.length < 32) id += alphabet[byte % 36];
  return id;
}

/**
 * The URL id a Host header names, or undefined when it names none:
 * `<url-id>.lambda-url.<anything>` (Lambda's form, any region or domain
 * after it), or `<url-id>.<domain>` for the cluster's own URL domain; a
 * port is ignored, case too (DNS names are case-insensitive).
 */
export function functionUrlIdOfHost(host: string, domain?: string): string | undefined {
  const lower = host.toLowerCase();
  const colon = lower.lastIndexOf(':');
  const name = colon >= 0 && !lower.includes(']') ? lower.slice(0, colon) : lower;
  const dot = name.indexOf('.');
  if (dot !== 32) return undefined;
  const id = name.slice(0, 32);
  const rest = name.slice(33);
  if (!FUNCTION_URL_ID_PATTERN.test(id)) return undefined;
  if (rest.startsWith(`${FUNCTION_URL_HOST_LABEL}.`) || (domain !== undefined && domain !== '' && rest === domain.toLowerCase())) return id;
  return undefined;
}
