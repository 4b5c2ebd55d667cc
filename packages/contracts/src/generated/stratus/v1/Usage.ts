// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetUsageRequest as _stratus_v1_GetUsageRequest, GetUsageRequest__Output as _stratus_v1_GetUsageRequest__Output } from '../../stratus/v1/GetUsageRequest.js';
import type { GetUsageResponse as _stratus_v1_GetUsageResponse, GetUsageResponse__Output as _stratus_v1_GetUsageResponse__Output } from '../../stratus/v1/GetUsageResponse.js';

/**
 * Billing: what the aggregator has counted.
 */
export interface UsageClient extends grpc.Client {
  GetUsage(argument: _stratus_v1_GetUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stratus_v1_GetUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stratus_v1_GetUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stratus_v1_GetUsageRequest, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stratus_v1_GetUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stratus_v1_GetUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stratus_v1_GetUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stratus_v1_GetUsageRequest, callback: grpc.requestCallback<_stratus_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Billing: what the aggregator has counted.
 */
export interface UsageHandlers extends grpc.UntypedServiceImplementation {
  GetUsage: grpc.handleUnaryCall<_stratus_v1_GetUsageRequest__Output, _stratus_v1_GetUsageResponse>;
  
}

export interface UsageDefinition extends grpc.ServiceDefinition {
  GetUsage: MethodDefinition<_stratus_v1_GetUsageRequest, _stratus_v1_GetUsageResponse, _stratus_v1_GetUsageRequest__Output, _stratus_v1_GetUsageResponse__Output>
}
