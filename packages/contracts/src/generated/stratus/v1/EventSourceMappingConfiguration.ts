// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto

import type { EventSourceMappingDestinationConfig as _stratus_v1_EventSourceMappingDestinationConfig, EventSourceMappingDestinationConfig__Output as _stratus_v1_EventSourceMappingDestinationConfig__Output } from '../../stratus/v1/EventSourceMappingDestinationConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface EventSourceMappingConfiguration {
  'uuid'?: (string);
  'functionArn'?: (string);
  'eventSourceArn'?: (string);
  'batchSize'?: (number);
  'maximumBatchingWindowInSeconds'?: (number);
  'startingPosition'?: (string);
  'startingPositionTimestampMs'?: (number | string | Long);
  /**
   * Creating, Enabled, Disabled or Deleting.
   */
  'state'?: (string);
  'stateTransitionReason'?: (string);
  /**
   * ISO 8601.
   */
  'lastModified'?: (string);
  /**
   * "No records processed", "OK", or "PROBLEM: …" (the last batch this frontend, or another that reported it, ran).
   */
  'lastProcessingResult'?: (string);
  'functionResponseTypes'?: (string)[];
  'maximumRetryAttempts'?: (number);
  'destinationConfig'?: (_stratus_v1_EventSourceMappingDestinationConfig | null);
  /**
   * Messages not yet delivered to the function (jetstream: sources: the consumer's pending count); -1 when unknown.
   */
  'lag'?: (number | string | Long);
}

export interface EventSourceMappingConfiguration__Output {
  'uuid': (string);
  'functionArn': (string);
  'eventSourceArn': (string);
  'batchSize': (number);
  'maximumBatchingWindowInSeconds': (number);
  'startingPosition': (string);
  'startingPositionTimestampMs': (number);
  /**
   * Creating, Enabled, Disabled or Deleting.
   */
  'state': (string);
  'stateTransitionReason': (string);
  /**
   * ISO 8601.
   */
  'lastModified': (string);
  /**
   * "No records processed", "OK", or "PROBLEM: …" (the last batch this frontend, or another that reported it, ran).
   */
  'lastProcessingResult': (string);
  'functionResponseTypes': (string)[];
  'maximumRetryAttempts': (number);
  'destinationConfig': (_stratus_v1_EventSourceMappingDestinationConfig__Output | null);
  /**
   * Messages not yet delivered to the function (jetstream: sources: the consumer's pending count); -1 when unknown.
   */
  'lag': (number);
}
