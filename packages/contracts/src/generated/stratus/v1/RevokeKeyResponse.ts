// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto


export interface RevokeKeyResponse {
}

export interface RevokeKeyResponse__Output {
}
