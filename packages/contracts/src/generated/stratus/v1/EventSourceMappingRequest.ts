// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto


export interface EventSourceMappingRequest {
  'uuid'?: (string);
}

export interface EventSourceMappingRequest__Output {
  'uuid': (string);
}
