// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto

import type { EventSourceMappingConfiguration as _stratus_v1_EventSourceMappingConfiguration, EventSourceMappingConfiguration__Output as _stratus_v1_EventSourceMappingConfiguration__Output } from '../../stratus/v1/EventSourceMappingConfiguration.js';

export interface ListEventSourceMappingsResponse {
  'eventSourceMappings'?: (_stratus_v1_EventSourceMappingConfiguration)[];
  'nextMarker'?: (string);
}

export interface ListEventSourceMappingsResponse__Output {
  'eventSourceMappings': (_stratus_v1_EventSourceMappingConfiguration__Output)[];
  'nextMarker': (string);
}
