// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto


export interface DeleteAliasResponse {
}

export interface DeleteAliasResponse__Output {
}
