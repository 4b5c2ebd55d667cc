import { StratusError } from '@stratus/errors';
import { API_KEY_ID_PATTERN, apiKeyScopeSchema, type ApiKeyRecord, type ApiKeyScope } from '@stratus/contracts';
import type { ApiKeyMessage, CreateKeyRequestMessage, CreateKeyResponseMessage, ListKeysResponseMessage } from '@stratus/contracts/grpc';
import type { ApiKeyStore } from '@stratus/registry';
import type { ApiKeyAuthenticator } from './auth.js';

const DESCRIPTION_MAX_LENGTH = 256;

/** The Keys service: create, list and revoke API keys (admin scope, see METHOD_SCOPES). */
export class KeysApi {
  readonly #store: ApiKeyStore;
  readonly #auth: ApiKeyAuthenticator;

  constructor(options: { readonly store: ApiKeyStore; readonly auth: ApiKeyAuthenticator }) {
    this.#store = options.store;
    this.#auth = options.auth;
  }

  async create(request: CreateKeyRequestMessage): Promise<CreateKeyResponseMessage> {
    const scopes = parseScopes(request.scopes);
    if (request.description.length > DESCRIPTION_MAX_LENGTH) {
      throw new StratusError('INVALID_ARGUMENT', `description: must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
    }
    const created = await this.#store.create(scopes, request.description);
    this.#auth.observe(created.record.keyId, created.record, created.revision);
    return { key: toMessage(created.record), secret: created.credential.secret };
  }

  async list(): Promise<ListKeysResponseMessage> {
    return { keys: (await this.#store.list()).map(toMessage) };
  }

  async revoke(keyId: string): Promise<Record<string, never>> {
    if (!API_KEY_ID_PATTERN.test(keyId)) throw new StratusError('INVALID_ARGUMENT', `keyId: ${JSON.stringify(keyId)} is not a key id`);
    const revision = await this.#store.revoke(keyId);
    this.#auth.observe(keyId, undefined, revision);
    return {};
  }
}

function parseScopes(requested: readonly string[]): ApiKeyScope[] {
  if (requested.length === 0) throw new StratusError('INVALID_ARGUMENT', 'scopes: a key needs at least one of invoke, deploy, read, admin');
  return requested.map((scope, index) => {
    const parsed = apiKeyScopeSchema.safeParse(scope);
    if (!parsed.success) throw new StratusError('INVALID_ARGUMENT', `scopes.${index}: ${JSON.stringify(scope)} is not one of invoke, deploy, read, admin`);
    return parsed.data;
  });
}

function toMessage(record: ApiKeyRecord): ApiKeyMessage {
  return { keyId: record.keyId, scopes: [...record.scopes], description: record.description, createdAtMs: record.createdAtMs };
}
