// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProvisionedConcurrencyConfigRequest as _stratus_v1_GetProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigRequest__Output as _stratus_v1_GetProvisionedConcurrencyConfigRequest__Output } from '../../stratus/v1/GetProvisionedConcurrencyConfigRequest.js';
import type { ProvisionedConcurrencyConfig as _stratus_v1_ProvisionedConcurrencyConfig, ProvisionedConcurrencyConfig__Output as _stratus_v1_ProvisionedConcurrencyConfig__Output } from '../../stratus/v1/ProvisionedConcurrencyConfig.js';
import type { PutProvisionedConcurrencyConfigRequest as _stratus_v1_PutProvisionedConcurrencyConfigRequest, PutProvisionedConcurrencyConfigRequest__Output as _stratus_v1_PutProvisionedConcurrencyConfigRequest__Output } from '../../stratus/v1/PutProvisionedConcurrencyConfigRequest.js';

/**
 * Provisioned concurrency: environments kept initialised across the nodes,
 * so calls up to that many never start cold. Calls beyond it run on demand.
 */
export interface ProvisionedConcurrencyClient extends grpc.Client {
  DeleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  DeleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  DeleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  DeleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  deleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  deleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  deleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  deleteProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  
  GetProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  GetProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  GetProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  GetProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  getProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  getProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  getProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  getProvisionedConcurrencyConfig(argument: _stratus_v1_GetProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  
  PutProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  PutProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  PutProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  PutProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  putProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  putProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  putProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  putProvisionedConcurrencyConfig(argument: _stratus_v1_PutProvisionedConcurrencyConfigRequest, callback: grpc.requestCallback<_stratus_v1_ProvisionedConcurrencyConfig__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Provisioned concurrency: environments kept initialised across the nodes,
 * so calls up to that many never start cold. Calls beyond it run on demand.
 */
export interface ProvisionedConcurrencyHandlers extends grpc.UntypedServiceImplementation {
  DeleteProvisionedConcurrencyConfig: grpc.handleUnaryCall<_stratus_v1_GetProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig>;
  
  GetProvisionedConcurrencyConfig: grpc.handleUnaryCall<_stratus_v1_GetProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig>;
  
  PutProvisionedConcurrencyConfig: grpc.handleUnaryCall<_stratus_v1_PutProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig>;
  
}

export interface ProvisionedConcurrencyDefinition extends grpc.ServiceDefinition {
  DeleteProvisionedConcurrencyConfig: MethodDefinition<_stratus_v1_GetProvisionedConcurrencyConfigRequest, _stratus_v1_ProvisionedConcurrencyConfig, _stratus_v1_GetProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig__Output>
  GetProvisionedConcurrencyConfig: MethodDefinition<_stratus_v1_GetProvisionedConcurrencyConfigRequest, _stratus_v1_ProvisionedConcurrencyConfig, _stratus_v1_GetProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig__Output>
  PutProvisionedConcurrencyConfig: MethodDefinition<_stratus_v1_PutProvisionedConcurrencyConfigRequest, _stratus_v1_ProvisionedConcurrencyConfig, _stratus_v1_PutProvisionedConcurrencyConfigRequest__Output, _stratus_v1_ProvisionedConcurrencyConfig__Output>
}
