// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AsyncInvocation as _stratus_v1_AsyncInvocation, AsyncInvocation__Output as _stratus_v1_AsyncInvocation__Output } from '../../stratus/v1/AsyncInvocation.js';
import type { AsyncInvocationRequest as _stratus_v1_AsyncInvocationRequest, AsyncInvocationRequest__Output as _stratus_v1_AsyncInvocationRequest__Output } from '../../stratus/v1/AsyncInvocationRequest.js';
import type { DeleteFunctionEventInvokeConfigResponse as _stratus_v1_DeleteFunctionEventInvokeConfigResponse, DeleteFunctionEventInvokeConfigResponse__Output as _stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output } from '../../stratus/v1/DeleteFunctionEventInvokeConfigResponse.js';
import type { FunctionEventInvokeConfig as _stratus_v1_FunctionEventInvokeConfig, FunctionEventInvokeConfig__Output as _stratus_v1_FunctionEventInvokeConfig__Output } from '../../stratus/v1/FunctionEventInvokeConfig.js';
import type { GetFunctionEventInvokeConfigRequest as _stratus_v1_GetFunctionEventInvokeConfigRequest, GetFunctionEventInvokeConfigRequest__Output as _stratus_v1_GetFunctionEventInvokeConfigRequest__Output } from '../../stratus/v1/GetFunctionEventInvokeConfigRequest.js';
import type { ListFunctionEventInvokeConfigsRequest as _stratus_v1_ListFunctionEventInvokeConfigsRequest, ListFunctionEventInvokeConfigsRequest__Output as _stratus_v1_ListFunctionEventInvokeConfigsRequest__Output } from '../../stratus/v1/ListFunctionEventInvokeConfigsRequest.js';
import type { ListFunctionEventInvokeConfigsResponse as _stratus_v1_ListFunctionEventInvokeConfigsResponse, ListFunctionEventInvokeConfigsResponse__Output as _stratus_v1_ListFunctionEventInvokeConfigsResponse__Output } from '../../stratus/v1/ListFunctionEventInvokeConfigsResponse.js';
import type { PutFunctionEventInvokeConfigRequest as _stratus_v1_PutFunctionEventInvokeConfigRequest, PutFunctionEventInvokeConfigRequest__Output as _stratus_v1_PutFunctionEventInvokeConfigRequest__Output } from '../../stratus/v1/PutFunctionEventInvokeConfigRequest.js';
import type { RedriveAsyncInvocationsRequest as _stratus_v1_RedriveAsyncInvocationsRequest, RedriveAsyncInvocationsRequest__Output as _stratus_v1_RedriveAsyncInvocationsRequest__Output } from '../../stratus/v1/RedriveAsyncInvocationsRequest.js';
import type { RedriveAsyncInvocationsResponse as _stratus_v1_RedriveAsyncInvocationsResponse, RedriveAsyncInvocationsResponse__Output as _stratus_v1_RedriveAsyncInvocationsResponse__Output } from '../../stratus/v1/RedriveAsyncInvocationsResponse.js';

/**
 * Asynchronous invocations (Invoke with invocation_type EVENT): how each
 * function handles them (Lambda's FunctionEventInvokeConfig), and what became
 * of each accepted event, by its request id.
 */
export interface AsyncInvocationsClient extends grpc.Client {
  /**
   * Cancels an event that is queued or waiting for its next attempt; FAILED_PRECONDITION once it runs or has ended.
   */
  CancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  CancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  CancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  CancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  /**
   * Cancels an event that is queued or waiting for its next attempt; FAILED_PRECONDITION once it runs or has ended.
   */
  cancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  cancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  cancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  cancelAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  
  DeleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  deleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  deleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  deleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  deleteFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The state of one accepted event.
   */
  GetAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  GetAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  GetAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  GetAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  /**
   * The state of one accepted event.
   */
  getAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  getAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  getAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  getAsyncInvocation(argument: _stratus_v1_AsyncInvocationRequest, callback: grpc.requestCallback<_stratus_v1_AsyncInvocation__Output>): grpc.ClientUnaryCall;
  
  GetFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  GetFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  GetFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  GetFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  getFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  getFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  getFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  getFunctionEventInvokeConfig(argument: _stratus_v1_GetFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  
  ListFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  listFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  listFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  listFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  listFunctionEventInvokeConfigs(argument: _stratus_v1_ListFunctionEventInvokeConfigsRequest, callback: grpc.requestCallback<_stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets the function's whole configuration for asynchronous invocation; fields not given take their defaults.
   */
  PutFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  PutFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  PutFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  PutFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  /**
   * Sets the function's whole configuration for asynchronous invocation; fields not given take their defaults.
   */
  putFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  putFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  putFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  putFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  
  /**
   * Queues again events from the dead-letter stream: one by request id, or every one of a function.
   */
  RedriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  RedriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  RedriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  RedriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Queues again events from the dead-letter stream: one by request id, or every one of a function.
   */
  redriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  redriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  redriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  redriveAsyncInvocations(argument: _stratus_v1_RedriveAsyncInvocationsRequest, callback: grpc.requestCallback<_stratus_v1_RedriveAsyncInvocationsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Changes only the fields given.
   */
  UpdateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  UpdateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  UpdateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  UpdateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  /**
   * Changes only the fields given.
   */
  updateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  updateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  updateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  updateFunctionEventInvokeConfig(argument: _stratus_v1_PutFunctionEventInvokeConfigRequest, callback: grpc.requestCallback<_stratus_v1_FunctionEventInvokeConfig__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Asynchronous invocations (Invoke with invocation_type EVENT): how each
 * function handles them (Lambda's FunctionEventInvokeConfig), and what became
 * of each accepted event, by its request id.
 */
export interface AsyncInvocationsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Cancels an event that is queued or waiting for its next attempt; FAILED_PRECONDITION once it runs or has ended.
   */
  CancelAsyncInvocation: grpc.handleUnaryCall<_stratus_v1_AsyncInvocationRequest__Output, _stratus_v1_AsyncInvocation>;
  
  DeleteFunctionEventInvokeConfig: grpc.handleUnaryCall<_stratus_v1_GetFunctionEventInvokeConfigRequest__Output, _stratus_v1_DeleteFunctionEventInvokeConfigResponse>;
  
  /**
   * The state of one accepted event.
   */
  GetAsyncInvocation: grpc.handleUnaryCall<_stratus_v1_AsyncInvocationRequest__Output, _stratus_v1_AsyncInvocation>;
  
  GetFunctionEventInvokeConfig: grpc.handleUnaryCall<_stratus_v1_GetFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig>;
  
  ListFunctionEventInvokeConfigs: grpc.handleUnaryCall<_stratus_v1_ListFunctionEventInvokeConfigsRequest__Output, _stratus_v1_ListFunctionEventInvokeConfigsResponse>;
  
  /**
   * Sets the function's whole configuration for asynchronous invocation; fields not given take their defaults.
   */
  PutFunctionEventInvokeConfig: grpc.handleUnaryCall<_stratus_v1_PutFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig>;
  
  /**
   * Queues again events from the dead-letter stream: one by request id, or every one of a function.
   */
  RedriveAsyncInvocations: grpc.handleUnaryCall<_stratus_v1_RedriveAsyncInvocationsRequest__Output, _stratus_v1_RedriveAsyncInvocationsResponse>;
  
  /**
   * Changes only the fields given.
   */
  UpdateFunctionEventInvokeConfig: grpc.handleUnaryCall<_stratus_v1_PutFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig>;
  
}

export interface AsyncInvocationsDefinition extends grpc.ServiceDefinition {
  CancelAsyncInvocation: MethodDefinition<_stratus_v1_AsyncInvocationRequest, _stratus_v1_AsyncInvocation, _stratus_v1_AsyncInvocationRequest__Output, _stratus_v1_AsyncInvocation__Output>
  DeleteFunctionEventInvokeConfig: MethodDefinition<_stratus_v1_GetFunctionEventInvokeConfigRequest, _stratus_v1_DeleteFunctionEventInvokeConfigResponse, _stratus_v1_GetFunctionEventInvokeConfigRequest__Output, _stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>
  GetAsyncInvocation: MethodDefinition<_stratus_v1_AsyncInvocationRequest, _stratus_v1_AsyncInvocation, _stratus_v1_AsyncInvocationRequest__Output, _stratus_v1_AsyncInvocation__Output>
  GetFunctionEventInvokeConfig: MethodDefinition<_stratus_v1_GetFunctionEventInvokeConfigRequest, _stratus_v1_FunctionEventInvokeConfig, _stratus_v1_GetFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig__Output>
  ListFunctionEventInvokeConfigs: MethodDefinition<_stratus_v1_ListFunctionEventInvokeConfigsRequest, _stratus_v1_ListFunctionEventInvokeConfigsResponse, _stratus_v1_ListFunctionEventInvokeConfigsRequest__Output, _stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>
  PutFunctionEventInvokeConfig: MethodDefinition<_stratus_v1_PutFunctionEventInvokeConfigRequest, _stratus_v1_FunctionEventInvokeConfig, _stratus_v1_PutFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig__Output>
  RedriveAsyncInvocations: MethodDefinition<_stratus_v1_RedriveAsyncInvocationsRequest, _stratus_v1_RedriveAsyncInvocationsResponse, _stratus_v1_RedriveAsyncInvocationsRequest__Output, _stratus_v1_RedriveAsyncInvocationsResponse__Output>
  UpdateFunctionEventInvokeConfig: MethodDefinition<_stratus_v1_PutFunctionEventInvokeConfigRequest, _stratus_v1_FunctionEventInvokeConfig, _stratus_v1_PutFunctionEventInvokeConfigRequest__Output, _stratus_v1_FunctionEventInvokeConfig__Output>
}
