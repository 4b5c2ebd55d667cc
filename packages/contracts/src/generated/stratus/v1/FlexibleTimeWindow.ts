// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto


export interface FlexibleTimeWindow {
  /**
   * "OFF" (default) or "FLEXIBLE".
   */
  'mode'?: (string);
  /**
   * With FLEXIBLE: each tick fires at a moment within this many minutes after it, 1 to 1440.
   */
  'maximumWindowInMinutes'?: (number);
}

export interface FlexibleTimeWindow__Output {
  /**
   * "OFF" (default) or "FLEXIBLE".
   */
  'mode': (string);
  /**
   * With FLEXIBLE: each tick fires at a moment within this many minutes after it, 1 to 1440.
   */
  'maximumWindowInMinutes': (number);
}
