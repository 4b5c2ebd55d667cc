// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AsyncInvocation as _stratus_v1_AsyncInvocation, AsyncInvocation__Output as _stratus_v1_AsyncInvocation__Output } from './stratus/v1/AsyncInvocation.js';
import type { AsyncInvocationRequest as _stratus_v1_AsyncInvocationRequest, AsyncInvocationRequest__Output as _stratus_v1_AsyncInvocationRequest__Output } from './stratus/v1/AsyncInvocationRequest.js';
import type { AsyncInvocationsClient as _stratus_v1_AsyncInvocationsClient, AsyncInvocationsDefinition as _stratus_v1_AsyncInvocationsDefinition } from './stratus/v1/AsyncInvocations.js';
import type { DeleteFunctionEventInvokeConfigResponse as _stratus_v1_DeleteFunctionEventInvokeConfigResponse, DeleteFunctionEventInvokeConfigResponse__Output as _stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output } from './stratus/v1/DeleteFunctionEventInvokeConfigResponse.js';
import type { DestinationConfig as _stratus_v1_DestinationConfig, DestinationConfig__Output as _stratus_v1_DestinationConfig__Output } from './stratus/v1/DestinationConfig.js';
import type { DestinationTarget as _stratus_v1_DestinationTarget, DestinationTarget__Output as _stratus_v1_DestinationTarget__Output } from './stratus/v1/DestinationTarget.js';
import type { FunctionEventInvokeConfig as _stratus_v1_FunctionEventInvokeConfig, FunctionEventInvokeConfig__Output as _stratus_v1_FunctionEventInvokeConfig__Output } from './stratus/v1/FunctionEventInvokeConfig.js';
import type { GetFunctionEventInvokeConfigRequest as _stratus_v1_GetFunctionEventInvokeConfigRequest, GetFunctionEventInvokeConfigRequest__Output as _stratus_v1_GetFunctionEventInvokeConfigRequest__Output } from './stratus/v1/GetFunctionEventInvokeConfigRequest.js';
import type { ListFunctionEventInvokeConfigsRequest as _stratus_v1_ListFunctionEventInvokeConfigsRequest, ListFunctionEventInvokeConfigsRequest__Output as _stratus_v1_ListFunctionEventInvokeConfigsRequest__Output } from './stratus/v1/ListFunctionEventInvokeConfigsRequest.js';
import type { ListFunctionEventInvokeConfigsResponse as _stratus_v1_ListFunctionEventInvokeConfigsResponse, ListFunctionEventInvokeConfigsResponse__Output as _stratus_v1_ListFunctionEventInvokeConfigsResponse__Output } from './stratus/v1/ListFunctionEventInvokeConfigsResponse.js';
import type { PutFunctionEventInvokeConfigRequest as _stratus_v1_PutFunctionEventInvokeConfigRequest, PutFunctionEventInvokeConfigRequest__Output as _stratus_v1_PutFunctionEventInvokeConfigRequest__Output } from './stratus/v1/PutFunctionEventInvokeConfigRequest.js';
import type { RedriveAsyncInvocationsRequest as _stratus_v1_RedriveAsyncInvocationsRequest, RedriveAsyncInvocationsRequest__Output as _stratus_v1_RedriveAsyncInvocationsRequest__Output } from './stratus/v1/RedriveAsyncInvocationsRequest.js';
import type { RedriveAsyncInvocationsResponse as _stratus_v1_RedriveAsyncInvocationsResponse, RedriveAsyncInvocationsResponse__Output as _stratus_v1_RedriveAsyncInvocationsResponse__Output } from './stratus/v1/RedriveAsyncInvocationsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      AsyncInvocation: MessageTypeDefinition<_stratus_v1_AsyncInvocation, _stratus_v1_AsyncInvocation__Output>
      AsyncInvocationRequest: MessageTypeDefinition<_stratus_v1_AsyncInvocationRequest, _stratus_v1_AsyncInvocationRequest__Output>
      /**
       * Asynchronous invocations (Invoke with invocation_type EVENT): how each
       * function handles them (Lambda's FunctionEventInvokeConfig), and what became
       * of each accepted event, by its request id.
       */
      AsyncInvocations: SubtypeConstructor<typeof grpc.Client, _stratus_v1_AsyncInvocationsClient> & { service: _stratus_v1_AsyncInvocationsDefinition }
      DeleteFunctionEventInvokeConfigResponse: MessageTypeDefinition<_stratus_v1_DeleteFunctionEventInvokeConfigResponse, _stratus_v1_DeleteFunctionEventInvokeConfigResponse__Output>
      DestinationConfig: MessageTypeDefinition<_stratus_v1_DestinationConfig, _stratus_v1_DestinationConfig__Output>
      DestinationTarget: MessageTypeDefinition<_stratus_v1_DestinationTarget, _stratus_v1_DestinationTarget__Output>
      FunctionEventInvokeConfig: MessageTypeDefinition<_stratus_v1_FunctionEventInvokeConfig, _stratus_v1_FunctionEventInvokeConfig__Output>
      GetFunctionEventInvokeConfigRequest: MessageTypeDefinition<_stratus_v1_GetFunctionEventInvokeConfigRequest, _stratus_v1_GetFunctionEventInvokeConfigRequest__Output>
      ListFunctionEventInvokeConfigsRequest: MessageTypeDefinition<_stratus_v1_ListFunctionEventInvokeConfigsRequest, _stratus_v1_ListFunctionEventInvokeConfigsRequest__Output>
      ListFunctionEventInvokeConfigsResponse: MessageTypeDefinition<_stratus_v1_ListFunctionEventInvokeConfigsResponse, _stratus_v1_ListFunctionEventInvokeConfigsResponse__Output>
      PutFunctionEventInvokeConfigRequest: MessageTypeDefinition<_stratus_v1_PutFunctionEventInvokeConfigRequest, _stratus_v1_PutFunctionEventInvokeConfigRequest__Output>
      RedriveAsyncInvocationsRequest: MessageTypeDefinition<_stratus_v1_RedriveAsyncInvocationsRequest, _stratus_v1_RedriveAsyncInvocationsRequest__Output>
      RedriveAsyncInvocationsResponse: MessageTypeDefinition<_stratus_v1_RedriveAsyncInvocationsResponse, _stratus_v1_RedriveAsyncInvocationsResponse__Output>
    }
  }
}

