// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/triggers.proto

import type { Trigger as _stratus_v1_Trigger, Trigger__Output as _stratus_v1_Trigger__Output } from '../../stratus/v1/Trigger.js';

export interface ListTriggersResponse {
  'triggers'?: (_stratus_v1_Trigger)[];
}

export interface ListTriggersResponse__Output {
  'triggers': (_stratus_v1_Trigger__Output)[];
}
