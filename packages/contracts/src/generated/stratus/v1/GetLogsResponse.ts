// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type { LogEvent as _stratus_v1_LogEvent, LogEvent__Output as _stratus_v1_LogEvent__Output } from '../../stratus/v1/LogEvent.js';

export interface GetLogsResponse {
  /**
   * Oldest first.
   */
  'events'?: (_stratus_v1_LogEvent)[];
}

export interface GetLogsResponse__Output {
  /**
   * Oldest first.
   */
  'events': (_stratus_v1_LogEvent__Output)[];
}
