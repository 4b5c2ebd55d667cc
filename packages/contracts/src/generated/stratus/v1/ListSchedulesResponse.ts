// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto

import type { Schedule as _stratus_v1_Schedule, Schedule__Output as _stratus_v1_Schedule__Output } from '../../stratus/v1/Schedule.js';

export interface ListSchedulesResponse {
  'schedules'?: (_stratus_v1_Schedule)[];
  'nextToken'?: (string);
}

export interface ListSchedulesResponse__Output {
  'schedules': (_stratus_v1_Schedule__Output)[];
  'nextToken': (string);
}
