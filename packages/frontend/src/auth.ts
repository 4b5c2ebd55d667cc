import { timingSafeEqual } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { API_KEY_ID_PATTERN, API_KEY_METADATA, parseApiKey, scopesAllow, type ApiKeyRecord, type ApiKeyScope, type Namespace } from '@stratus/contracts';
import { PrefixMirror, decodeApiKeyRecord, openApiKeySecret, verifyApiKeySecret, type ApiKeySealingKey } from '@stratus/registry';
import { toGrpcError } from './grpc-errors.js';

/**
 * The scope every RPC needs: the one table of who may call what. A service
 * whose method is missing here cannot be added (see {@link addAuthorizedService}).
 * Server reflection is the only thing served without a key: it describes
 * the API's shape, which `proto/` publishes anyway, and generic clients
 * (`buf curl`, grpcurl) need it before they can send a key at all.
 */
export const METHOD_SCOPES: Readonly<Record<string, ApiKeyScope>> = {
  '/stratus.v1.Invoker/Invoke': 'invoke',
  '/stratus.v1.Functions/CreateFunction': 'deploy',
  '/stratus.v1.Functions/UpdateFunction': 'deploy',
  '/stratus.v1.Functions/DeleteFunction': 'deploy',
  '/stratus.v1.Functions/GetFunction': 'read',
  '/stratus.v1.Functions/ListFunctions': 'read',
  '/stratus.v1.Usage/GetUsage': 'read',
  '/stratus.v1.Nodes/ListNodes': 'read',
  '/stratus.v1.Logs/GetLogs': 'read',
  '/stratus.v1.Logs/TailLogs': 'read',
  '/stratus.v1.Concurrency/GetFunctionConcurrency': 'read',
  '/stratus.v1.Concurrency/GetAccountConcurrency': 'read',
  '/stratus.v1.Concurrency/PutFunctionConcurrency': 'admin',
  '/stratus.v1.Concurrency/DeleteFunctionConcurrency': 'admin',
  '/stratus.v1.ProvisionedConcurrency/GetProvisionedConcurrencyConfig': 'read',
  '/stratus.v1.ProvisionedConcurrency/PutProvisionedConcurrencyConfig': 'admin',
  '/stratus.v1.ProvisionedConcurrency/DeleteProvisionedConcurrencyConfig': 'admin',
  '/stratus.v1.Keys/CreateKey': 'admin',
  '/stratus.v1.Keys/ListKeys': 'admin',
  '/stratus.v1.Keys/RevokeKey': 'admin',
  // Publishing and aliases change what a function runs, as updating it does.
  '/stratus.v1.Versions/PublishVersion': 'deploy',
  '/stratus.v1.Versions/CreateAlias': 'deploy',
  '/stratus.v1.Versions/UpdateAlias': 'deploy',
  '/stratus.v1.Versions/DeleteAlias': 'deploy',
  '/stratus.v1.Versions/ListVersionsByFunction': 'read',
  '/stratus.v1.Versions/GetAlias': 'read',
  '/stratus.v1.Versions/ListAliases': 'read',
  // Where a function's outcomes go is part of deploying it; an event's state is for readers; cancel and redrive act on events as invoking does.
  '/stratus.v1.AsyncInvocations/PutFunctionEventInvokeConfig': 'deploy',
  '/stratus.v1.AsyncInvocations/UpdateFunctionEventInvokeConfig': 'deploy',
  '/stratus.v1.AsyncInvocations/DeleteFunctionEventInvokeConfig': 'deploy',
  '/stratus.v1.AsyncInvocations/GetFunctionEventInvokeConfig': 'read',
  '/stratus.v1.AsyncInvocations/ListFunctionEventInvokeConfigs': 'read',
  '/stratus.v1.AsyncInvocations/GetAsyncInvocation': 'read',
  '/stratus.v1.AsyncInvocations/CancelAsyncInvocation': 'invoke',
  '/stratus.v1.AsyncInvocations/RedriveAsyncInvocations': 'invoke',
  '/stratus.v1.Triggers/ListTriggers': 'read',
  // A schedule invokes its function on its own: making one is deploying, as an event invoke configuration is.
  '/stratus.v1.Schedules/CreateSchedule': 'deploy',
  '/stratus.v1.Schedules/UpdateSchedule': 'deploy',
  '/stratus.v1.Schedules/DeleteSchedule': 'deploy',
  '/stratus.v1.Schedules/GetSchedule': 'read',
  '/stratus.v1.Schedules/ListSchedules': 'read',
  // The object store has scopes of its own, so a key can upload without deploying or invoking anything.
  '/stratus.v1.Objects/CreateBucket': 'objects:write',
  '/stratus.v1.Objects/DeleteBucket': 'objects:write',
  '/stratus.v1.Objects/PutObject': 'objects:write',
  '/stratus.v1.Objects/DeleteObject': 'objects:write',
  '/stratus.v1.Objects/PutBucketNotificationConfiguration': 'objects:write',
  '/stratus.v1.Objects/ListBuckets': 'objects:read',
  '/stratus.v1.Objects/GetObject': 'objects:read',
  '/stratus.v1.Objects/HeadObject': 'objects:read',
  '/stratus.v1.Objects/ListObjects': 'objects:read',
  '/stratus.v1.Objects/GetBucketNotificationConfiguration': 'objects:read',
  // A mapping decides what invokes a function, as its configuration does.
  '/stratus.v1.EventSourceMappings/CreateEventSourceMapping': 'deploy',
  '/stratus.v1.EventSourceMappings/UpdateEventSourceMapping': 'deploy',
  '/stratus.v1.EventSourceMappings/DeleteEventSourceMapping': 'deploy',
  '/stratus.v1.EventSourceMappings/GetEventSourceMapping': 'read',
  '/stratus.v1.EventSourceMappings/ListEventSourceMappings': 'read',
};

/** Who made a call: the key it carried. */
export interface Caller {
  readonly keyId: string;
  readonly scopes: readonly ApiKeyScope[];
}

export interface ApiKeyAuthenticatorOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Opens keys' sealed secrets for SigV4 (the Lambda REST API). Default: none, and SigV4 requests are refused. */
  readonly sealingKey?: ApiKeySealingKey | undefined;
}

const BEARER_PREFIX = `${API_KEY_METADATA.scheme} `;

/**
 * Checks secrets against key records, remembering per record the last
 * secret that matched, so the next call with the same key is a constant-time
 * comparison instead of a salted SHA-256 (a few microseconds of every call).
 * Keyed by the record object: a key that is revoked leaves the mirror, and
 * one written again is a new record, checked afresh.
 */
export class VerifiedSecrets {
  readonly #verified = new WeakMap<ApiKeyRecord, Buffer>();

  verify(record: ApiKeyRecord, secret: string): boolean {
    const presented = Buffer.from(secret, 'utf8');
    const known = this.#verified.get(record);
    if (known !== undefined && known.length === presented.length && timingSafeEqual(known, presented)) return true;
    if (!verifyApiKeySecret(record, secret)) return false;
    this.#verified.set(record, presented);
    return true;
  }
}

/**
 * Checks the API key on each call against an in-memory mirror of the keys
 * in etcd, so no call waits on etcd; a revoked key disappears from every
 * frontend's mirror as soon as etcd's watch tells it, well within a second.
 */
export class ApiKeyAuthenticator {
  readonly #keys: PrefixMirror<ApiKeyRecord>;
  readonly #secrets = new VerifiedSecrets();
  readonly #sealingKey: ApiKeySealingKey | undefined;
  /** Each record's opened secret, so a SigV4 request decrypts nothing once its key has been seen. */
  readonly #opened = new WeakMap<ApiKeyRecord, string>();

  private constructor(keys: PrefixMirror<ApiKeyRecord>, sealingKey: ApiKeySealingKey | undefined) {
    this.#keys = keys;
    this.#sealingKey = sealingKey;
  }

  static async start(options: ApiKeyAuthenticatorOptions): Promise<ApiKeyAuthenticator> {
    const keys = await PrefixMirror.start({
      etcd: options.etcd,
      prefix: options.ns.keys.apiKeysPrefix(),
      decode: decodeApiKeyRecord,
      log: options.log,
    });
    return new ApiKeyAuthenticator(keys, options.sealingKey);
  }

  /**
   * The caller holding the access key id a SigV4 request names, and its
   * secret to check the signature with; UNAUTHENTICATED when the key is
   * unknown or revoked, or its secret cannot be opened here.
   */
  sigV4Credential(accessKeyId: string): { readonly caller: Caller; readonly secret: string } {
    const record = API_KEY_ID_PATTERN.test(accessKeyId) ? this.#keys.get(accessKeyId) : undefined;
    if (!record) throw new StratusError('UNAUTHENTICATED', 'The security token included in the request is invalid.');
    let secret = this.#opened.get(record);
    if (secret === undefined) {
      if (this.#sealingKey === undefined) {
        throw new StratusError('UNAUTHENTICATED', `API key ${record.keyId} cannot sign SigV4 requests here: this frontend has no API key sealing key (STRATUS_API_KEY_SEALING_KEY_FILE)`);
      }
      const opened = openApiKeySecret(this.#sealingKey, record);
      if ('problem' in opened) throw new StratusError('UNAUTHENTICATED', `API key ${record.keyId} cannot sign SigV4 requests: ${opened.problem}`);
      secret = opened.secret;
      this.#opened.set(record, secret);
    }
    return { caller: { keyId: record.keyId, scopes: record.scopes }, secret };
  }

  /** The caller holding the key in `authorization` ("Bearer <keyId>.<secret>"); UNAUTHENTICATED otherwise. */
  authenticate(authorization: string | undefined): Caller {
    if (authorization === undefined || authorization === '') {
      throw new StratusError(
        'UNAUTHENTICATED',
        `this call needs an API key: send the gRPC metadata "authorization: Bearer <keyId>.<secret>" (the stratus CLI reads STRATUS_API_KEY, else ./.stratus/admin.key)`,
      );
    }
    const credential = authorization.startsWith(BEARER_PREFIX) ? parseApiKey(authorization.slice(BEARER_PREFIX.length)) : undefined;
    if (!credential) throw new StratusError('UNAUTHENTICATED', 'the authorization metadata is not "Bearer <keyId>.<secret>"');
    const record = this.#keys.get(credential.keyId);
    if (!record || !this.#secrets.verify(record, credential.secret)) {
      // One answer for an unknown, revoked or wrong key, so a caller learns nothing about which.
      throw new StratusError('UNAUTHENTICATED', `API key ${credential.keyId} is not valid: it is unknown, revoked, or its secret is wrong`);
    }
    return { keyId: record.keyId, scopes: record.scopes };
  }

  /** Authenticates and checks the scope `path` needs; PERMISSION_DENIED when the key lacks it. */
  authorize(authorization: string | undefined, path: string, needed: ApiKeyScope): Caller {
    const caller = this.authenticate(authorization);
    assertScope(caller, path.slice(path.lastIndexOf('.') + 1), needed);
    return caller;
  }

  /** Records a key this frontend just wrote (undefined: deleted), so its caller can use it here at once. */
  observe(keyId: string, record: ApiKeyRecord | undefined, revision: number): void {
    this.#keys.observe(keyId, record, revision);
  }

  async close(): Promise<void> {
    await this.#keys.close();
  }
}

/** Throws PERMISSION_DENIED, naming the operation and the scope, unless the caller's key has the scope it needs. */
export function assertScope(caller: Caller, operation: string, needed: ApiKeyScope): void {
  if (!scopesAllow(caller.scopes, needed)) {
    throw new StratusError(
      'PERMISSION_DENIED',
      `API key ${caller.keyId} (scopes: ${caller.scopes.join(', ')}) may not call ${operation}: it needs the "${needed}" scope`,
      { details: { keyId: caller.keyId, neededScope: needed } },
    );
  }
}

/**
 * Adds a service whose every method first checks the caller's key against
 * {@link METHOD_SCOPES}, then, for a caller allowed to call it, the request
 * with `checkRequest` (which throws a StratusError to refuse it), so a caller
 * without a valid key gets UNAUTHENTICATED or PERMISSION_DENIED whatever it
 * sent. Throws at startup for a method the table misses, so no RPC can be
 * served without a scope.
 */
export function addAuthorizedService(
  server: grpc.Server,
  service: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  auth: ApiKeyAuthenticator,
  log: Logger,
  checkRequest: (path: string, request: unknown) => void = () => {},
): void {
  const authorized: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(service)) {
    const scope = METHOD_SCOPES[method.path];
    if (scope === undefined) throw new Error(`${method.path} has no scope in METHOD_SCOPES`);
    const handler = implementation[name] ?? (method.originalName === undefined ? undefined : implementation[method.originalName]);
    if (handler === undefined) throw new Error(`${method.path} has no implementation`);
    const check = (metadata: grpc.Metadata, request: unknown): Partial<grpc.ServiceError> | undefined => {
      try {
        auth.authorize(authorizationOf(metadata), method.path, scope);
        checkRequest(method.path, request);
        return undefined;
      } catch (err) {
        log.debug({ err, method: method.path }, 'call refused');
        return toGrpcError(err, log);
      }
    };
    if (!method.requestStream && !method.responseStream) {
      const unary = handler as grpc.handleUnaryCall<unknown, unknown>;
      authorized[name] = ((call, callback) => {
        const refused = check(call.metadata, call.request);
        if (refused) callback(refused);
        else unary(call, callback);
      }) satisfies grpc.handleUnaryCall<unknown, unknown>;
    } else if (!method.requestStream && method.responseStream) {
      const stream = handler as grpc.handleServerStreamingCall<unknown, unknown>;
      authorized[name] = ((call) => {
        const refused = check(call.metadata, call.request);
        if (refused) call.emit('error', refused);
        else stream(call);
      }) satisfies grpc.handleServerStreamingCall<unknown, unknown>;
    } else if (method.requestStream && !method.responseStream) {
      // The key is checked once the first message (or the end) is ready, not read: as for unary calls, a first
      // message over the method's limit is refused as that (RESOURCE_EXHAUSTED) whoever sent it; the handler
      // checks the messages themselves.
      const stream = handler as grpc.handleClientStreamingCall<unknown, unknown>;
      authorized[name] = ((call, callback) => {
        call.once('readable', () => {
          const refused = check(call.metadata, undefined);
          if (refused) callback(refused);
          else stream(call, callback);
        });
      }) satisfies grpc.handleClientStreamingCall<unknown, unknown>;
    } else {
      throw new Error(`${method.path}: bidirectional-streaming methods are not supported`);
    }
  }
  server.addService(service, authorized);
}

function authorizationOf(metadata: grpc.Metadata): string | undefined {
  const value = metadata.get(API_KEY_METADATA.header)[0];
  return typeof value === 'string' ? value : value?.toString('utf8');
}
