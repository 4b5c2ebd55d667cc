// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { InvokeRequest as _stratus_v1_InvokeRequest, InvokeRequest__Output as _stratus_v1_InvokeRequest__Output } from './stratus/v1/InvokeRequest.js';
import type { InvokeResponse as _stratus_v1_InvokeResponse, InvokeResponse__Output as _stratus_v1_InvokeResponse__Output } from './stratus/v1/InvokeResponse.js';
import type { InvokerClient as _stratus_v1_InvokerClient, InvokerDefinition as _stratus_v1_InvokerDefinition } from './stratus/v1/Invoker.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      InvocationType: EnumTypeDefinition
      InvokeRequest: MessageTypeDefinition<_stratus_v1_InvokeRequest, _stratus_v1_InvokeRequest__Output>
      InvokeResponse: MessageTypeDefinition<_stratus_v1_InvokeResponse, _stratus_v1_InvokeResponse__Output>
      /**
       * Invoking functions.
       */
      Invoker: SubtypeConstructor<typeof grpc.Client, _stratus_v1_InvokerClient> & { service: _stratus_v1_InvokerDefinition }
      LogType: EnumTypeDefinition
    }
  }
}

