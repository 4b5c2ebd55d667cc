// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type { DestinationTarget as _stratus_v1_DestinationTarget, DestinationTarget__Output as _stratus_v1_DestinationTarget__Output } from '../../stratus/v1/DestinationTarget.js';

export interface DestinationConfig {
  'onSuccess'?: (_stratus_v1_DestinationTarget | null);
  'onFailure'?: (_stratus_v1_DestinationTarget | null);
}

export interface DestinationConfig__Output {
  'onSuccess': (_stratus_v1_DestinationTarget__Output | null);
  'onFailure': (_stratus_v1_DestinationTarget__Output | null);
}
