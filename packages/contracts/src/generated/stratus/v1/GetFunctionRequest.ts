// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface GetFunctionRequest {
  'functionName'?: (string);
  /**
   * A version number or alias ("fn:3" in function_name works too); empty or $LATEST: $LATEST.
   */
  'qualifier'?: (string);
}

export interface GetFunctionRequest__Output {
  'functionName': (string);
  /**
   * A version number or alias ("fn:3" in function_name works too); empty or $LATEST: $LATEST.
   */
  'qualifier': (string);
}
