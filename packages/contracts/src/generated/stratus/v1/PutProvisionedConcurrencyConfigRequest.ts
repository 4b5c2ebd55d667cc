// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface PutProvisionedConcurrencyConfigRequest {
  'functionName'?: (string);
  /**
   * A version number or an alias (Lambda's rule); $LATEST or empty: $LATEST, which Stratus also allows.
   */
  'qualifier'?: (string);
  'provisionedConcurrentExecutions'?: (number);
}

export interface PutProvisionedConcurrencyConfigRequest__Output {
  'functionName': (string);
  /**
   * A version number or an alias (Lambda's rule); $LATEST or empty: $LATEST, which Stratus also allows.
   */
  'qualifier': (string);
  'provisionedConcurrentExecutions': (number);
}
