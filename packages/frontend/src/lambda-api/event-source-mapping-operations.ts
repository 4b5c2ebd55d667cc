import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { FUNCTION_RESPONSE_TYPES, STARTING_POSITIONS } from '@stratus/contracts';
import type { EventSourceMappingConfigurationMessage } from '@stratus/contracts/grpc';
import type { Operation, OperationRequest, OperationResponse } from './operations.js';
import { parseBody } from './shapes.js';

const SMALL_BODY_BYTES = 64 * 1024;
/** The mapping's UUID, in the path where other operations have a function name. */
const UUID = '([^/]+)';
const LIST_MAX_ITEMS = 10_000;
/** Lambda's limits on the strings it takes here. */
const FUNCTION_NAME_MAX_CHARS = 140;
const SOURCE_ARN_MAX_CHARS = 1024;
const DESTINATION_MAX_CHARS = 350;

const whole = (field: string) => z.number({ error: `${field} must be a number` }).int('must be a whole number');

const destinationConfig = z
  .object({
    OnFailure: z.object({ Destination: z.string().max(DESTINATION_MAX_CHARS, `must be at most ${DESTINATION_MAX_CHARS} characters`).optional() }).strict().optional(),
    OnSuccess: z.unknown().optional(),
  })
  .strict()
  .refine((config) => config.OnSuccess === undefined, { message: 'OnSuccess: event source mappings have on-failure destinations only, as Lambda\'s stream and queue sources' });

/** Settings CreateEventSourceMapping and UpdateEventSourceMapping share, with Lambda's field names. */
const settingsFields = {
  BatchSize: whole('BatchSize').optional(),
  MaximumBatchingWindowInSeconds: whole('MaximumBatchingWindowInSeconds').optional(),
  Enabled: z.boolean().optional(),
  FunctionResponseTypes: z.array(z.enum(FUNCTION_RESPONSE_TYPES, { error: `must be ${FUNCTION_RESPONSE_TYPES.join(' or ')}` })).max(1, 'takes one value at most').optional(),
  MaximumRetryAttempts: whole('MaximumRetryAttempts').optional(),
  DestinationConfig: destinationConfig.optional(),
};

/**
 * Lambda's CreateEventSourceMapping body. Fields for sources Stratus does
 * not have (Kafka, MQ, DocumentDB, filters, scaling, tumbling windows, …) are
 * refused naming the field, rather than accepted and ignored.
 */
const createBody = z
  .object({
    FunctionName: z.string().min(1, 'is required').max(FUNCTION_NAME_MAX_CHARS, `must be at most ${FUNCTION_NAME_MAX_CHARS} characters`),
    EventSourceArn: z.string({ error: 'is required: nats:SUBJECT or jetstream:SUBJECT (or the ARN a mapping reports)' }).max(SOURCE_ARN_MAX_CHARS, `must be at most ${SOURCE_ARN_MAX_CHARS} characters`),
    StartingPosition: z.enum(STARTING_POSITIONS, { error: `must be one of ${STARTING_POSITIONS.join(', ')}` }).optional(),
    /** Seconds since the epoch, as Lambda's timestamps (fractions allowed). */
    StartingPositionTimestamp: z.number().positive('must be a time in seconds since the epoch').optional(),
    ...settingsFields,
  })
  .strict();

const updateBody = z
  .object({
    FunctionName: z.string().min(1, 'must not be empty').max(FUNCTION_NAME_MAX_CHARS, `must be at most ${FUNCTION_NAME_MAX_CHARS} characters`).optional(),
    ...settingsFields,
  })
  .strict();

/** The mapping layer names its fields as the gRPC API does; a REST client sent Lambda's. */
const FIELD_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^eventSourceArn\b/, 'EventSourceArn'],
  [/^batchSize\b/, 'BatchSize'],
  [/^maximumBatchingWindowInSeconds\b/, 'MaximumBatchingWindowInSeconds'],
  [/^maximumRetryAttempts\b/, 'MaximumRetryAttempts'],
  [/^destinationConfig\.onFailure\b/, 'DestinationConfig.OnFailure.Destination'],
  [/^startingPositionTimestampMs\b/, 'StartingPositionTimestamp'],
  [/^startingPosition\b/, 'StartingPosition'],
  [/^functionResponseTypes\b/, 'FunctionResponseTypes'],
  [/^uuid\b/, 'UUID'],
];

function lambdaFieldNames(err: unknown): never {
  if (err instanceof StratusError && err.code === 'INVALID_ARGUMENT') {
    let message = err.message;
    for (const [pattern, name] of FIELD_NAMES) message = message.replace(pattern, name);
    throw new StratusError(err.code, message, { details: err.details, cause: err });
  }
  throw err;
}

/** Lambda's EventSourceMappingConfiguration: LastModified in epoch seconds, optional fields only when they apply. */
export function eventSourceMappingShape(mapping: EventSourceMappingConfigurationMessage): Record<string, unknown> {
  const lastModifiedMs = Date.parse(mapping.lastModified);
  const onFailure = mapping.destinationConfig?.onFailure ?? '';
  return {
    UUID: mapping.uuid,
    ...(mapping.startingPosition !== '' ? { StartingPosition: mapping.startingPosition } : {}),
    ...(mapping.startingPositionTimestampMs !== 0 ? { StartingPositionTimestamp: mapping.startingPositionTimestampMs / 1000 } : {}),
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: mapping.functionArn,
    LastModified: Number.isNaN(lastModifiedMs) ? 0 : lastModifiedMs / 1000,
    LastProcessingResult: mapping.lastProcessingResult,
    State: mapping.state,
    StateTransitionReason: mapping.stateTransitionReason,
    DestinationConfig: { OnFailure: onFailure === '' ? {} : { Destination: onFailure } },
    MaximumRetryAttempts: mapping.maximumRetryAttempts,
    FunctionResponseTypes: mapping.functionResponseTypes,
  };
}

function uuidOf(request: OperationRequest): string {
  return request.functionName;
}

function maxItemsOf(request: OperationRequest): number {
  const text = request.query.get('MaxItems');
  if (text === undefined) return 0;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > LIST_MAX_ITEMS) throw new StratusError('INVALID_ARGUMENT', `MaxItems: must be a whole number from 1 to ${LIST_MAX_ITEMS}; got ${JSON.stringify(text.slice(0, 20))}`);
  return value;
}

const answer = (status: number, mapping: EventSourceMappingConfigurationMessage): OperationResponse => ({ status, body: eventSourceMappingShape(mapping) });

/**
 * Lambda's event-source-mapping routes (`/2015-03-31/event-source-mappings/[UUID]`),
 * each the `EventSourceMappings` method of the same name, with Lambda's
 * status codes (202 for create, update and delete) and field names.
 */
export const EVENT_SOURCE_MAPPING_OPERATIONS: readonly Operation[] = [
  {
    name: 'CreateEventSourceMapping',
    method: 'POST',
    path: /^\/2015-03-31\/event-source-mappings\/?$/,
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ mappings }, request) {
      const body = parseBody(createBody, request.body, 'CreateEventSourceMapping');
      const created = await mappings
        .create({
          functionName: body.FunctionName,
          eventSourceArn: body.EventSourceArn,
          batchSize: body.BatchSize ?? 0,
          maximumBatchingWindowInSeconds: body.MaximumBatchingWindowInSeconds ?? 0,
          startingPosition: body.StartingPosition ?? '',
          startingPositionTimestampMs: body.StartingPositionTimestamp === undefined ? 0 : Math.round(body.StartingPositionTimestamp * 1000),
          ...(body.Enabled !== undefined ? { enabled: body.Enabled } : {}),
          functionResponseTypes: body.FunctionResponseTypes ?? [],
          ...(body.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: body.MaximumRetryAttempts } : {}),
          destinationConfig: { onFailure: body.DestinationConfig?.OnFailure?.Destination ?? '' },
        })
        .catch(lambdaFieldNames);
      return answer(202, created);
    },
  },
  {
    name: 'ListEventSourceMappings',
    method: 'GET',
    path: /^\/2015-03-31\/event-source-mappings\/?$/,
    scope: 'read',
    maxBodyBytes: 0,
    async run({ mappings }, request) {
      const listed = await mappings
        .list({
          functionName: request.query.get('FunctionName') ?? '',
          eventSourceArn: request.query.get('EventSourceArn') ?? '',
          marker: request.query.get('Marker') ?? '',
          maxItems: maxItemsOf(request),
        })
        .catch(lambdaFieldNames);
      return {
        status: 200,
        body: { EventSourceMappings: listed.eventSourceMappings.map(eventSourceMappingShape), ...(listed.nextMarker !== '' ? { NextMarker: listed.nextMarker } : {}) },
      };
    },
  },
  {
    name: 'GetEventSourceMapping',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/event-source-mappings/${UUID}/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ mappings }, request) {
      return answer(200, await mappings.get(uuidOf(request)).catch(lambdaFieldNames));
    },
  },
  {
    name: 'UpdateEventSourceMapping',
    method: 'PUT',
    path: new RegExp(`^/2015-03-31/event-source-mappings/${UUID}/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ mappings }, request) {
      const body = parseBody(updateBody, request.body, 'UpdateEventSourceMapping');
      const updated = await mappings
        .update({
          uuid: uuidOf(request),
          functionName: body.FunctionName ?? '',
          ...(body.BatchSize !== undefined ? { batchSize: body.BatchSize } : {}),
          ...(body.MaximumBatchingWindowInSeconds !== undefined ? { maximumBatchingWindowInSeconds: body.MaximumBatchingWindowInSeconds } : {}),
          ...(body.Enabled !== undefined ? { enabled: body.Enabled } : {}),
          functionResponseTypes: body.FunctionResponseTypes ?? [],
          replaceFunctionResponseTypes: body.FunctionResponseTypes !== undefined,
          ...(body.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: body.MaximumRetryAttempts } : {}),
          destinationConfig: body.DestinationConfig === undefined ? null : { onFailure: body.DestinationConfig.OnFailure?.Destination ?? '' },
        })
        .catch(lambdaFieldNames);
      return answer(202, updated);
    },
  },
  {
    name: 'DeleteEventSourceMapping',
    method: 'DELETE',
    path: new RegExp(`^/2015-03-31/event-source-mappings/${UUID}/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ mappings }, request) {
      return answer(202, await mappings.delete(uuidOf(request)).catch(lambdaFieldNames));
    },
  },
];

