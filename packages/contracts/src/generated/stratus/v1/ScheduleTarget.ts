// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto


export interface ScheduleTarget {
  /**
   * A function name or ARN, optionally "name:qualifier".
   */
  'functionName'?: (string);
  /**
   * A version or alias; empty: $LATEST (or the one in function_name).
   */
  'qualifier'?: (string);
  /**
   * The event, a JSON document of at most 256 KB; empty: EventBridge's "Scheduled Event" document.
   */
  'input'?: (string);
}

export interface ScheduleTarget__Output {
  /**
   * A function name or ARN, optionally "name:qualifier".
   */
  'functionName': (string);
  /**
   * A version or alias; empty: $LATEST (or the one in function_name).
   */
  'qualifier': (string);
  /**
   * The event, a JSON document of at most 256 KB; empty: EventBridge's "Scheduled Event" document.
   */
  'input': (string);
}
