// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface DeleteFunctionResponse {
}

export interface DeleteFunctionResponse__Output {
}
