// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto


export interface ListNodesRequest {
}

export interface ListNodesRequest__Output {
}
