// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One invocation's log.
 */
export interface LogEvent {
  'requestId'?: (string);
  'functionName'?: (string);
  'version'?: (string);
  'nodeId'?: (string);
  /**
   * When the invocation started, milliseconds since the epoch.
   */
  'timestampMs'?: (number | string | Long);
  /**
   * The invocation's whole log text, lines ending in "\n".
   */
  'message'?: (string);
}

/**
 * One invocation's log.
 */
export interface LogEvent__Output {
  'requestId': (string);
  'functionName': (string);
  'version': (string);
  'nodeId': (string);
  /**
   * When the invocation started, milliseconds since the epoch.
   */
  'timestampMs': (number);
  /**
   * The invocation's whole log text, lines ending in "\n".
   */
  'message': (string);
}
