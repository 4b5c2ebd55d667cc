// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { AliasRoutingConfiguration as _stratus_v1_AliasRoutingConfiguration, AliasRoutingConfiguration__Output as _stratus_v1_AliasRoutingConfiguration__Output } from '../../stratus/v1/AliasRoutingConfiguration.js';

export interface CreateAliasRequest {
  'functionName'?: (string);
  /**
   * Letters, digits, "-" and "_", not all digits; at most 128.
   */
  'name'?: (string);
  'functionVersion'?: (string);
  'description'?: (string);
  'routingConfig'?: (_stratus_v1_AliasRoutingConfiguration | null);
}

export interface CreateAliasRequest__Output {
  'functionName': (string);
  /**
   * Letters, digits, "-" and "_", not all digits; at most 128.
   */
  'name': (string);
  'functionVersion': (string);
  'description': (string);
  'routingConfig': (_stratus_v1_AliasRoutingConfiguration__Output | null);
}
