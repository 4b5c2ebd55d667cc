// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListNodesRequest as _stratus_v1_ListNodesRequest, ListNodesRequest__Output as _stratus_v1_ListNodesRequest__Output } from '../../stratus/v1/ListNodesRequest.js';
import type { ListNodesResponse as _stratus_v1_ListNodesResponse, ListNodesResponse__Output as _stratus_v1_ListNodesResponse__Output } from '../../stratus/v1/ListNodesResponse.js';

/**
 * The cluster's worker nodes, as the registry in etcd and their heartbeats show them.
 */
export interface NodesClient extends grpc.Client {
  ListNodes(argument: _stratus_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _stratus_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _stratus_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _stratus_v1_ListNodesRequest, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _stratus_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _stratus_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _stratus_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _stratus_v1_ListNodesRequest, callback: grpc.requestCallback<_stratus_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The cluster's worker nodes, as the registry in etcd and their heartbeats show them.
 */
export interface NodesHandlers extends grpc.UntypedServiceImplementation {
  ListNodes: grpc.handleUnaryCall<_stratus_v1_ListNodesRequest__Output, _stratus_v1_ListNodesResponse>;
  
}

export interface NodesDefinition extends grpc.ServiceDefinition {
  ListNodes: MethodDefinition<_stratus_v1_ListNodesRequest, _stratus_v1_ListNodesResponse, _stratus_v1_ListNodesRequest__Output, _stratus_v1_ListNodesResponse__Output>
}
