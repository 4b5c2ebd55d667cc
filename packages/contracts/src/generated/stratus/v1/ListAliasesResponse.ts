// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { AliasConfiguration as _stratus_v1_AliasConfiguration, AliasConfiguration__Output as _stratus_v1_AliasConfiguration__Output } from '../../stratus/v1/AliasConfiguration.js';

export interface ListAliasesResponse {
  'aliases'?: (_stratus_v1_AliasConfiguration)[];
  'nextMarker'?: (string);
}

export interface ListAliasesResponse__Output {
  'aliases': (_stratus_v1_AliasConfiguration__Output)[];
  'nextMarker': (string);
}
