// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface GetProvisionedConcurrencyConfigRequest {
  'functionName'?: (string);
  'qualifier'?: (string);
}

export interface GetProvisionedConcurrencyConfigRequest__Output {
  'functionName': (string);
  'qualifier': (string);
}
