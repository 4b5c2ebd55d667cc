// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto

import type { EventSourceMappingDestinationConfig as _stratus_v1_EventSourceMappingDestinationConfig, EventSourceMappingDestinationConfig__Output as _stratus_v1_EventSourceMappingDestinationConfig__Output } from '../../stratus/v1/EventSourceMappingDestinationConfig.js';

export interface UpdateEventSourceMappingRequest {
  'uuid'?: (string);
  /**
   * Another function (name, name:qualifier or ARN); empty: unchanged.
   */
  'functionName'?: (string);
  'batchSize'?: (number);
  'maximumBatchingWindowInSeconds'?: (number);
  'enabled'?: (boolean);
  /**
   * Replaces the list when replace_function_response_types is set.
   */
  'functionResponseTypes'?: (string)[];
  'replaceFunctionResponseTypes'?: (boolean);
  'maximumRetryAttempts'?: (number);
  /**
   * Absent: unchanged; an empty on_failure removes it.
   */
  'destinationConfig'?: (_stratus_v1_EventSourceMappingDestinationConfig | null);
  '_batchSize'?: "batchSize";
  '_maximumBatchingWindowInSeconds'?: "maximumBatchingWindowInSeconds";
  '_enabled'?: "enabled";
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
}

export interface UpdateEventSourceMappingRequest__Output {
  'uuid': (string);
  /**
   * Another function (name, name:qualifier or ARN); empty: unchanged.
   */
  'functionName': (string);
  'batchSize'?: (number);
  'maximumBatchingWindowInSeconds'?: (number);
  'enabled'?: (boolean);
  /**
   * Replaces the list when replace_function_response_types is set.
   */
  'functionResponseTypes': (string)[];
  'replaceFunctionResponseTypes': (boolean);
  'maximumRetryAttempts'?: (number);
  /**
   * Absent: unchanged; an empty on_failure removes it.
   */
  'destinationConfig': (_stratus_v1_EventSourceMappingDestinationConfig__Output | null);
  '_batchSize'?: "batchSize";
  '_maximumBatchingWindowInSeconds'?: "maximumBatchingWindowInSeconds";
  '_enabled'?: "enabled";
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
}
