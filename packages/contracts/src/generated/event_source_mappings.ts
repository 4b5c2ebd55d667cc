// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateEventSourceMappingRequest as _stratus_v1_CreateEventSourceMappingRequest, CreateEventSourceMappingRequest__Output as _stratus_v1_CreateEventSourceMappingRequest__Output } from './stratus/v1/CreateEventSourceMappingRequest.js';
import type { EventSourceMappingConfiguration as _stratus_v1_EventSourceMappingConfiguration, EventSourceMappingConfiguration__Output as _stratus_v1_EventSourceMappingConfiguration__Output } from './stratus/v1/EventSourceMappingConfiguration.js';
import type { EventSourceMappingDestinationConfig as _stratus_v1_EventSourceMappingDestinationConfig, EventSourceMappingDestinationConfig__Output as _stratus_v1_EventSourceMappingDestinationConfig__Output } from './stratus/v1/EventSourceMappingDestinationConfig.js';
import type { EventSourceMappingRequest as _stratus_v1_EventSourceMappingRequest, EventSourceMappingRequest__Output as _stratus_v1_EventSourceMappingRequest__Output } from './stratus/v1/EventSourceMappingRequest.js';
import type { EventSourceMappingsClient as _stratus_v1_EventSourceMappingsClient, EventSourceMappingsDefinition as _stratus_v1_EventSourceMappingsDefinition } from './stratus/v1/EventSourceMappings.js';
import type { ListEventSourceMappingsRequest as _stratus_v1_ListEventSourceMappingsRequest, ListEventSourceMappingsRequest__Output as _stratus_v1_ListEventSourceMappingsRequest__Output } from './stratus/v1/ListEventSourceMappingsRequest.js';
import type { ListEventSourceMappingsResponse as _stratus_v1_ListEventSourceMappingsResponse, ListEventSourceMappingsResponse__Output as _stratus_v1_ListEventSourceMappingsResponse__Output } from './stratus/v1/ListEventSourceMappingsResponse.js';
import type { UpdateEventSourceMappingRequest as _stratus_v1_UpdateEventSourceMappingRequest, UpdateEventSourceMappingRequest__Output as _stratus_v1_UpdateEventSourceMappingRequest__Output } from './stratus/v1/UpdateEventSourceMappingRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      CreateEventSourceMappingRequest: MessageTypeDefinition<_stratus_v1_CreateEventSourceMappingRequest, _stratus_v1_CreateEventSourceMappingRequest__Output>
      EventSourceMappingConfiguration: MessageTypeDefinition<_stratus_v1_EventSourceMappingConfiguration, _stratus_v1_EventSourceMappingConfiguration__Output>
      EventSourceMappingDestinationConfig: MessageTypeDefinition<_stratus_v1_EventSourceMappingDestinationConfig, _stratus_v1_EventSourceMappingDestinationConfig__Output>
      EventSourceMappingRequest: MessageTypeDefinition<_stratus_v1_EventSourceMappingRequest, _stratus_v1_EventSourceMappingRequest__Output>
      /**
       * Event source mappings (Lambda's CreateEventSourceMapping and friends): a
       * function invoked with batches of the messages users publish on a NATS
       * subject under the cluster's "<namespace>.events." prefix, read either live
       * ("nats:SUBJECT", at most once) or from the cluster's user-events JetStream
       * stream ("jetstream:SUBJECT", at least once).
       */
      EventSourceMappings: SubtypeConstructor<typeof grpc.Client, _stratus_v1_EventSourceMappingsClient> & { service: _stratus_v1_EventSourceMappingsDefinition }
      ListEventSourceMappingsRequest: MessageTypeDefinition<_stratus_v1_ListEventSourceMappingsRequest, _stratus_v1_ListEventSourceMappingsRequest__Output>
      ListEventSourceMappingsResponse: MessageTypeDefinition<_stratus_v1_ListEventSourceMappingsResponse, _stratus_v1_ListEventSourceMappingsResponse__Output>
      UpdateEventSourceMappingRequest: MessageTypeDefinition<_stratus_v1_UpdateEventSourceMappingRequest, _stratus_v1_UpdateEventSourceMappingRequest__Output>
    }
  }
}

