// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { AliasRoutingConfiguration as _stratus_v1_AliasRoutingConfiguration, AliasRoutingConfiguration__Output as _stratus_v1_AliasRoutingConfiguration__Output } from '../../stratus/v1/AliasRoutingConfiguration.js';

export interface UpdateAliasRequest {
  'functionName'?: (string);
  'name'?: (string);
  'functionVersion'?: (string);
  'description'?: (string);
  /**
   * Replaces the routing when set; an empty map removes it.
   */
  'routingConfig'?: (_stratus_v1_AliasRoutingConfiguration | null);
  /**
   * Update only if the alias is still at this revision_id; empty: any.
   */
  'revisionId'?: (string);
  '_functionVersion'?: "functionVersion";
  '_description'?: "description";
}

export interface UpdateAliasRequest__Output {
  'functionName': (string);
  'name': (string);
  'functionVersion'?: (string);
  'description'?: (string);
  /**
   * Replaces the routing when set; an empty map removes it.
   */
  'routingConfig': (_stratus_v1_AliasRoutingConfiguration__Output | null);
  /**
   * Update only if the alias is still at this revision_id; empty: any.
   */
  'revisionId': (string);
  '_functionVersion'?: "functionVersion";
  '_description'?: "description";
}
