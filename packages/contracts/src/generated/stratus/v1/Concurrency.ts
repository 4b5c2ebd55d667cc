// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AccountConcurrency as _stratus_v1_AccountConcurrency, AccountConcurrency__Output as _stratus_v1_AccountConcurrency__Output } from '../../stratus/v1/AccountConcurrency.js';
import type { FunctionConcurrency as _stratus_v1_FunctionConcurrency, FunctionConcurrency__Output as _stratus_v1_FunctionConcurrency__Output } from '../../stratus/v1/FunctionConcurrency.js';
import type { GetAccountConcurrencyRequest as _stratus_v1_GetAccountConcurrencyRequest, GetAccountConcurrencyRequest__Output as _stratus_v1_GetAccountConcurrencyRequest__Output } from '../../stratus/v1/GetAccountConcurrencyRequest.js';
import type { GetFunctionConcurrencyRequest as _stratus_v1_GetFunctionConcurrencyRequest, GetFunctionConcurrencyRequest__Output as _stratus_v1_GetFunctionConcurrencyRequest__Output } from '../../stratus/v1/GetFunctionConcurrencyRequest.js';
import type { PutFunctionConcurrencyRequest as _stratus_v1_PutFunctionConcurrencyRequest, PutFunctionConcurrencyRequest__Output as _stratus_v1_PutFunctionConcurrencyRequest__Output } from '../../stratus/v1/PutFunctionConcurrencyRequest.js';

/**
 * Concurrency: Lambda's account limit and per-function reserved concurrency.
 */
export interface ConcurrencyClient extends grpc.Client {
  /**
   * Removes the reservation: the function draws on the unreserved pool again.
   */
  DeleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  DeleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  DeleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  DeleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  /**
   * Removes the reservation: the function draws on the unreserved pool again.
   */
  deleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  deleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  deleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  deleteFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  
  /**
   * The account limit, what is unreserved, and what is in use now.
   */
  GetAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  GetAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  GetAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  GetAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  /**
   * The account limit, what is unreserved, and what is in use now.
   */
  getAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  getAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  getAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  getAccountConcurrency(argument: _stratus_v1_GetAccountConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_AccountConcurrency__Output>): grpc.ClientUnaryCall;
  
  GetFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  GetFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  GetFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  GetFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  getFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  getFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  getFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  getFunctionConcurrency(argument: _stratus_v1_GetFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reserves concurrency for a function: a guarantee and a cap. 0 disables
   * the function. At least 100 of the account limit always stays unreserved.
   */
  PutFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  PutFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  PutFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  PutFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  /**
   * Reserves concurrency for a function: a guarantee and a cap. 0 disables
   * the function. At least 100 of the account limit always stays unreserved.
   */
  putFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  putFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  putFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  putFunctionConcurrency(argument: _stratus_v1_PutFunctionConcurrencyRequest, callback: grpc.requestCallback<_stratus_v1_FunctionConcurrency__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Concurrency: Lambda's account limit and per-function reserved concurrency.
 */
export interface ConcurrencyHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Removes the reservation: the function draws on the unreserved pool again.
   */
  DeleteFunctionConcurrency: grpc.handleUnaryCall<_stratus_v1_GetFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency>;
  
  /**
   * The account limit, what is unreserved, and what is in use now.
   */
  GetAccountConcurrency: grpc.handleUnaryCall<_stratus_v1_GetAccountConcurrencyRequest__Output, _stratus_v1_AccountConcurrency>;
  
  GetFunctionConcurrency: grpc.handleUnaryCall<_stratus_v1_GetFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency>;
  
  /**
   * Reserves concurrency for a function: a guarantee and a cap. 0 disables
   * the function. At least 100 of the account limit always stays unreserved.
   */
  PutFunctionConcurrency: grpc.handleUnaryCall<_stratus_v1_PutFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency>;
  
}

export interface ConcurrencyDefinition extends grpc.ServiceDefinition {
  DeleteFunctionConcurrency: MethodDefinition<_stratus_v1_GetFunctionConcurrencyRequest, _stratus_v1_FunctionConcurrency, _stratus_v1_GetFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency__Output>
  GetAccountConcurrency: MethodDefinition<_stratus_v1_GetAccountConcurrencyRequest, _stratus_v1_AccountConcurrency, _stratus_v1_GetAccountConcurrencyRequest__Output, _stratus_v1_AccountConcurrency__Output>
  GetFunctionConcurrency: MethodDefinition<_stratus_v1_GetFunctionConcurrencyRequest, _stratus_v1_FunctionConcurrency, _stratus_v1_GetFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency__Output>
  PutFunctionConcurrency: MethodDefinition<_stratus_v1_PutFunctionConcurrencyRequest, _stratus_v1_FunctionConcurrency, _stratus_v1_PutFunctionConcurrencyRequest__Output, _stratus_v1_FunctionConcurrency__Output>
}
