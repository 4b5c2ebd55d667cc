// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AccountConcurrency as _stratus_v1_AccountConcurrency, AccountConcurrency__Output as _stratus_v1_AccountConcurrency__Output } from './stratus/v1/AccountConcurrency.js';
import type { ConcurrencyClient as _stratus_v1_ConcurrencyClient, ConcurrencyDefinition as _stratus_v1_ConcurrencyDefinition } from './stratus/v1/Concurrency.js';
import type { CreateFunctionRequest as _stratus_v1_CreateFunctionRequest, CreateFunctionRequest__Output as _stratus_v1_CreateFunctionRequest__Output } from './stratus/v1/CreateFunctionRequest.js';
import type { DeleteFunctionRequest as _stratus_v1_DeleteFunctionRequest, DeleteFunctionRequest__Output as _stratus_v1_DeleteFunctionRequest__Output } from './stratus/v1/DeleteFunctionRequest.js';
import type { DeleteFunctionResponse as _stratus_v1_DeleteFunctionResponse, DeleteFunctionResponse__Output as _stratus_v1_DeleteFunctionResponse__Output } from './stratus/v1/DeleteFunctionResponse.js';
import type { EgressConfig as _stratus_v1_EgressConfig, EgressConfig__Output as _stratus_v1_EgressConfig__Output } from './stratus/v1/EgressConfig.js';
import type { FunctionCode as _stratus_v1_FunctionCode, FunctionCode__Output as _stratus_v1_FunctionCode__Output } from './stratus/v1/FunctionCode.js';
import type { FunctionConcurrency as _stratus_v1_FunctionConcurrency, FunctionConcurrency__Output as _stratus_v1_FunctionConcurrency__Output } from './stratus/v1/FunctionConcurrency.js';
import type { FunctionConfiguration as _stratus_v1_FunctionConfiguration, FunctionConfiguration__Output as _stratus_v1_FunctionConfiguration__Output } from './stratus/v1/FunctionConfiguration.js';
import type { FunctionsClient as _stratus_v1_FunctionsClient, FunctionsDefinition as _stratus_v1_FunctionsDefinition } from './stratus/v1/Functions.js';
import type { GetAccountConcurrencyRequest as _stratus_v1_GetAccountConcurrencyRequest, GetAccountConcurrencyRequest__Output as _stratus_v1_GetAccountConcurrencyRequest__Output } from './stratus/v1/GetAccountConcurrencyRequest.js';
import type { GetFunctionConcurrencyRequest as _stratus_v1_GetFunctionConcurrencyRequest, GetFunctionConcurrencyRequest__Output as _stratus_v1_GetFunctionConcurrencyRequest__Output } from './stratus/v1/GetFunctionConcurrencyRequest.js';
import type { GetFunctionRequest as _stratus_v1_GetFunctionRequest, GetFunctionRequest__Output as _stratus_v1_GetFunctionRequest__Output } from './stratus/v1/GetFunctionRequest.js';
import type { GetProvisionedConcurrencyConfigRequest as _stratus_v1_GetProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigRequest__Output as _stratus_v1_GetProvisionedConcurrencyConfigRequest__Output } from './stratus/v1/GetProvisionedConcurrencyConfigRequest.js';
import type { ListFunctionsRequest as _stratus_v1_ListFunctionsRequest, ListFunctionsRequest__Output as _stratus_v1_ListFunctionsRequest__Output } from './stratus/v1/ListFunctionsRequest.js';
import type { ListFunctionsResponse as _stratus_v1_ListFunctionsResponse, ListFunctionsResponse__Output as _stratus_v1_ListFunctionsResponse__Output } from './stratus/v1/ListFunctionsResponse.js';
import type { LoggingConfig as _stratus_v1_LoggingConfig, LoggingConfig__Output as _stratus_v1_LoggingConfig__Output } from './stratus/v1/LoggingConfig.js';
import type { ProvisionedConcurrencyClient as _stratus_v1_ProvisionedConcurrencyClient, ProvisionedConcurrencyDefinition as _stratus_v1_ProvisionedConcurrencyDefinition } from './stratus/v1/ProvisionedConcurrency.js';
import type { ProvisionedConcurrencyConfig as _stratus_v1_ProvisionedConcurrencyConfig, ProvisionedConcurrencyConfig__Output as _stratus_v1_ProvisionedConcurrencyConfig__Output } from './stratus/v1/ProvisionedConcurrencyConfig.js';
import type { PutFunctionConcurrencyRequest as _stratus_v1_PutFunctionConcurrencyRequest, PutFunctionConcurrencyRequest__Output as _stratus_v1_PutFunctionConcurrencyRequest__Output } from './stratus/v1/PutFunctionConcurrencyRequest.js';
import type { PutProvisionedConcurrencyConfigRequest as _stratus_v1_PutProvisionedConcurrencyConfigRequest, PutProvisionedConcurrencyConfigRequest__Output as _stratus_v1_PutProvisionedConcurrencyConfigRequest__Output } from './stratus/v1/PutProvisionedConcurrencyConfigRequest.js';
import type { UpdateFunctionRequest as _stratus_v1_UpdateFunctionRequest, UpdateFunctionRequest__Output as _stratus_v1_UpdateFunctionRequest__Output } from './stratus/v1/UpdateFunctionRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      AccountConcurrency: MessageTypeDefinition<_stratus_v1_AccountConcurrency, _stratus_v1_AccountConcurrency__Output>
      /**
       * Concurrency: Lambda's account limit and per-function reserved concurrency.
       */
      Concurrency: SubtypeConstructor<typeof grpc.Client, _stratus_v1_ConcurrencyClient> & { service: _stratus_v1_ConcurrencyDefinition }
      CreateFunctionRequest: MessageTypeDefinition<_stratus_v1_CreateFunctionRequest, _stratus_v1_CreateFunctionRequest__Output>
      DeleteFunctionRequest: MessageTypeDefinition<_stratus_v1_DeleteFunctionRequest, _stratus_v1_DeleteFunctionRequest__Output>
      DeleteFunctionResponse: MessageTypeDefinition<_stratus_v1_DeleteFunctionResponse, _stratus_v1_DeleteFunctionResponse__Output>
      EgressConfig: MessageTypeDefinition<_stratus_v1_EgressConfig, _stratus_v1_EgressConfig__Output>
      FunctionCode: MessageTypeDefinition<_stratus_v1_FunctionCode, _stratus_v1_FunctionCode__Output>
      FunctionConcurrency: MessageTypeDefinition<_stratus_v1_FunctionConcurrency, _stratus_v1_FunctionConcurrency__Output>
      FunctionConfiguration: MessageTypeDefinition<_stratus_v1_FunctionConfiguration, _stratus_v1_FunctionConfiguration__Output>
      /**
       * Function management: the control API for what a user deploys.
       * Configuration lives in etcd; code bundles live in the JetStream object
       * store by content hash.
       */
      Functions: SubtypeConstructor<typeof grpc.Client, _stratus_v1_FunctionsClient> & { service: _stratus_v1_FunctionsDefinition }
      GetAccountConcurrencyRequest: MessageTypeDefinition<_stratus_v1_GetAccountConcurrencyRequest, _stratus_v1_GetAccountConcurrencyRequest__Output>
      GetFunctionConcurrencyRequest: MessageTypeDefinition<_stratus_v1_GetFunctionConcurrencyRequest, _stratus_v1_GetFunctionConcurrencyRequest__Output>
      GetFunctionRequest: MessageTypeDefinition<_stratus_v1_GetFunctionRequest, _stratus_v1_GetFunctionRequest__Output>
      GetProvisionedConcurrencyConfigRequest: MessageTypeDefinition<_stratus_v1_GetProvisionedConcurrencyConfigRequest, _stratus_v1_GetProvisionedConcurrencyConfigRequest__Output>
      ListFunctionsRequest: MessageTypeDefinition<_stratus_v1_ListFunctionsRequest, _stratus_v1_ListFunctionsRequest__Output>
      ListFunctionsResponse: MessageTypeDefinition<_stratus_v1_ListFunctionsResponse, _stratus_v1_ListFunctionsResponse__Output>
      LoggingConfig: MessageTypeDefinition<_stratus_v1_LoggingConfig, _stratus_v1_LoggingConfig__Output>
      /**
       * Provisioned concurrency: environments kept initialised across the nodes,
       * so calls up to that many never start cold. Calls beyond it run on demand.
       */
      ProvisionedConcurrency: SubtypeConstructor<typeof grpc.Client, _stratus_v1_ProvisionedConcurrencyClient> & { service: _stratus_v1_ProvisionedConcurrencyDefinition }
      ProvisionedConcurrencyConfig: MessageTypeDefinition<_stratus_v1_ProvisionedConcurrencyConfig, _stratus_v1_ProvisionedConcurrencyConfig__Output>
      PutFunctionConcurrencyRequest: MessageTypeDefinition<_stratus_v1_PutFunctionConcurrencyRequest, _stratus_v1_PutFunctionConcurrencyRequest__Output>
      PutProvisionedConcurrencyConfigRequest: MessageTypeDefinition<_stratus_v1_PutProvisionedConcurrencyConfigRequest, _stratus_v1_PutProvisionedConcurrencyConfigRequest__Output>
      UpdateFunctionRequest: MessageTypeDefinition<_stratus_v1_UpdateFunctionRequest, _stratus_v1_UpdateFunctionRequest__Output>
    }
  }
}

