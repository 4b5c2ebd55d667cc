// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto


/**
 * Lambda's AliasRoutingConfiguration.
 */
export interface AliasRoutingConfiguration {
  /**
   * At most one version (not $LATEST, not the alias's own) and the share of
   * calls, 0..1, that run it instead of the alias's version.
   */
  'additionalVersionWeights'?: ({[key: string]: number | string});
}

/**
 * Lambda's AliasRoutingConfiguration.
 */
export interface AliasRoutingConfiguration__Output {
  /**
   * At most one version (not $LATEST, not the alias's own) and the share of
   * calls, 0..1, that run it instead of the alias's version.
   */
  'additionalVersionWeights': ({[key: string]: number});
}
