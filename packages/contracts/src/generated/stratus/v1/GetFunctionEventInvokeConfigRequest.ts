// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


export interface GetFunctionEventInvokeConfigRequest {
  'functionName'?: (string);
  'qualifier'?: (string);
}

export interface GetFunctionEventInvokeConfigRequest__Output {
  'functionName': (string);
  'qualifier': (string);
}
