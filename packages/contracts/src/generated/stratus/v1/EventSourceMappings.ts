// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/event_source_mappings.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateEventSourceMappingRequest as _stratus_v1_CreateEventSourceMappingRequest, CreateEventSourceMappingRequest__Output as _stratus_v1_CreateEventSourceMappingRequest__Output } from '../../stratus/v1/CreateEventSourceMappingRequest.js';
import type { EventSourceMappingConfiguration as _stratus_v1_EventSourceMappingConfiguration, EventSourceMappingConfiguration__Output as _stratus_v1_EventSourceMappingConfiguration__Output } from '../../stratus/v1/EventSourceMappingConfiguration.js';
import type { EventSourceMappingRequest as _stratus_v1_EventSourceMappingRequest, EventSourceMappingRequest__Output as _stratus_v1_EventSourceMappingRequest__Output } from '../../stratus/v1/EventSourceMappingRequest.js';
import type { ListEventSourceMappingsRequest as _stratus_v1_ListEventSourceMappingsRequest, ListEventSourceMappingsRequest__Output as _stratus_v1_ListEventSourceMappingsRequest__Output } from '../../stratus/v1/ListEventSourceMappingsRequest.js';
import type { ListEventSourceMappingsResponse as _stratus_v1_ListEventSourceMappingsResponse, ListEventSourceMappingsResponse__Output as _stratus_v1_ListEventSourceMappingsResponse__Output } from '../../stratus/v1/ListEventSourceMappingsResponse.js';
import type { UpdateEventSourceMappingRequest as _stratus_v1_UpdateEventSourceMappingRequest, UpdateEventSourceMappingRequest__Output as _stratus_v1_UpdateEventSourceMappingRequest__Output } from '../../stratus/v1/UpdateEventSourceMappingRequest.js';

/**
 * Event source mappings (Lambda's CreateEventSourceMapping and friends): a
 * function invoked with batches of the messages users publish on a NATS
 * subject under the cluster's "<namespace>.events." prefix, read either live
 * ("nats:SUBJECT", at most once) or from the cluster's user-events JetStream
 * stream ("jetstream:SUBJECT", at least once).
 */
export interface EventSourceMappingsClient extends grpc.Client {
  CreateEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  CreateEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  CreateEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  CreateEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  createEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  createEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  createEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  createEventSourceMapping(argument: _stratus_v1_CreateEventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * Answers with the mapping in state Deleting; it is gone once the answer is sent.
   */
  DeleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  DeleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  DeleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  DeleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Answers with the mapping in state Deleting; it is gone once the answer is sent.
   */
  deleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  deleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  deleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  deleteEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  
  GetEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  GetEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  GetEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  GetEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  getEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  getEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  getEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  getEventSourceMapping(argument: _stratus_v1_EventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  
  ListEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  ListEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  ListEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  ListEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  listEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  listEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  listEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  listEventSourceMappings(argument: _stratus_v1_ListEventSourceMappingsRequest, callback: grpc.requestCallback<_stratus_v1_ListEventSourceMappingsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Changes only the fields given.
   */
  UpdateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Changes only the fields given.
   */
  updateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  updateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  updateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  updateEventSourceMapping(argument: _stratus_v1_UpdateEventSourceMappingRequest, callback: grpc.requestCallback<_stratus_v1_EventSourceMappingConfiguration__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Event source mappings (Lambda's CreateEventSourceMapping and friends): a
 * function invoked with batches of the messages users publish on a NATS
 * subject under the cluster's "<namespace>.events." prefix, read either live
 * ("nats:SUBJECT", at most once) or from the cluster's user-events JetStream
 * stream ("jetstream:SUBJECT", at least once).
 */
export interface EventSourceMappingsHandlers extends grpc.UntypedServiceImplementation {
  CreateEventSourceMapping: grpc.handleUnaryCall<_stratus_v1_CreateEventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration>;
  
  /**
   * Answers with the mapping in state Deleting; it is gone once the answer is sent.
   */
  DeleteEventSourceMapping: grpc.handleUnaryCall<_stratus_v1_EventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration>;
  
  GetEventSourceMapping: grpc.handleUnaryCall<_stratus_v1_EventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration>;
  
  ListEventSourceMappings: grpc.handleUnaryCall<_stratus_v1_ListEventSourceMappingsRequest__Output, _stratus_v1_ListEventSourceMappingsResponse>;
  
  /**
   * Changes only the fields given.
   */
  UpdateEventSourceMapping: grpc.handleUnaryCall<_stratus_v1_UpdateEventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration>;
  
}

export interface EventSourceMappingsDefinition extends grpc.ServiceDefinition {
  CreateEventSourceMapping: MethodDefinition<_stratus_v1_CreateEventSourceMappingRequest, _stratus_v1_EventSourceMappingConfiguration, _stratus_v1_CreateEventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration__Output>
  DeleteEventSourceMapping: MethodDefinition<_stratus_v1_EventSourceMappingRequest, _stratus_v1_EventSourceMappingConfiguration, _stratus_v1_EventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration__Output>
  GetEventSourceMapping: MethodDefinition<_stratus_v1_EventSourceMappingRequest, _stratus_v1_EventSourceMappingConfiguration, _stratus_v1_EventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration__Output>
  ListEventSourceMappings: MethodDefinition<_stratus_v1_ListEventSourceMappingsRequest, _stratus_v1_ListEventSourceMappingsResponse, _stratus_v1_ListEventSourceMappingsRequest__Output, _stratus_v1_ListEventSourceMappingsResponse__Output>
  UpdateEventSourceMapping: MethodDefinition<_stratus_v1_UpdateEventSourceMappingRequest, _stratus_v1_EventSourceMappingConfiguration, _stratus_v1_UpdateEventSourceMappingRequest__Output, _stratus_v1_EventSourceMappingConfiguration__Output>
}
