// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto


export interface DeleteScheduleResponse {
}

export interface DeleteScheduleResponse__Output {
}
