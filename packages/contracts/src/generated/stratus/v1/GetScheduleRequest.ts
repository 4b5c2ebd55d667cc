// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto


export interface GetScheduleRequest {
  'name'?: (string);
}

export interface GetScheduleRequest__Output {
  'name': (string);
}
