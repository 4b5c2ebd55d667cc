// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto


export interface EventSourceMappingDestinationConfig {
  /**
   * function:NAME (or a function ARN), nats:SUBJECT or jetstream:SUBJECT, as async destinations; empty: none.
   */
  'onFailure'?: (string);
}

export interface EventSourceMappingDestinationConfig__Output {
  /**
   * function:NAME (or a function ARN), nats:SUBJECT or jetstream:SUBJECT, as async destinations; empty: none.
   */
  'onFailure': (string);
}
