// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto


export interface ListEventSourceMappingsRequest {
  /**
   * Only this function's mappings (name or ARN); empty: all.
   */
  'functionName'?: (string);
  /**
   * Only mappings of this source; empty: all.
   */
  'eventSourceArn'?: (string);
  'marker'?: (string);
  /**
   * 0: the default, 100; at most 10000.
   */
  'maxItems'?: (number);
}

export interface ListEventSourceMappingsRequest__Output {
  /**
   * Only this function's mappings (name or ARN); empty: all.
   */
  'functionName': (string);
  /**
   * Only mappings of this source; empty: all.
   */
  'eventSourceArn': (string);
  'marker': (string);
  /**
   * 0: the default, 100; at most 10000.
   */
  'maxItems': (number);
}
