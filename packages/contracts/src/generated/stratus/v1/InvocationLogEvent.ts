// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One event of an invocation's log.
 */
export interface InvocationLogEvent {
  /**
   * Milliseconds since the epoch: the event's own timestamp when it begins
   * with one (console lines, JSON records), else the one before it (the
   * invocation's start for its first lines).
   */
  'timestampMs'?: (number | string | Long);
  /**
   * The event's text without its final newline.
   */
  'message'?: (string);
}

/**
 * One event of an invocation's log.
 */
export interface InvocationLogEvent__Output {
  /**
   * Milliseconds since the epoch: the event's own timestamp when it begins
   * with one (console lines, JSON records), else the one before it (the
   * invocation's start for its first lines).
   */
  'timestampMs': (number);
  /**
   * The event's text without its final newline.
   */
  'message': (string);
}
