// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


export interface ListFunctionEventInvokeConfigsRequest {
  'functionName'?: (string);
}

export interface ListFunctionEventInvokeConfigsRequest__Output {
  'functionName': (string);
}
