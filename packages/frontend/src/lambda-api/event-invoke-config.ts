import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { ASYNC_LIMITS } from '@stratus/contracts';
import type { FunctionEventInvokeConfigMessage, PutFunctionEventInvokeConfigRequestMessage } from '@stratus/contracts/grpc';
import { splitQualifier } from '../invoke.js';
import type { Operation, OperationRequest, OperationResponse } from './operations.js';
import { decodeBase64, parseBody } from './shapes.js';

const SMALL_BODY_BYTES = 64 * 1024;
const FUNCTION = '([^/]+)';
const LIST_MAX_ITEMS = 50;
/** Lambda's Destination is an ARN of at most 350 characters; Stratus's nats:/jetstream: forms fit too. */
const DESTINATION_MAX_CHARS = 350;

const destinationTarget = z.object({ Destination: z.string().max(DESTINATION_MAX_CHARS, `must be at most ${DESTINATION_MAX_CHARS} characters`).optional() }).strict();

/** Put/UpdateFunctionEventInvokeConfig's body, with Lambda's field names and ranges. */
const eventInvokeConfigBody = z
  .object({
    MaximumRetryAttempts: z
      .number()
      .int('must be a whole number')
      .min(ASYNC_LIMITS.retryAttemptsMin, `must be from ${ASYNC_LIMITS.retryAttemptsMin} to ${ASYNC_LIMITS.retryAttemptsMax}`)
      .max(ASYNC_LIMITS.retryAttemptsMax, `must be from ${ASYNC_LIMITS.retryAttemptsMin} to ${ASYNC_LIMITS.retryAttemptsMax}`)
      .optional(),
    MaximumEventAgeInSeconds: z
      .number()
      .int('must be a whole number')
      .min(ASYNC_LIMITS.eventAgeMinSec, `must be from ${ASYNC_LIMITS.eventAgeMinSec} to ${ASYNC_LIMITS.eventAgeMaxSec}`)
      .max(ASYNC_LIMITS.eventAgeMaxSec, `must be from ${ASYNC_LIMITS.eventAgeMinSec} to ${ASYNC_LIMITS.eventAgeMaxSec}`)
      .optional(),
    DestinationConfig: z.object({ OnSuccess: destinationTarget.optional(), OnFailure: destinationTarget.optional() }).strict().optional(),
  })
  .strict();

/** The async layer names its fields in camel case; a client of the REST API sent Lambda's. */
const FIELD_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bmaximumRetryAttempts\b/g, 'MaximumRetryAttempts'],
  [/\bmaximumEventAgeInSeconds\b/g, 'MaximumEventAgeInSeconds'],
  [/\bonSuccess\b/g, 'DestinationConfig.OnSuccess.Destination'],
  [/\bonFailure\b/g, 'DestinationConfig.OnFailure.Destination'],
  [/\bqualifier\b/g, 'Qualifier'],
];

function lambdaFieldNames(err: unknown): never {
  if (err instanceof StratusError && err.code === 'INVALID_ARGUMENT') {
    let message = err.message.replace(/^event invoke configuration: /, '');
    for (const [pattern, name] of FIELD_NAMES) message = message.replace(pattern, name);
    throw new StratusError(err.code, message, { details: err.details, cause: err });
  }
  throw err;
}

/** The function and qualifier the path, an ARN, `name:qualifier` or `?Qualifier=` name. */
function target(request: OperationRequest): { functionName: string; qualifier: string } {
  const { name, qualifier } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
  return { functionName: name, qualifier };
}

/** Lambda's `FunctionEventInvokeConfig`: LastModified is a timestamp (epoch seconds), destinations only when set. */
export function eventInvokeConfigShape(config: FunctionEventInvokeConfigMessage): Record<string, unknown> {
  const lastModifiedMs = Date.parse(config.lastModified);
  const destination = (d: { destination: string } | null): Record<string, unknown> => (d === null || d.destination === '' ? {} : { Destination: d.destination });
  return {
    LastModified: Number.isNaN(lastModifiedMs) ? 0 : lastModifiedMs / 1000,
    FunctionArn: config.functionArn,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: destination(config.destinationConfig?.onSuccess ?? null),
      OnFailure: destination(config.destinationConfig?.onFailure ?? null),
    },
  };
}

function putRequest(request: OperationRequest, operation: string): PutFunctionEventInvokeConfigRequestMessage {
  const body = parseBody(eventInvokeConfigBody, request.body, operation);
  const { functionName, qualifier } = target(request);
  const targetOf = (t: { Destination?: string | undefined } | undefined) => (t === undefined ? null : { destination: t.Destination ?? '' });
  return {
    functionName,
    qualifier,
    ...(body.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: body.MaximumRetryAttempts } : {}),
    ...(body.MaximumEventAgeInSeconds !== undefined ? { maximumEventAgeInSeconds: body.MaximumEventAgeInSeconds } : {}),
    destinationConfig: body.DestinationConfig === undefined ? null : { onSuccess: targetOf(body.DestinationConfig.OnSuccess), onFailure: targetOf(body.DestinationConfig.OnFailure) },
  };
}

const ok = (body: Record<string, unknown>): OperationResponse => ({ status: 200, body });

/**
 * Lambda's event-invoke-config routes (`/2019-09-25/functions/{name}/event-invoke-config[/list]`),
 * each the `AsyncInvocations` method of the same name: Put replaces the
 * configuration, Update (POST) changes only the fields given. A `Qualifier`
 * (or `name:qualifier`) names an alias's or version's own configuration;
 * `/list` lists the function's and every alias's and version's.
 */
export const EVENT_INVOKE_CONFIG_OPERATIONS: readonly Operation[] = [
  {
    name: 'PutFunctionEventInvokeConfig',
    method: 'PUT',
    path: new RegExp(`^/2019-09-25/functions/${FUNCTION}/event-invoke-config/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ asyncApi }, request) {
      const put = putRequest(request, 'PutFunctionEventInvokeConfig');
      return ok(eventInvokeConfigShape(await asyncApi.putConfig(put, false).catch(lambdaFieldNames)));
    },
  },
  {
    name: 'UpdateFunctionEventInvokeConfig',
    method: 'POST',
    path: new RegExp(`^/2019-09-25/functions/${FUNCTION}/event-invoke-config/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ asyncApi }, request) {
      const update = putRequest(request, 'UpdateFunctionEventInvokeConfig');
      return ok(eventInvokeConfigShape(await asyncApi.putConfig(update, true).catch(lambdaFieldNames)));
    },
  },
  {
    name: 'GetFunctionEventInvokeConfig',
    method: 'GET',
    path: new RegExp(`^/2019-09-25/functions/${FUNCTION}/event-invoke-config/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ asyncApi }, request) {
      const { functionName, qualifier } = target(request);
      return ok(eventInvokeConfigShape(await asyncApi.getConfig(functionName, qualifier).catch(lambdaFieldNames)));
    },
  },
  {
    name: 'DeleteFunctionEventInvokeConfig',
    method: 'DELETE',
    path: new RegExp(`^/2019-09-25/functions/${FUNCTION}/event-invoke-config/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ asyncApi }, request) {
      const { functionName, qualifier } = target(request);
      await asyncApi.deleteConfig(functionName, qualifier).catch(lambdaFieldNames);
      return { status: 204 };
    },
  },
  {
    name: 'ListFunctionEventInvokeConfigs',
    method: 'GET',
    path: new RegExp(`^/2019-09-25/functions/${FUNCTION}/event-invoke-config/list/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ asyncApi }, request) {
      const { functionName, qualifier } = target(request);
      if (qualifier !== '') throw new StratusError('INVALID_ARGUMENT', 'ListFunctionEventInvokeConfigs: FunctionName: lists every qualifier of a function; name it without one');
      const maxText = request.query.get('MaxItems');
      if (maxText !== undefined && (!/^\d{1,2}$/.test(maxText) || Number(maxText) < 1 || Number(maxText) > LIST_MAX_ITEMS)) {
        throw new StratusError('INVALID_ARGUMENT', `MaxItems: must be a whole number from 1 to ${LIST_MAX_ITEMS}`);
      }
      const maxItems = maxText === undefined ? LIST_MAX_ITEMS : Number(maxText);
      const marker = request.query.get('Marker');
      // The marker is the position of the next configuration in the function's list (its own first).
      let from = 0;
      if (marker !== undefined && marker !== '') {
        const text = decodeBase64(marker, 'Marker').toString('utf8');
        if (!/^[0-9]{1,4}$/.test(text)) throw new StratusError('INVALID_ARGUMENT', 'Marker: must be a NextMarker an earlier ListFunctionEventInvokeConfigs returned');
        from = Number(text);
      }
      const listed = await asyncApi.listConfigs(functionName);
      const all = listed.functionEventInvokeConfigs;
      const page = all.slice(from, from + maxItems);
      const next = from + maxItems < all.length ? { NextMarker: Buffer.from(String(from + maxItems), 'utf8').toString('base64') } : {};
      return ok({ FunctionEventInvokeConfigs: page.map(eventInvokeConfigShape), ...next });
    },
  },
];
