// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/triggers.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListTriggersRequest as _stratus_v1_ListTriggersRequest, ListTriggersRequest__Output as _stratus_v1_ListTriggersRequest__Output } from '../../stratus/v1/ListTriggersRequest.js';
import type { ListTriggersResponse as _stratus_v1_ListTriggersResponse, ListTriggersResponse__Output as _stratus_v1_ListTriggersResponse__Output } from '../../stratus/v1/ListTriggersResponse.js';

/**
 * Every event source that invokes functions (schedules, event source
 * mappings, object notifications) reports here: what it is, which function
 * it invokes, whether it is on, when it last fired and next will, how far
 * behind it is, and its last error, as the answering frontend sees it.
 */
export interface TriggersClient extends grpc.Client {
  ListTriggers(argument: _stratus_v1_ListTriggersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  ListTriggers(argument: _stratus_v1_ListTriggersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  ListTriggers(argument: _stratus_v1_ListTriggersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  ListTriggers(argument: _stratus_v1_ListTriggersRequest, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  listTriggers(argument: _stratus_v1_ListTriggersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  listTriggers(argument: _stratus_v1_ListTriggersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  listTriggers(argument: _stratus_v1_ListTriggersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  listTriggers(argument: _stratus_v1_ListTriggersRequest, callback: grpc.requestCallback<_stratus_v1_ListTriggersResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Every event source that invokes functions (schedules, event source
 * mappings, object notifications) reports here: what it is, which function
 * it invokes, whether it is on, when it last fired and next will, how far
 * behind it is, and its last error, as the answering frontend sees it.
 */
export interface TriggersHandlers extends grpc.UntypedServiceImplementation {
  ListTriggers: grpc.handleUnaryCall<_stratus_v1_ListTriggersRequest__Output, _stratus_v1_ListTriggersResponse>;
  
}

export interface TriggersDefinition extends grpc.ServiceDefinition {
  ListTriggers: MethodDefinition<_stratus_v1_ListTriggersRequest, _stratus_v1_ListTriggersResponse, _stratus_v1_ListTriggersRequest__Output, _stratus_v1_ListTriggersResponse__Output>
}
