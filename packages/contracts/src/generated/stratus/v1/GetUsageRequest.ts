// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type { Long } from '@grpc/proto-loader';

export interface GetUsageRequest {
  /**
   * Empty means every function.
   */
  'functionName'?: (string);
  /**
   * Inclusive start and exclusive end, milliseconds since the epoch. 0 means unbounded.
   */
  'startTimeMs'?: (number | string | Long);
  'endTimeMs'?: (number | string | Long);
}

export interface GetUsageRequest__Output {
  /**
   * Empty means every function.
   */
  'functionName': (string);
  /**
   * Inclusive start and exclusive end, milliseconds since the epoch. 0 means unbounded.
   */
  'startTimeMs': (number);
  'endTimeMs': (number);
}
