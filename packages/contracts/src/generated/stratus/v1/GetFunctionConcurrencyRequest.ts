// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface GetFunctionConcurrencyRequest {
  'functionName'?: (string);
}

export interface GetFunctionConcurrencyRequest__Output {
  'functionName': (string);
}
