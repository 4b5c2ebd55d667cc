// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto


export interface ListSchedulesRequest {
  'namePrefix'?: (string);
  /**
   * "ENABLED" or "DISABLED"; empty: both.
   */
  'state'?: (string);
  /**
   * 1 to 1000; 0: 100.
   */
  'maxResults'?: (number);
  /**
   * From the previous page's next_token.
   */
  'nextToken'?: (string);
}

export interface ListSchedulesRequest__Output {
  'namePrefix': (string);
  /**
   * "ENABLED" or "DISABLED"; empty: both.
   */
  'state': (string);
  /**
   * 1 to 1000; 0: 100.
   */
  'maxResults': (number);
  /**
   * From the previous page's next_token.
   */
  'nextToken': (string);
}
