// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto


export interface ListVersionsByFunctionRequest {
  'functionName'?: (string);
  /**
   * next_marker of the previous page; empty for the first.
   */
  'marker'?: (string);
  /**
   * 1..10000. 0: 50, as Lambda.
   */
  'maxItems'?: (number);
}

export interface ListVersionsByFunctionRequest__Output {
  'functionName': (string);
  /**
   * next_marker of the previous page; empty for the first.
   */
  'marker': (string);
  /**
   * 1..10000. 0: 50, as Lambda.
   */
  'maxItems': (number);
}
