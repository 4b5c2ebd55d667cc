// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface GetFunctionRequest {
  'functionName'?: (string);
}

export interface GetFunctionRequest__Output {
  'functionName': (string);
}
