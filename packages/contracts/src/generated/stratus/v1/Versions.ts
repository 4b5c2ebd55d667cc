// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AliasConfiguration as _stratus_v1_AliasConfiguration, AliasConfiguration__Output as _stratus_v1_AliasConfiguration__Output } from '../../stratus/v1/AliasConfiguration.js';
import type { CreateAliasRequest as _stratus_v1_CreateAliasRequest, CreateAliasRequest__Output as _stratus_v1_CreateAliasRequest__Output } from '../../stratus/v1/CreateAliasRequest.js';
import type { DeleteAliasResponse as _stratus_v1_DeleteAliasResponse, DeleteAliasResponse__Output as _stratus_v1_DeleteAliasResponse__Output } from '../../stratus/v1/DeleteAliasResponse.js';
import type { FunctionConfiguration as _stratus_v1_FunctionConfiguration, FunctionConfiguration__Output as _stratus_v1_FunctionConfiguration__Output } from '../../stratus/v1/FunctionConfiguration.js';
import type { GetAliasRequest as _stratus_v1_GetAliasRequest, GetAliasRequest__Output as _stratus_v1_GetAliasRequest__Output } from '../../stratus/v1/GetAliasRequest.js';
import type { ListAliasesRequest as _stratus_v1_ListAliasesRequest, ListAliasesRequest__Output as _stratus_v1_ListAliasesRequest__Output } from '../../stratus/v1/ListAliasesRequest.js';
import type { ListAliasesResponse as _stratus_v1_ListAliasesResponse, ListAliasesResponse__Output as _stratus_v1_ListAliasesResponse__Output } from '../../stratus/v1/ListAliasesResponse.js';
import type { ListVersionsByFunctionRequest as _stratus_v1_ListVersionsByFunctionRequest, ListVersionsByFunctionRequest__Output as _stratus_v1_ListVersionsByFunctionRequest__Output } from '../../stratus/v1/ListVersionsByFunctionRequest.js';
import type { ListVersionsByFunctionResponse as _stratus_v1_ListVersionsByFunctionResponse, ListVersionsByFunctionResponse__Output as _stratus_v1_ListVersionsByFunctionResponse__Output } from '../../stratus/v1/ListVersionsByFunctionResponse.js';
import type { PublishVersionRequest as _stratus_v1_PublishVersionRequest, PublishVersionRequest__Output as _stratus_v1_PublishVersionRequest__Output } from '../../stratus/v1/PublishVersionRequest.js';
import type { UpdateAliasRequest as _stratus_v1_UpdateAliasRequest, UpdateAliasRequest__Output as _stratus_v1_UpdateAliasRequest__Output } from '../../stratus/v1/UpdateAliasRequest.js';

/**
 * Lambda's versions and aliases. A version is an immutable snapshot of a
 * function's code and configuration, numbered 1, 2, 3… per function ($LATEST
 * stays mutable); an alias names a version and may route a share of calls to
 * a second one. Invoke, GetFunction, DeleteFunction and provisioned
 * concurrency take either as a qualifier ("fn:3", "fn:prod").
 */
export interface VersionsClient extends grpc.Client {
  CreateAlias(argument: _stratus_v1_CreateAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  CreateAlias(argument: _stratus_v1_CreateAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  CreateAlias(argument: _stratus_v1_CreateAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  CreateAlias(argument: _stratus_v1_CreateAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  createAlias(argument: _stratus_v1_CreateAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  createAlias(argument: _stratus_v1_CreateAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  createAlias(argument: _stratus_v1_CreateAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  createAlias(argument: _stratus_v1_CreateAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  
  DeleteAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _stratus_v1_GetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _stratus_v1_GetAliasRequest, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _stratus_v1_GetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _stratus_v1_GetAliasRequest, callback: grpc.requestCallback<_stratus_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  
  GetAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  GetAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  GetAlias(argument: _stratus_v1_GetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  GetAlias(argument: _stratus_v1_GetAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  getAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  getAlias(argument: _stratus_v1_GetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  getAlias(argument: _stratus_v1_GetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  getAlias(argument: _stratus_v1_GetAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * By name; paginated.
   */
  ListAliases(argument: _stratus_v1_ListAliasesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  ListAliases(argument: _stratus_v1_ListAliasesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  ListAliases(argument: _stratus_v1_ListAliasesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  ListAliases(argument: _stratus_v1_ListAliasesRequest, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * By name; paginated.
   */
  listAliases(argument: _stratus_v1_ListAliasesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  listAliases(argument: _stratus_v1_ListAliasesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  listAliases(argument: _stratus_v1_ListAliasesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  listAliases(argument: _stratus_v1_ListAliasesRequest, callback: grpc.requestCallback<_stratus_v1_ListAliasesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * $LATEST first, then the versions by number; paginated.
   */
  ListVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  ListVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  ListVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  ListVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * $LATEST first, then the versions by number; paginated.
   */
  listVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  listVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  listVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  listVersionsByFunction(argument: _stratus_v1_ListVersionsByFunctionRequest, callback: grpc.requestCallback<_stratus_v1_ListVersionsByFunctionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Publishes $LATEST as the next version. When neither code nor configuration
   * changed since the last version, returns that version (Lambda's rule).
   * Deleting one: DeleteFunction with a qualifier.
   */
  PublishVersion(argument: _stratus_v1_PublishVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  PublishVersion(argument: _stratus_v1_PublishVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  PublishVersion(argument: _stratus_v1_PublishVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  PublishVersion(argument: _stratus_v1_PublishVersionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Publishes $LATEST as the next version. When neither code nor configuration
   * changed since the last version, returns that version (Lambda's rule).
   * Deleting one: DeleteFunction with a qualifier.
   */
  publishVersion(argument: _stratus_v1_PublishVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  publishVersion(argument: _stratus_v1_PublishVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  publishVersion(argument: _stratus_v1_PublishVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  publishVersion(argument: _stratus_v1_PublishVersionRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * Fields left unset keep their value.
   */
  UpdateAlias(argument: _stratus_v1_UpdateAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateAlias(argument: _stratus_v1_UpdateAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateAlias(argument: _stratus_v1_UpdateAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  UpdateAlias(argument: _stratus_v1_UpdateAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Fields left unset keep their value.
   */
  updateAlias(argument: _stratus_v1_UpdateAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  updateAlias(argument: _stratus_v1_UpdateAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  updateAlias(argument: _stratus_v1_UpdateAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  updateAlias(argument: _stratus_v1_UpdateAliasRequest, callback: grpc.requestCallback<_stratus_v1_AliasConfiguration__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Lambda's versions and aliases. A version is an immutable snapshot of a
 * function's code and configuration, numbered 1, 2, 3… per function ($LATEST
 * stays mutable); an alias names a version and may route a share of calls to
 * a second one. Invoke, GetFunction, DeleteFunction and provisioned
 * concurrency take either as a qualifier ("fn:3", "fn:prod").
 */
export interface VersionsHandlers extends grpc.UntypedServiceImplementation {
  CreateAlias: grpc.handleUnaryCall<_stratus_v1_CreateAliasRequest__Output, _stratus_v1_AliasConfiguration>;
  
  DeleteAlias: grpc.handleUnaryCall<_stratus_v1_GetAliasRequest__Output, _stratus_v1_DeleteAliasResponse>;
  
  GetAlias: grpc.handleUnaryCall<_stratus_v1_GetAliasRequest__Output, _stratus_v1_AliasConfiguration>;
  
  /**
   * By name; paginated.
   */
  ListAliases: grpc.handleUnaryCall<_stratus_v1_ListAliasesRequest__Output, _stratus_v1_ListAliasesResponse>;
  
  /**
   * $LATEST first, then the versions by number; paginated.
   */
  ListVersionsByFunction: grpc.handleUnaryCall<_stratus_v1_ListVersionsByFunctionRequest__Output, _stratus_v1_ListVersionsByFunctionResponse>;
  
  /**
   * Publishes $LATEST as the next version. When neither code nor configuration
   * changed since the last version, returns that version (Lambda's rule).
   * Deleting one: DeleteFunction with a qualifier.
   */
  PublishVersion: grpc.handleUnaryCall<_stratus_v1_PublishVersionRequest__Output, _stratus_v1_FunctionConfiguration>;
  
  /**
   * Fields left unset keep their value.
   */
  UpdateAlias: grpc.handleUnaryCall<_stratus_v1_UpdateAliasRequest__Output, _stratus_v1_AliasConfiguration>;
  
}

export interface VersionsDefinition extends grpc.ServiceDefinition {
  CreateAlias: MethodDefinition<_stratus_v1_CreateAliasRequest, _stratus_v1_AliasConfiguration, _stratus_v1_CreateAliasRequest__Output, _stratus_v1_AliasConfiguration__Output>
  DeleteAlias: MethodDefinition<_stratus_v1_GetAliasRequest, _stratus_v1_DeleteAliasResponse, _stratus_v1_GetAliasRequest__Output, _stratus_v1_DeleteAliasResponse__Output>
  GetAlias: MethodDefinition<_stratus_v1_GetAliasRequest, _stratus_v1_AliasConfiguration, _stratus_v1_GetAliasRequest__Output, _stratus_v1_AliasConfiguration__Output>
  ListAliases: MethodDefinition<_stratus_v1_ListAliasesRequest, _stratus_v1_ListAliasesResponse, _stratus_v1_ListAliasesRequest__Output, _stratus_v1_ListAliasesResponse__Output>
  ListVersionsByFunction: MethodDefinition<_stratus_v1_ListVersionsByFunctionRequest, _stratus_v1_ListVersionsByFunctionResponse, _stratus_v1_ListVersionsByFunctionRequest__Output, _stratus_v1_ListVersionsByFunctionResponse__Output>
  PublishVersion: MethodDefinition<_stratus_v1_PublishVersionRequest, _stratus_v1_FunctionConfiguration, _stratus_v1_PublishVersionRequest__Output, _stratus_v1_FunctionConfiguration__Output>
  UpdateAlias: MethodDefinition<_stratus_v1_UpdateAliasRequest, _stratus_v1_AliasConfiguration, _stratus_v1_UpdateAliasRequest__Output, _stratus_v1_AliasConfiguration__Output>
}
