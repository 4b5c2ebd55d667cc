// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { AliasRoutingConfiguration as _stratus_v1_AliasRoutingConfiguration, AliasRoutingConfiguration__Output as _stratus_v1_AliasRoutingConfiguration__Output } from '../../stratus/v1/AliasRoutingConfiguration.js';

export interface AliasConfiguration {
  'aliasArn'?: (string);
  'name'?: (string);
  /**
   * A version number, or $LATEST (then without routing).
   */
  'functionVersion'?: (string);
  'description'?: (string);
  'routingConfig'?: (_stratus_v1_AliasRoutingConfiguration | null);
  /**
   * Changes on every update of the alias.
   */
  'revisionId'?: (string);
}

export interface AliasConfiguration__Output {
  'aliasArn': (string);
  'name': (string);
  /**
   * A version number, or $LATEST (then without routing).
   */
  'functionVersion': (string);
  'description': (string);
  'routingConfig': (_stratus_v1_AliasRoutingConfiguration__Output | null);
  /**
   * Changes on every update of the alias.
   */
  'revisionId': (string);
}
