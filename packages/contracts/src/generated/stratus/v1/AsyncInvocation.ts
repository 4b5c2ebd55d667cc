// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type { Long } from '@grpc/proto-loader';

export interface AsyncInvocation {
  'requestId'?: (string);
  'functionName'?: (string);
  'qualifier'?: (string);
  /**
   * queued, running, retrying, succeeded, failed, expired, cancelled.
   */
  'state'?: (string);
  /**
   * Attempts started so far (an attempt cut off by a dying node or dispatcher counts).
   */
  'attempts'?: (number);
  /**
   * Milliseconds since the epoch; 0 when it has not happened.
   */
  'acceptedAtMs'?: (number | string | Long);
  'updatedAtMs'?: (number | string | Long);
  'startedAtMs'?: (number | string | Long);
  'finishedAtMs'?: (number | string | Long);
  /**
   * Why the last attempt failed (Lambda's errorType: errorMessage, or a platform error code), or why the event ended.
   */
  'lastError'?: (string);
  /**
   * How many async hops (destinations) led to this event; 0 for one a client sent.
   */
  'traceDepth'?: (number);
  /**
   * Whether it is in the dead-letter stream, waiting for a redrive.
   */
  'deadLettered'?: (boolean);
  /**
   * Why its on-success or on-failure destination did not get the invocation record, and where the record
   * is kept instead; '' when it was delivered or there is none.
   */
  'destinationError'?: (string);
}

export interface AsyncInvocation__Output {
  'requestId': (string);
  'functionName': (string);
  'qualifier': (string);
  /**
   * queued, running, retrying, succeeded, failed, expired, cancelled.
   */
  'state': (string);
  /**
   * Attempts started so far (an attempt cut off by a dying node or dispatcher counts).
   */
  'attempts': (number);
  /**
   * Milliseconds since the epoch; 0 when it has not happened.
   */
  'acceptedAtMs': (number);
  'updatedAtMs': (number);
  'startedAtMs': (number);
  'finishedAtMs': (number);
  /**
   * Why the last attempt failed (Lambda's errorType: errorMessage, or a platform error code), or why the event ended.
   */
  'lastError': (string);
  /**
   * How many async hops (destinations) led to this event; 0 for one a client sent.
   */
  'traceDepth': (number);
  /**
   * Whether it is in the dead-letter stream, waiting for a redrive.
   */
  'deadLettered': (boolean);
  /**
   * Why its on-success or on-failure destination did not get the invocation record, and where the record
   * is kept instead; '' when it was delivered or there is none.
   */
  'destinationError': (string);
}
