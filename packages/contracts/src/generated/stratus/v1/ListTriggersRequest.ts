// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/triggers.proto


export interface ListTriggersRequest {
  /**
   * Only triggers of this kind ("schedule", …); empty: every kind.
   */
  'kind'?: (string);
  /**
   * Only triggers invoking this function; empty: every function.
   */
  'functionName'?: (string);
}

export interface ListTriggersRequest__Output {
  /**
   * Only triggers of this kind ("schedule", …); empty: every kind.
   */
  'kind': (string);
  /**
   * Only triggers invoking this function; empty: every function.
   */
  'functionName': (string);
}
