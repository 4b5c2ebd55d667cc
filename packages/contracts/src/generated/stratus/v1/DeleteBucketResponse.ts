// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


export interface DeleteBucketResponse {
}

export interface DeleteBucketResponse__Output {
}
