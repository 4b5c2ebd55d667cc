import { z } from 'zod';

/**
 * What an API key may do. `invoke` runs functions; `deploy` creates, updates
 * and deletes them; `read` sees functions, logs, usage, nodes and
 * concurrency; `objects:read` lists buckets and reads objects and bucket
 * notification settings; `objects:write` creates and deletes buckets and
 * objects and sets notifications (implying `objects:read`); `admin` changes
 * concurrency and manages keys, and implies every other scope.
 */
export const API_KEY_SCOPES = ['invoke', 'deploy', 'read', 'admin', 'objects:read', 'objects:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

/**
 * A key id: "SK" and 18 characters of base32 (A-Z, 2-7), 20 in all, the
 * shape of an AWS access key id, so the pair can sign SigV4 requests as an
 * access key id and secret access key.
 */
export const API_KEY_ID_PATTERN = /^SK[A-Z2-7]{18}$/;
/** A secret: 40 letters and digits (about 238 random bits), the length of an AWS secret access key. */
export const API_KEY_SECRET_PATTERN = /^[A-Za-z0-9]{40}$/;

/** How a client presents its key on every gRPC call: `authorization: Bearer <keyId>.<secret>`. */
export const API_KEY_METADATA = { header: 'authorization', scheme: 'Bearer' } as const;

/**
 * A key as stored in etcd under `keys.apiKey(keyId)`: never the secret, only
 * a salted SHA-256 of it (see @stratus/registry's api-keys.ts for why a fast
 * hash is enough for random secrets).
 */
export const apiKeyRecordSchema = z.object({
  keyId: z.string().regex(API_KEY_ID_PATTERN),
  scopes: z.array(apiKeyScopeSchema).min(1),
  hashAlgorithm: z.literal('sha256'),
  /** Random per key, base64. */
  salt: z.string().min(1),
  /** Hex SHA-256 of salt, key id and secret. */
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAtMs: z.number().int().nonnegative(),
  description: z.string().default(''),
  /**
   * The secret itself, encrypted with the cluster's API key sealing key
   * (AES-256-GCM, the key id as associated data): SigV4 is a symmetric
   * scheme, so a verifier needs the secret, which the hash cannot give back.
   * `<sealing key id>.<iv>.<ciphertext>.<tag>`, base64url parts. Absent on
   * keys made without a sealing key: those sign no SigV4 requests.
   */
  sealedSecret: z.string().regex(/^[0-9a-f]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).optional(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** A key id and its secret, as a client holds them. */
export interface ApiKeyCredential {
  readonly keyId: string;
  readonly secret: string;
}

/** The one-string form clients keep in STRATUS_API_KEY and `admin.key`: `<keyId>.<secret>`. */
export function formatApiKey(credential: ApiKeyCredential): string {
  return `${credential.keyId}.${credential.secret}`;
}

/** Parses `<keyId>.<secret>` (surrounding whitespace ignored); undefined when it is not one. */
export function parseApiKey(text: string): ApiKeyCredential | undefined {
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  if (dot < 0) return undefined;
  const keyId = trimmed.slice(0, dot);
  const secret = trimmed.slice(dot + 1);
  if (!API_KEY_ID_PATTERN.test(keyId) || !API_KEY_SECRET_PATTERN.test(secret)) return undefined;
  return { keyId, secret };
}

/** Whether a key holding `granted` may do what needs `needed`. */
export function scopesAllow(granted: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return granted.includes('admin') || granted.includes(needed) || (needed === 'objects:read' && granted.includes('objects:write'));
}
