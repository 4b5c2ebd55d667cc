// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


export interface RedriveAsyncInvocationsRequest {
  /**
   * One event by request id, or (request_id empty) every dead-lettered event of function_name.
   */
  'requestId'?: (string);
  'functionName'?: (string);
}

export interface RedriveAsyncInvocationsRequest__Output {
  /**
   * One event by request id, or (request_id empty) every dead-lettered event of function_name.
   */
  'requestId': (string);
  'functionName': (string);
}
