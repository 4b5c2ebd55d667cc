// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto

import type { EventSourceMappingDestinationConfig as _stratus_v1_EventSourceMappingDestinationConfig, EventSourceMappingDestinationConfig__Output as _stratus_v1_EventSourceMappingDestinationConfig__Output } from '../../stratus/v1/EventSourceMappingDestinationConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface CreateEventSourceMappingRequest {
  /**
   * A function name, name:qualifier or ARN.
   */
  'functionName'?: (string);
  /**
   * "nats:SUBJECT" or "jetstream:SUBJECT" (or the ARN a mapping reports); SUBJECT may use "*" and a final ">".
   */
  'eventSourceArn'?: (string);
  /**
   * 1 to 10000; 0: the default, 10.
   */
  'batchSize'?: (number);
  /**
   * 0 to 300.
   */
  'maximumBatchingWindowInSeconds'?: (number);
  /**
   * jetstream: sources: LATEST (default), TRIM_HORIZON or AT_TIMESTAMP.
   */
  'startingPosition'?: (string);
  /**
   * With AT_TIMESTAMP: milliseconds since the epoch.
   */
  'startingPositionTimestampMs'?: (number | string | Long);
  /**
   * Default true.
   */
  'enabled'?: (boolean);
  /**
   * Empty, or ["ReportBatchItemFailures"].
   */
  'functionResponseTypes'?: (string)[];
  /**
   * -1 (retry until the message leaves the stream, the default) to 10000.
   */
  'maximumRetryAttempts'?: (number);
  'destinationConfig'?: (_stratus_v1_EventSourceMappingDestinationConfig | null);
  '_enabled'?: "enabled";
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
}

export interface CreateEventSourceMappingRequest__Output {
  /**
   * A function name, name:qualifier or ARN.
   */
  'functionName': (string);
  /**
   * "nats:SUBJECT" or "jetstream:SUBJECT" (or the ARN a mapping reports); SUBJECT may use "*" and a final ">".
   */
  'eventSourceArn': (string);
  /**
   * 1 to 10000; 0: the default, 10.
   */
  'batchSize': (number);
  /**
   * 0 to 300.
   */
  'maximumBatchingWindowInSeconds': (number);
  /**
   * jetstream: sources: LATEST (default), TRIM_HORIZON or AT_TIMESTAMP.
   */
  'startingPosition': (string);
  /**
   * With AT_TIMESTAMP: milliseconds since the epoch.
   */
  'startingPositionTimestampMs': (number);
  /**
   * Default true.
   */
  'enabled'?: (boolean);
  /**
   * Empty, or ["ReportBatchItemFailures"].
   */
  'functionResponseTypes': (string)[];
  /**
   * -1 (retry until the message leaves the stream, the default) to 10000.
   */
  'maximumRetryAttempts'?: (number);
  'destinationConfig': (_stratus_v1_EventSourceMappingDestinationConfig__Output | null);
  '_enabled'?: "enabled";
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
}
