// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type { InvocationLogEvent as _stratus_v1_InvocationLogEvent, InvocationLogEvent__Output as _stratus_v1_InvocationLogEvent__Output } from '../../stratus/v1/InvocationLogEvent.js';
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
   * The invocation's whole log text, lines ending in "\n"; empty when the
   * request asked for events_only.
   */
  'message'?: (string);
  /**
   * Only when the request asked for events_only (else empty): the same log
   * as its events, in order, as CloudWatch keeps them: each console call is
   * one event even when its message has newlines, and each platform line
   * (INIT_START, START, END, REPORT, ...) and each line written to stdout is
   * one. Logs stored before events were kept read as one event per line.
   */
  'events'?: (_stratus_v1_InvocationLogEvent)[];
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
   * The invocation's whole log text, lines ending in "\n"; empty when the
   * request asked for events_only.
   */
  'message': (string);
  /**
   * Only when the request asked for events_only (else empty): the same log
   * as its events, in order, as CloudWatch keeps them: each console call is
   * one event even when its message has newlines, and each platform line
   * (INIT_START, START, END, REPORT, ...) and each line written to stdout is
   * one. Logs stored before events were kept read as one event per line.
   */
  'events': (_stratus_v1_InvocationLogEvent__Output)[];
}
