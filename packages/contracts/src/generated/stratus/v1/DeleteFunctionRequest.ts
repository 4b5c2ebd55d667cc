// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface DeleteFunctionRequest {
  'functionName'?: (string);
  /**
   * A version number: deletes that version only (refused while an alias
   * points at it). Empty: the function, with all its versions and aliases.
   */
  'qualifier'?: (string);
}

export interface DeleteFunctionRequest__Output {
  'functionName': (string);
  /**
   * A version number: deletes that version only (refused while an alias
   * points at it). Empty: the function, with all its versions and aliases.
   */
  'qualifier': (string);
}
