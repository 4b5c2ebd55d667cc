// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto


export interface ListKeysRequest {
}

export interface ListKeysRequest__Output {
}
