// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto

import type { ApiKey as _stratus_v1_ApiKey, ApiKey__Output as _stratus_v1_ApiKey__Output } from '../../stratus/v1/ApiKey.js';

export interface ListKeysResponse {
  'keys'?: (_stratus_v1_ApiKey)[];
}

export interface ListKeysResponse__Output {
  'keys': (_stratus_v1_ApiKey__Output)[];
}
