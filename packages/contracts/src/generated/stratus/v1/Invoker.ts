// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/invoke.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { InvokeRequest as _stratus_v1_InvokeRequest, InvokeRequest__Output as _stratus_v1_InvokeRequest__Output } from '../../stratus/v1/InvokeRequest.js';
import type { InvokeResponse as _stratus_v1_InvokeResponse, InvokeResponse__Output as _stratus_v1_InvokeResponse__Output } from '../../stratus/v1/InvokeResponse.js';

/**
 * Invoking functions.
 */
export interface InvokerClient extends grpc.Client {
  /**
   * Runs a function. Errors of the platform (function not found, throttled,
   * no capacity, bad payload) are gRPC errors whose trailing metadata carries
   * "stratus-error-code"; an error of the user's handler is a normal response
   * with function_error set, as Lambda reports it.
   */
  Invoke(argument: _stratus_v1_InvokeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  Invoke(argument: _stratus_v1_InvokeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  Invoke(argument: _stratus_v1_InvokeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  Invoke(argument: _stratus_v1_InvokeRequest, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Runs a function. Errors of the platform (function not found, throttled,
   * no capacity, bad payload) are gRPC errors whose trailing metadata carries
   * "stratus-error-code"; an error of the user's handler is a normal response
   * with function_error set, as Lambda reports it.
   */
  invoke(argument: _stratus_v1_InvokeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  invoke(argument: _stratus_v1_InvokeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  invoke(argument: _stratus_v1_InvokeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  invoke(argument: _stratus_v1_InvokeRequest, callback: grpc.requestCallback<_stratus_v1_InvokeResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Invoking functions.
 */
export interface InvokerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Runs a function. Errors of the platform (function not found, throttled,
   * no capacity, bad payload) are gRPC errors whose trailing metadata carries
   * "stratus-error-code"; an error of the user's handler is a normal response
   * with function_error set, as Lambda reports it.
   */
  Invoke: grpc.handleUnaryCall<_stratus_v1_InvokeRequest__Output, _stratus_v1_InvokeResponse>;
  
}

export interface InvokerDefinition extends grpc.ServiceDefinition {
  Invoke: MethodDefinition<_stratus_v1_InvokeRequest, _stratus_v1_InvokeResponse, _stratus_v1_InvokeRequest__Output, _stratus_v1_InvokeResponse__Output>
}
