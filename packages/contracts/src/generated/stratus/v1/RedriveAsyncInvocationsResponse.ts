// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


export interface RedriveAsyncInvocationsResponse {
  'requestIds'?: (string)[];
}

export interface RedriveAsyncInvocationsResponse__Output {
  'requestIds': (string)[];
}
