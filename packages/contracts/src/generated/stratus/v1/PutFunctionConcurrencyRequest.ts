// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface PutFunctionConcurrencyRequest {
  'functionName'?: (string);
  'reservedConcurrentExecutions'?: (number);
}

export interface PutFunctionConcurrencyRequest__Output {
  'functionName': (string);
  'reservedConcurrentExecutions': (number);
}
