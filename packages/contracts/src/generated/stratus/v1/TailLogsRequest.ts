// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto


export interface TailLogsRequest {
  'functionName'?: (string);
  /**
   * How many of the newest existing invocations to send before following.
   * Unset means 10; 0 sends only new ones; at most 10000.
   */
  'limit'?: (number);
  /**
   * As in GetLogsRequest.
   */
  'eventsOnly'?: (boolean);
  '_limit'?: "limit";
}

export interface TailLogsRequest__Output {
  'functionName': (string);
  /**
   * How many of the newest existing invocations to send before following.
   * Unset means 10; 0 sends only new ones; at most 10000.
   */
  'limit'?: (number);
  /**
   * As in GetLogsRequest.
   */
  'eventsOnly': (boolean);
  '_limit'?: "limit";
}
