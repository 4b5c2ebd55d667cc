// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface PutProvisionedConcurrencyConfigRequest {
  'functionName'?: (string);
  /**
   * Must be $LATEST or empty: Stratus has no published versions yet.
   */
  'qualifier'?: (string);
  'provisionedConcurrentExecutions'?: (number);
}

export interface PutProvisionedConcurrencyConfigRequest__Output {
  'functionName': (string);
  /**
   * Must be $LATEST or empty: Stratus has no published versions yet.
   */
  'qualifier': (string);
  'provisionedConcurrentExecutions': (number);
}
