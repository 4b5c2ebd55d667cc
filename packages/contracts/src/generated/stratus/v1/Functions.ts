// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateFunctionRequest as _stratus_v1_CreateFunctionRequest, CreateFunctionRequest__Output as _stratus_v1_CreateFunctionRequest__Output } from '../../stratus/v1/CreateFunctionRequest.js';
import type { DeleteFunctionRequest as _stratus_v1_DeleteFunctionRequest, DeleteFunctionRequest__Output as _stratus_v1_DeleteFunctionRequest__Output } from '../../stratus/v1/DeleteFunctionRequest.js';
import type { DeleteFunctionResponse as _stratus_v1_DeleteFunctionResponse, DeleteFunctionResponse__Output as _stratus_v1_DeleteFunctionResponse__Output } from '../../stratus/v1/DeleteFunctionResponse.js';
import type { FunctionConfiguration as _stratus_v1_FunctionConfiguration, FunctionConfiguration__Output as _stratus_v1_FunctionConfiguration__Output } from '../../stratus/v1/FunctionConfiguration.js';
import type { GetFunctionRequest as _stratus_v1_GetFunctionRequest, GetFunctionRequest__Output as _stratus_v1_GetFunctionRequest__Output } from '../../stratus/v1/GetFunctionRequest.js';
import type { ListFunctionsRequest as _stratus_v1_ListFunctionsRequest, ListFunctionsRequest__Output as _stratus_v1_ListFunctionsRequest__Output } from '../../stratus/v1/ListFunctionsRequest.js';
import type { ListFunctionsResponse as _stratus_v1_ListFunctionsResponse, ListFunctionsResponse__Output as _stratus_v1_ListFunctionsResponse__Output } from '../../stratus/v1/ListFunctionsResponse.js';
import type { UpdateFunctionRequest as _stratus_v1_UpdateFunctionRequest, UpdateFunctionRequest__Output as _stratus_v1_UpdateFunctionRequest__Output } from '../../stratus/v1/UpdateFunctionRequest.js';

/**
 * Function management: the control API for what a user deploys.
 * Configuration lives in etcd; code bundles live in the JetStream object
 * store by content hash.
 */
export interface FunctionsClient extends grpc.Client {
  /**
   * Creates a function from a zip of its code (Lambda's layout) and its configuration.
   * ALREADY_EXISTS (FUNCTION_ALREADY_EXISTS) when the name is taken.
   */
  CreateFunction(argument: _stratus_v1_CreateFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  CreateFunction(argument: _stratus_v1_CreateFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  CreateFunction(argument: _stratus_v1_CreateFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  CreateFunction(argument: _stratus_v1_CreateFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a function from a zip of its code (Lambda's layout) and its configuration.
   * ALREADY_EXISTS (FUNCTION_ALREADY_EXISTS) when the name is taken.
   */
  createFunction(argument: _stratus_v1_CreateFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  createFunction(argument: _stratus_v1_CreateFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  createFunction(argument: _stratus_v1_CreateFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  createFunction(argument: _stratus_v1_CreateFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  
  DeleteFunction(argument: _stratus_v1_DeleteFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunction(argument: _stratus_v1_DeleteFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunction(argument: _stratus_v1_DeleteFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  DeleteFunction(argument: _stratus_v1_DeleteFunctionRequest, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  deleteFunction(argument: _stratus_v1_DeleteFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  deleteFunction(argument: _stratus_v1_DeleteFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  deleteFunction(argument: _stratus_v1_DeleteFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  deleteFunction(argument: _stratus_v1_DeleteFunctionRequest, callback: grpc.requestCallback<_stratus_v1_DeleteFunctionResponse__Output>): grpc.ClientUnaryCall;
  
  GetFunction(argument: _stratus_v1_GetFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  GetFunction(argument: _stratus_v1_GetFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  GetFunction(argument: _stratus_v1_GetFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  GetFunction(argument: _stratus_v1_GetFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  getFunction(argument: _stratus_v1_GetFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  getFunction(argument: _stratus_v1_GetFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  getFunction(argument: _stratus_v1_GetFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  getFunction(argument: _stratus_v1_GetFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  
  ListFunctions(argument: _stratus_v1_ListFunctionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctions(argument: _stratus_v1_ListFunctionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctions(argument: _stratus_v1_ListFunctionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  ListFunctions(argument: _stratus_v1_ListFunctionsRequest, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  listFunctions(argument: _stratus_v1_ListFunctionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  listFunctions(argument: _stratus_v1_ListFunctionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  listFunctions(argument: _stratus_v1_ListFunctionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  listFunctions(argument: _stratus_v1_ListFunctionsRequest, callback: grpc.requestCallback<_stratus_v1_ListFunctionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces the code and/or configuration of $LATEST. Fields left unset keep their value.
   */
  UpdateFunction(argument: _stratus_v1_UpdateFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateFunction(argument: _stratus_v1_UpdateFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateFunction(argument: _stratus_v1_UpdateFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateFunction(argument: _stratus_v1_UpdateFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces the code and/or configuration of $LATEST. Fields left unset keep their value.
   */
  updateFunction(argument: _stratus_v1_UpdateFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  updateFunction(argument: _stratus_v1_UpdateFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  updateFunction(argument: _stratus_v1_UpdateFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  updateFunction(argument: _stratus_v1_UpdateFunctionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Function management: the control API for what a user deploys.
 * Configuration lives in etcd; code bundles live in the JetStream object
 * store by content hash.
 */
export interface FunctionsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates a function from a zip of its code (Lambda's layout) and its configuration.
   * ALREADY_EXISTS (FUNCTION_ALREADY_EXISTS) when the name is taken.
   */
  CreateFunction: grpc.handleUnaryCall<_stratus_v1_CreateFunctionRequest__Output, _stratus_v1_FunctionConfiguration>;
  
  DeleteFunction: grpc.handleUnaryCall<_stratus_v1_DeleteFunctionRequest__Output, _stratus_v1_DeleteFunctionResponse>;
  
  GetFunction: grpc.handleUnaryCall<_stratus_v1_GetFunctionRequest__Output, _stratus_v1_FunctionConfiguration>;
  
  ListFunctions: grpc.handleUnaryCall<_stratus_v1_ListFunctionsRequest__Output, _stratus_v1_ListFunctionsResponse>;
  
  /**
   * Replaces the code and/or configuration of $LATEST. Fields left unset keep their value.
   */
  UpdateFunction: grpc.handleUnaryCall<_stratus_v1_UpdateFunctionRequest__Output, _stratus_v1_FunctionConfiguration>;
  
}

export interface FunctionsDefinition extends grpc.ServiceDefinition {
  CreateFunction: MethodDefinition<_stratus_v1_CreateFunctionRequest, _stratus_v1_FunctionConfiguration, _stratus_v1_CreateFunctionRequest__Output, _stratus_v1_FunctionConfiguration__Output>
  DeleteFunction: MethodDefinition<_stratus_v1_DeleteFunctionRequest, _stratus_v1_DeleteFunctionResponse, _stratus_v1_DeleteFunctionRequest__Output, _stratus_v1_DeleteFunctionResponse__Output>
  GetFunction: MethodDefinition<_stratus_v1_GetFunctionRequest, _stratus_v1_FunctionConfiguration, _stratus_v1_GetFunctionRequest__Output, _stratus_v1_FunctionConfiguration__Output>
  ListFunctions: MethodDefinition<_stratus_v1_ListFunctionsRequest, _stratus_v1_ListFunctionsResponse, _stratus_v1_ListFunctionsRequest__Output, _stratus_v1_ListFunctionsResponse__Output>
  UpdateFunction: MethodDefinition<_stratus_v1_UpdateFunctionRequest, _stratus_v1_FunctionConfiguration, _stratus_v1_UpdateFunctionRequest__Output, _stratus_v1_FunctionConfiguration__Output>
}
