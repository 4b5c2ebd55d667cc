// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type { Long } from '@grpc/proto-loader';

export interface GetLogsRequest {
  'functionName'?: (string);
  /**
   * Inclusive start and exclusive end of the invocations' start times,
   * milliseconds since the epoch. 0 means unbounded.
   */
  'startTimeMs'?: (number | string | Long);
  'endTimeMs'?: (number | string | Long);
  /**
   * At most this many invocations, the newest in the range. 0 means 100; at most 10000.
   */
  'limit'?: (number);
  /**
   * Only the invocation with this request id. Empty means every invocation.
   */
  'requestId'?: (string);
  /**
   * Leave each LogEvent's message empty and send its events only: the same
   * log in half the bytes (a response is at most 12 MiB).
   */
  'eventsOnly'?: (boolean);
}

export interface GetLogsRequest__Output {
  'functionName': (string);
  /**
   * Inclusive start and exclusive end of the invocations' start times,
   * milliseconds since the epoch. 0 means unbounded.
   */
  'startTimeMs': (number);
  'endTimeMs': (number);
  /**
   * At most this many invocations, the newest in the range. 0 means 100; at most 10000.
   */
  'limit': (number);
  /**
   * Only the invocation with this request id. Empty means every invocation.
   */
  'requestId': (string);
  /**
   * Leave each LogEvent's message empty and send its events only: the same
   * log in half the bytes (a response is at most 12 MiB).
   */
  'eventsOnly': (boolean);
}
