// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto


export interface ListAliasesRequest {
  'functionName'?: (string);
  /**
   * Only aliases pointing at this version (their own or the additional one); empty: all.
   */
  'functionVersion'?: (string);
  'marker'?: (string);
  /**
   * 1..10000. 0: 50, as Lambda.
   */
  'maxItems'?: (number);
}

export interface ListAliasesRequest__Output {
  'functionName': (string);
  /**
   * Only aliases pointing at this version (their own or the additional one); empty: all.
   */
  'functionVersion': (string);
  'marker': (string);
  /**
   * 1..10000. 0: 50, as Lambda.
   */
  'maxItems': (number);
}
