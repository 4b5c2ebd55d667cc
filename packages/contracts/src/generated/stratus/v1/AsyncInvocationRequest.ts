// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


export interface AsyncInvocationRequest {
  'requestId'?: (string);
}

export interface AsyncInvocationRequest__Output {
  'requestId': (string);
}
