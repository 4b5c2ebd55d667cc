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
   * What each LogEvent carries: unset (the default, and all a client written
   * before events existed knows) its whole text in `message` and no
   * `events`; true its `events` and an empty `message`. Never both: the
   * events hold the same text (each event's message and "\n", in order), and
   * both would double a response, which is at most 12 MiB.
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
   * What each LogEvent carries: unset (the default, and all a client written
   * before events existed knows) its whole text in `message` and no
   * `events`; true its `events` and an empty `message`. Never both: the
   * events hold the same text (each event's message and "\n", in order), and
   * both would double a response, which is at most 12 MiB.
   */
  'eventsOnly': (boolean);
}
