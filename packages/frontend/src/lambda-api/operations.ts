import { StratusError } from '@stratus/errors';
import { LATEST_VERSION, LIMITS, LIST_PAGE_MAX, TAGS_MAX, qualifiedFunctionArn, type ApiKeyScope } from '@stratus/contracts';
import type { VersionedFunction } from '@stratus/registry';
import type { InvokeRequestMessage, ProvisionedConcurrencyConfigMessage } from '@stratus/contracts/grpc';
import type { FunctionCatalog } from '../function-catalog.js';
import type { InvokeCall, Invoker } from '../invoke.js';
import type { ConcurrencyApi } from '../concurrency-api.js';
import type { EventSourceMappings } from '../event-source-mappings/mappings.js';
import type { AsyncApi } from '../async-api.js';
import { splitQualifier } from '../invoke.js';
import {
  aliasBody,
  aliasConfiguration,
  publishVersionBody,
  updateAliasBody,
  createFunctionBody,
  decodeBase64,
  functionConfiguration,
  getFunctionResponse,
  lambdaCodeSha256,
  loggingFrom,
  tagResourceBody,
  parseBody,
  putFunctionConcurrencyBody,
  putProvisionedConcurrencyBody,
  updateFunctionCodeBody,
  updateFunctionConfigurationBody,
  withLambdaFieldNames,
} from './shapes.js';

/** What the Lambda API calls: the same service layer the gRPC API calls, nothing of its own. */
export interface LambdaApiServices {
  readonly catalog: FunctionCatalog;
  readonly invoker: Invoker;
  readonly concurrency: ConcurrencyApi;
  /** Event-invoke configuration (the `AsyncInvocations` service). */
  readonly asyncApi: AsyncApi;
  /** Event source mappings (the `EventSourceMappings` service). */
  readonly mappings: EventSourceMappings;
  /** The domain host-based function URLs are given under (`<url-id>.<domain>`); undefined: URLs are given path-based. */
  readonly functionUrlDomain?: string | undefined;
}

/** A request routed to an operation, authenticated and authorized. */
export interface OperationRequest {
  /** The function named in the path, percent-decoded (a name, `name:qualifier` or an ARN); '' for account-wide operations. */
  readonly functionName: string;
  /** The path's second name (an alias), percent-decoded; '' when the path has none. */
  readonly subName: string;
  /** Every name in the path, percent-decoded, in order (the first two are `functionName` and `subName`). */
  readonly pathNames: readonly string[];
  readonly query: ReadonlyMap<string, string>;
  /** Every value of each query parameter the operation lets repeat (`repeatableQuery`), in order. */
  readonly queryLists: ReadonlyMap<string, readonly string[]>;
  /** Lower-case names; each header sent once (a repeated one is refused before this). */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** The Host the client reached this listener by: function URLs are made of it. */
  readonly host: string;
  /**
   * Sends the status and headers now and returns a writer for the body, for an answer that leaves as it is made
   * (InvokeWithResponseStream); the operation's response then only ends it, with its body as the last bytes. The
   * writer's bytes count against the listener's stream budget: when a slow reader would take it over, `cutOff`'s
   * bytes end the answer instead (nothing more is written, and the writer returns false).
   */
  readonly startBody: (status: number, headers: Readonly<Record<string, string>>, cutOff: () => Buffer | undefined) => (bytes: Buffer) => boolean;
}

export interface OperationResponse {
  readonly status: number;
  /** JSON (an object) or raw bytes (Invoke's payload); none for an empty body. */
  readonly body?: Record<string, unknown> | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** The request id to answer with (an invocation's own); default a new one. */
  readonly requestId?: string;
}

export interface Operation {
  readonly name: string;
  readonly method: string;
  /** Matched against the path as sent; the first group, if any, is the function name, still percent-encoded. */
  readonly path: RegExp;
  /** What the path's groups name, in order, for the refusal of one that is no name at all. Default FunctionName. */
  readonly pathFields?: readonly string[];
  /** The scope of a Stratus API key this operation needs, as the gRPC method it maps to. */
  readonly scope: ApiKeyScope;
  /** The largest body it takes; a larger one is refused before it is read. */
  readonly maxBodyBytes: number;
  /** Query parameters that may be given more than once (UntagResource's tagKeys); any other repeated is refused. */
  readonly repeatableQuery?: readonly string[];
  run(services: LambdaApiServices, request: OperationRequest): Promise<OperationResponse>;
}

const SMALL_BODY_BYTES = 64 * 1024;
/** A 50 MB zip in base64, and the JSON around it. */
const CODE_BODY_BYTES = Math.ceil(LIMITS.zipMaxBytes / 3) * 4 + SMALL_BODY_BYTES;
const FUNCTION = '([^/]+)';
const LIST_MAX_ITEMS = 10_000;
const LIST_DEFAULT_ITEMS = 50;
/** Lambda's page size limit for ListProvisionedConcurrencyConfigs (its default too). */
const PROVISIONED_LIST_MAX_ITEMS = 50;
/** The region Stratus names in ARNs. */
const ARN_REGION = 'local';

/** The function an operation names, with no qualifier (the operations that act on the function as a whole). */
function unqualifiedName(request: OperationRequest): string {
  const { name, qualifier } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
  if (qualifier !== '' && qualifier !== LATEST_VERSION) {
    throw new StratusError('INVALID_ARGUMENT', `Qualifier: ${JSON.stringify(qualifier)} cannot be used with this operation`);
  }
  return name;
}

/** The function and qualifier an operation names (GetFunction, DeleteFunction, …): `name:q`, an ARN with one, or `?Qualifier=`. */
function qualifiedName(request: OperationRequest): { name: string; qualifier: string } {
  return splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
}

function serviceCall<T>(call: () => Promise<T>): Promise<T> {
  return call().catch((err: unknown) => {
    throw withLambdaFieldNames(err);
  });
}

const json = (status: number, body: Record<string, unknown>): OperationResponse => ({ status, body });

const INVOCATION_TYPES: Readonly<Record<string, InvokeRequestMessage['invocationType']>> = {
  RequestResponse: 'REQUEST_RESPONSE',
  Event: 'EVENT',
  DryRun: 'DRY_RUN',
};
const LOG_TYPES: Readonly<Record<string, InvokeRequestMessage['logType']>> = { None: 'NONE', Tail: 'TAIL' };

/**
 * The call an `Invoke`-like request asks for: its invocation type (one of
 * `allowedTypes`, Lambda's header names, default RequestResponse), log type,
 * Qualifier, event and ClientContext; a header naming anything else is refused
 * naming the header and what it may be.
 */
export function invokeCallOf(request: OperationRequest, allowedTypes: readonly ('RequestResponse' | 'Event' | 'DryRun')[]): InvokeCall {
  const typeHeader = request.headers.get('x-amz-invocation-type') ?? 'RequestResponse';
  const invocationType = (allowedTypes as readonly string[]).includes(typeHeader) ? INVOCATION_TYPES[typeHeader] : undefined;
  if (invocationType === undefined) {
    const allowed = `${allowedTypes.slice(0, -1).join(', ')} or ${allowedTypes.at(-1) ?? ''}`;
    throw new StratusError('INVALID_ARGUMENT', `X-Amz-Invocation-Type: must be ${allowed}, not ${JSON.stringify(typeHeader.slice(0, 40))}`);
  }
  const logHeader = request.headers.get('x-amz-log-type') ?? 'None';
  const logType = LOG_TYPES[logHeader];
  if (logType === undefined) throw new StratusError('INVALID_ARGUMENT', `X-Amz-Log-Type: must be None or Tail, not ${JSON.stringify(logHeader.slice(0, 40))}`);
  return {
    functionName: request.functionName,
    qualifier: request.query.get('Qualifier') ?? '',
    payload: request.body,
    invocationType,
    logType,
    clientToken: '',
    clientContext: request.headers.get('x-amz-client-context') ?? '',
  };
}

function provisionedConfig(config: ProvisionedConcurrencyConfigMessage): Record<string, unknown> {
  return {
    RequestedProvisionedConcurrentExecutions: config.requestedProvisionedConcurrentExecutions,
    AvailableProvisionedConcurrentExecutions: config.availableProvisionedConcurrentExecutions,
    AllocatedProvisionedConcurrentExecutions: config.allocatedProvisionedConcurrentExecutions,
    Status: config.status,
  };
}

/** The function, and the version or alias provisioned concurrency is for (Lambda's Qualifier, or `name:qualifier`). */
function provisionedTarget(request: OperationRequest): [name: string, qualifier: string] {
  const { name, qualifier } = qualifiedName(request);
  return [name, qualifier];
}

/** Every operation of Lambda's REST API that Stratus serves. */
export const OPERATIONS: readonly Operation[] = [
  {
    name: 'ListFunctions',
    method: 'GET',
    // AWS CLI v2 sends the trailing slash, the SDKs do not.
    path: /^\/2015-03-31\/functions\/?$/,
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const maxText = request.query.get('MaxItems');
      let maxItems = LIST_DEFAULT_ITEMS;
      if (maxText !== undefined) {
        maxItems = Number(maxText);
        if (!/^\d{1,5}$/.test(maxText) || maxItems < 1 || maxItems > LIST_MAX_ITEMS) {
          throw new StratusError('INVALID_ARGUMENT', `MaxItems: must be a whole number from 1 to ${LIST_MAX_ITEMS}`);
        }
      }
      const marker = request.query.get('Marker');
      // The marker is the last name given, so a page never repeats or skips a function that stays.
      const after = marker === undefined || marker === '' ? undefined : decodeBase64(marker, 'Marker').toString('utf8');
      const all = (await catalog.list()).sort((a, b) => (a.fn.name < b.fn.name ? -1 : a.fn.name > b.fn.name ? 1 : 0));
      const rest = after === undefined ? all : all.filter((f) => f.fn.name > after);
      const page = rest.slice(0, maxItems);
      const last = page.at(-1);
      return json(200, {
        Functions: page.map(functionConfiguration),
        ...(rest.length > page.length && last ? { NextMarker: Buffer.from(last.fn.name, 'utf8').toString('base64') } : {}),
      });
    },
  },
  {
    name: 'CreateFunction',
    method: 'POST',
    path: /^\/2015-03-31\/functions\/?$/,
    scope: 'deploy',
    maxBodyBytes: CODE_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(createFunctionBody, request.body, 'CreateFunction');
      const created = await serviceCall(() =>
        catalog.create({
          name: body.FunctionName,
          settings: {
            ...(body.Handler !== undefined ? { handler: body.Handler } : {}),
            ...(body.MemorySize !== undefined ? { memoryMb: body.MemorySize } : {}),
            ...(body.Timeout !== undefined ? { timeoutSec: body.Timeout } : {}),
            ...(body.EphemeralStorage !== undefined ? { ephemeralStorageMb: body.EphemeralStorage.Size } : {}),
            ...(body.Runtime !== undefined ? { runtime: body.Runtime as 'nodejs20.x' } : {}),
            ...(body.Description !== undefined ? { description: body.Description } : {}),
            ...(body.LoggingConfig !== undefined ? { logging: loggingFrom(body.LoggingConfig, undefined) } : {}),
            ...(body.Tags !== undefined ? { tags: body.Tags } : {}),
            environment: body.Environment?.Variables ?? {},
          },
          zip: decodeBase64(body.Code.ZipFile, 'Code.ZipFile'),
        }),
      );
      if (body.Publish === true) return json(201, functionConfiguration(await publishLatest(catalog, created.fn.name)));
      return json(201, functionConfiguration(created));
    },
  },
  {
    name: 'GetFunction',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, qualifier } = qualifiedName(request);
      return json(200, getFunctionResponse(await catalog.get(name, qualifier)));
    },
  },
  {
    name: 'DeleteFunction',
    method: 'DELETE',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, qualifier } = qualifiedName(request);
      await catalog.delete(name, qualifier);
      return { status: 204 };
    },
  },
  {
    name: 'GetFunctionConfiguration',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, qualifier } = qualifiedName(request);
      return json(200, functionConfiguration(await catalog.get(name, qualifier)));
    },
  },
  {
    name: 'UpdateFunctionConfiguration',
    method: 'PUT',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(updateFunctionConfigurationBody, request.body, 'UpdateFunctionConfiguration');
      const name = unqualifiedName(request);
      await checkRevision(catalog, name, body.RevisionId);
      const logging = body.LoggingConfig === undefined ? undefined : loggingFrom(body.LoggingConfig, (await catalog.get(name)).fn.logging);
      const updated = await serviceCall(() =>
        catalog.update({
          name,
          settings: {
            ...(body.Handler !== undefined ? { handler: body.Handler } : {}),
            ...(body.MemorySize !== undefined ? { memoryMb: body.MemorySize } : {}),
            ...(body.Timeout !== undefined ? { timeoutSec: body.Timeout } : {}),
            ...(body.EphemeralStorage !== undefined ? { ephemeralStorageMb: body.EphemeralStorage.Size } : {}),
            ...(body.Runtime !== undefined ? { runtime: body.Runtime as 'nodejs20.x' } : {}),
            ...(body.Description !== undefined ? { description: body.Description } : {}),
            ...(body.Environment !== undefined ? { environment: body.Environment.Variables ?? {} } : {}),
            ...(logging !== undefined ? { logging } : {}),
          },
          // Lambda replaces the whole environment when one is given.
          replaceEnvironment: body.Environment !== undefined,
          zip: undefined,
        }),
      );
      return json(200, functionConfiguration(updated));
    },
  },
  {
    name: 'UpdateFunctionCode',
    method: 'PUT',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/code/?$`),
    scope: 'deploy',
    maxBodyBytes: CODE_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(updateFunctionCodeBody, request.body, 'UpdateFunctionCode');
      const name = unqualifiedName(request);
      const zip = decodeBase64(body.ZipFile, 'ZipFile');
      if (zip.byteLength === 0) throw new StratusError('INVALID_ARGUMENT', 'ZipFile: must not be empty');
      await checkRevision(catalog, name, body.RevisionId);
      const updated = await serviceCall(() => catalog.update({ name, settings: {}, replaceEnvironment: false, zip }));
      // Lambda answers Publish with the new version's configuration.
      if (body.Publish === true) return json(200, functionConfiguration(await publishLatest(catalog, name)));
      return json(200, functionConfiguration(updated));
    },
  },
  {
    name: 'Invoke',
    method: 'POST',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/invocations/?$`),
    scope: 'invoke',
    // Lambda's own limit answers a larger event, with its message, once the size is known.
    maxBodyBytes: LIMITS.syncPayloadMaxBytes + 1,
    async run({ invoker }, request) {
      const response = await invoker.invoke(invokeCallOf(request, ['RequestResponse', 'Event', 'DryRun']));
      const headers: Record<string, string> = { 'X-Amz-Executed-Version': response.executedVersion };
      if (response.statusCode !== 200) return { status: response.statusCode, headers, requestId: response.requestId };
      if (response.functionError !== '') headers['X-Amz-Function-Error'] = response.functionError;
      if (response.logResult !== '') headers['X-Amz-Log-Result'] = response.logResult;
      return { status: 200, body: response.payload, headers, requestId: response.requestId };
    },
  },
  {
    name: 'PutFunctionConcurrency',
    method: 'PUT',
    path: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    scope: 'admin',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ concurrency }, request) {
      const body = parseBody(putFunctionConcurrencyBody, request.body, 'PutFunctionConcurrency');
      const put = await concurrency.put(unqualifiedName(request), body.ReservedConcurrentExecutions);
      return json(200, { ReservedConcurrentExecutions: put.reservedConcurrentExecutions });
    },
  },
  {
    name: 'DeleteFunctionConcurrency',
    method: 'DELETE',
    path: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    scope: 'admin',
    maxBodyBytes: 0,
    async run({ concurrency }, request) {
      await concurrency.delete(unqualifiedName(request));
      return { status: 204 };
    },
  },
  {
    name: 'GetFunctionConcurrency',
    method: 'GET',
    path: new RegExp(`^/2019-09-30/functions/${FUNCTION}/concurrency/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ concurrency }, request) {
      const got = await concurrency.get(unqualifiedName(request));
      return json(200, got.hasReservation ? { ReservedConcurrentExecutions: got.reservedConcurrentExecutions } : {});
    },
  },
  {
    name: 'PutProvisionedConcurrencyConfig',
    method: 'PUT',
    path: new RegExp(`^/2019-09-30/functions/${FUNCTION}/provisioned-concurrency/?$`),
    scope: 'admin',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ concurrency }, request) {
      const body = parseBody(putProvisionedConcurrencyBody, request.body, 'PutProvisionedConcurrencyConfig');
      const put = await concurrency.putProvisioned(...provisionedTarget(request), body.ProvisionedConcurrentExecutions);
      return json(202, { ...provisionedConfig(put), LastModified: new Date().toISOString().replace('Z', '+0000') });
    },
  },
  {
    name: 'GetProvisionedConcurrencyConfig',
    method: 'GET',
    path: new RegExp(`^/2019-09-30/functions/${FUNCTION}/provisioned-concurrency/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run(services, request) {
      // ListProvisionedConcurrencyConfigs shares this path, told apart by `List=ALL`.
      if (request.query.has('List')) return listProvisionedConcurrencyConfigs(services, request);
      const got = await services.concurrency.getProvisioned(...provisionedTarget(request));
      if (got.status === 'NONE') {
        throw new StratusError('FUNCTION_NOT_FOUND', `No Provisioned Concurrency Config found for this function: ${got.functionName}`, {
          details: { lambdaName: 'ProvisionedConcurrencyConfigNotFoundException' },
        });
      }
      return json(200, provisionedConfig(got));
    },
  },
  {
    name: 'DeleteProvisionedConcurrencyConfig',
    method: 'DELETE',
    path: new RegExp(`^/2019-09-30/functions/${FUNCTION}/provisioned-concurrency/?$`),
    scope: 'admin',
    maxBodyBytes: 0,
    async run({ concurrency }, request) {
      await concurrency.deleteProvisioned(...provisionedTarget(request));
      return { status: 204 };
    },
  },
  {
    name: 'PublishVersion',
    method: 'POST',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/versions/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(publishVersionBody, request.body, 'PublishVersion');
      const name = unqualifiedName(request);
      let codeSha256 = '';
      if (body.CodeSha256 !== undefined) {
        // The precondition is Lambda's CodeSha256 (the zip's); the versions layer compares the bundle's, which
        // $LATEST's zip stands for.
        const { fn } = await catalog.get(name);
        const current = lambdaCodeSha256(fn);
        if (body.CodeSha256 !== current) {
          throw new StratusError(
            'INVALID_ARGUMENT',
            `CodeSHA256 (${body.CodeSha256}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
          );
        }
        codeSha256 = fn.codeSha256;
      }
      const published = await serviceCall(() =>
        catalog.versions.publish({
          functionName: name,
          description: body.Description ?? '',
          codeSha256,
          revision: body.RevisionId === undefined ? 0 : Number(body.RevisionId),
        }),
      );
      return json(201, functionConfiguration(published));
    },
  },
  {
    name: 'ListVersionsByFunction',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/versions/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const name = unqualifiedName(request);
      const page = await catalog.versions.listVersions({ functionName: name, marker: request.query.get('Marker') ?? '', maxItems: maxItemsOf(request) }, await catalog.get(name));
      return json(200, { Versions: page.items.map(functionConfiguration), ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}) });
    },
  },
  {
    name: 'CreateAlias',
    method: 'POST',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/aliases/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(aliasBody, request.body, 'CreateAlias');
      const created = await catalog.versions.createAlias({
        functionName: unqualifiedName(request),
        name: body.Name,
        functionVersion: body.FunctionVersion,
        description: body.Description ?? '',
        additionalVersionWeights: body.RoutingConfig?.AdditionalVersionWeights ?? {},
      });
      return json(201, aliasConfiguration(created));
    },
  },
  {
    name: 'ListAliases',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/aliases/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const page = await catalog.versions.listAliases({
        functionName: unqualifiedName(request),
        functionVersion: request.query.get('FunctionVersion') ?? '',
        marker: request.query.get('Marker') ?? '',
        maxItems: maxItemsOf(request),
      });
      return json(200, { Aliases: page.items.map(aliasConfiguration), ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}) });
    },
  },
  {
    name: 'GetAlias',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/aliases/([^/]+)/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      return json(200, aliasConfiguration(await catalog.versions.getAlias(unqualifiedName(request), request.subName)));
    },
  },
  {
    name: 'UpdateAlias',
    method: 'PUT',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/aliases/([^/]+)/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(updateAliasBody, request.body, 'UpdateAlias');
      const updated = await catalog.versions.updateAlias({
        functionName: unqualifiedName(request),
        name: request.subName,
        ...(body.FunctionVersion !== undefined ? { functionVersion: body.FunctionVersion } : {}),
        ...(body.Description !== undefined ? { description: body.Description } : {}),
        ...(body.RoutingConfig !== undefined ? { additionalVersionWeights: body.RoutingConfig.AdditionalVersionWeights ?? {} } : {}),
        ...(body.RevisionId !== undefined ? { revisionId: body.RevisionId } : {}),
      });
      return json(200, aliasConfiguration(updated));
    },
  },
  {
    name: 'DeleteAlias',
    method: 'DELETE',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/aliases/([^/]+)/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      await catalog.deleteAlias(unqualifiedName(request), request.subName);
      return { status: 204 };
    },
  },
  {
    name: 'ListTags',
    method: 'GET',
    path: new RegExp(`^/2017-03-31/tags/${FUNCTION}/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { fn } = await catalog.get(taggedFunction(request));
      return json(200, { Tags: { ...fn.tags } });
    },
  },
  {
    name: 'TagResource',
    method: 'POST',
    path: new RegExp(`^/2017-03-31/tags/${FUNCTION}/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(tagResourceBody, request.body, 'TagResource');
      const name = taggedFunction(request);
      await serviceCall(() => catalog.update({ name, settings: { tags: body.Tags }, replaceEnvironment: false, zip: undefined }));
      return { status: 204 };
    },
  },
  {
    name: 'UntagResource',
    method: 'DELETE',
    path: new RegExp(`^/2017-03-31/tags/${FUNCTION}/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    repeatableQuery: ['tagKeys'],
    async run({ catalog }, request) {
      const keys = request.queryLists.get('tagKeys') ?? [];
      if (keys.length === 0) throw new StratusError('INVALID_ARGUMENT', 'tagKeys: name at least one tag key to remove');
      if (keys.length > TAGS_MAX) throw new StratusError('INVALID_ARGUMENT', `tagKeys: ${keys.length} keys; at most ${TAGS_MAX} at once`);
      const name = taggedFunction(request);
      const { fn } = await catalog.get(name);
      const remove = new Set(keys);
      const kept = Object.fromEntries(Object.entries(fn.tags).filter(([key]) => !remove.has(key)));
      await serviceCall(() => catalog.update({ name, settings: { tags: kept }, replaceEnvironment: false, replaceTags: true, zip: undefined }));
      return { status: 204 };
    },
  },
  {
    name: 'GetAccountSettings',
    method: 'GET',
    path: /^\/2016-08-19\/account-settings\/?$/,
    scope: 'read',
    maxBodyBytes: 0,
    async run({ concurrency, catalog }) {
      const account = concurrency.account();
      const functions = await catalog.list();
      const totalCodeSize = functions.reduce((sum, f) => sum + (f.fn.packageSize ?? f.fn.codeSize), 0);
      return json(200, {
        AccountLimit: {
          // Lambda's default quota; Stratus keeps code in JetStream and sets none of its own.
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: LIMITS.unzippedCodeMaxBytes,
          CodeSizeZipped: LIMITS.zipMaxBytes,
          ConcurrentExecutions: account.concurrentExecutionsLimit,
          UnreservedConcurrentExecutions: account.unreservedConcurrentExecutions,
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
      });
    },
  },
];

/**
 * The function a tag operation names: Lambda's tag routes take the function's ARN (tags belong to the function,
 * not to a version or alias, so a qualified ARN is refused); a plain name is accepted too.
 */
function taggedFunction(request: OperationRequest): string {
  const { name, qualifier } = splitQualifier(request.functionName, '');
  if (qualifier !== '') throw new StratusError('INVALID_ARGUMENT', `Resource: tags belong to the function; ${JSON.stringify(request.functionName)} names a version or alias`);
  return name;
}

/**
 * ListProvisionedConcurrencyConfigs (`?List=ALL`): the function's versions and aliases with provisioned concurrency
 * ($LATEST too, which Stratus allows), in that order, paged by the last qualifier given.
 */
async function listProvisionedConcurrencyConfigs({ catalog, concurrency }: LambdaApiServices, request: OperationRequest): Promise<OperationResponse> {
  const list = request.query.get('List');
  if (list !== 'ALL') throw new StratusError('INVALID_ARGUMENT', `List: must be ALL, not ${JSON.stringify((list ?? '').slice(0, 40))}`);
  const maxText = request.query.get('MaxItems');
  const maxItems = maxText === undefined ? PROVISIONED_LIST_MAX_ITEMS : Number(maxText);
  if (maxText !== undefined && (!/^\d{1,2}$/.test(maxText) || maxItems < 1 || maxItems > PROVISIONED_LIST_MAX_ITEMS)) {
    throw new StratusError('INVALID_ARGUMENT', `MaxItems: must be a whole number from 1 to ${PROVISIONED_LIST_MAX_ITEMS}`);
  }
  const name = unqualifiedName(request);
  const latest = await catalog.get(name);
  const qualifiers: string[] = latest.fn.provisionedConcurrency !== undefined ? [LATEST_VERSION] : [];
  for (let marker = ''; ; ) {
    const page = await catalog.versions.listVersions({ functionName: name, marker, maxItems: LIST_PAGE_MAX }, latest);
    for (const { fn } of page.items) if (fn.version !== LATEST_VERSION && fn.provisionedConcurrency !== undefined) qualifiers.push(fn.version);
    if (page.nextMarker === undefined) break;
    marker = page.nextMarker;
  }
  for (let marker = ''; ; ) {
    const page = await catalog.versions.listAliases({ functionName: name, functionVersion: '', marker, maxItems: LIST_PAGE_MAX });
    for (const { alias } of page.items) if (alias.provisionedConcurrency !== undefined) qualifiers.push(alias.name);
    if (page.nextMarker === undefined) break;
    marker = page.nextMarker;
  }
  const marker = request.query.get('Marker');
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const after = qualifiers.indexOf(decodeBase64(marker, 'Marker').toString('utf8'));
    if (after < 0) throw new StratusError('INVALID_ARGUMENT', 'Marker: not a marker this list gave, or its entry is gone; list again from the start');
    start = after + 1;
  }
  const page = qualifiers.slice(start, start + maxItems);
  const configs = [];
  for (const qualifier of page) {
    const config = await concurrency.getProvisioned(latest.fn.name, qualifier === LATEST_VERSION ? '' : qualifier);
    configs.push({ FunctionArn: qualifiedFunctionArn(latest.fn.name, qualifier, ARN_REGION), ...provisionedConfig(config) });
  }
  const last = page.at(-1);
  return json(200, {
    ProvisionedConcurrencyConfigs: configs,
    ...(start + maxItems < qualifiers.length && last !== undefined ? { NextMarker: Buffer.from(last, 'utf8').toString('base64') } : {}),
  });
}

/** Publishes $LATEST as a version (CreateFunction and UpdateFunctionCode with Publish: true). */
async function publishLatest(catalog: FunctionCatalog, functionName: string): Promise<VersionedFunction> {
  return serviceCall(() => catalog.versions.publish({ functionName, description: '', codeSha256: '', revision: 0 }));
}

function maxItemsOf(request: OperationRequest): number {
  const text = request.query.get('MaxItems');
  if (text === undefined) return 0;
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < 1 || value > LIST_MAX_ITEMS) throw new StratusError('INVALID_ARGUMENT', `MaxItems: must be a whole number from 1 to ${LIST_MAX_ITEMS}`);
  return value;
}

/** Lambda's RevisionId check: refuse an update made against a configuration that has changed since. */
async function checkRevision(catalog: FunctionCatalog, name: string, revisionId: string | undefined): Promise<void> {
  if (revisionId === undefined) return;
  const current = await catalog.get(name);
  if (String(current.revision) !== revisionId) {
    throw new StratusError('CONFLICT', `The Revision Id provided does not match the latest Revision Id (${current.revision}). Call GetFunction/GetAlias to get the latest Revision Id`, {
      details: { lambdaName: 'PreconditionFailedException', httpStatus: '412' },
    });
  }
}
