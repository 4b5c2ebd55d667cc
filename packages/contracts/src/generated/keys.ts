// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApiKey as _stratus_v1_ApiKey, ApiKey__Output as _stratus_v1_ApiKey__Output } from './stratus/v1/ApiKey.js';
import type { CreateKeyRequest as _stratus_v1_CreateKeyRequest, CreateKeyRequest__Output as _stratus_v1_CreateKeyRequest__Output } from './stratus/v1/CreateKeyRequest.js';
import type { CreateKeyResponse as _stratus_v1_CreateKeyResponse, CreateKeyResponse__Output as _stratus_v1_CreateKeyResponse__Output } from './stratus/v1/CreateKeyResponse.js';
import type { KeysClient as _stratus_v1_KeysClient, KeysDefinition as _stratus_v1_KeysDefinition } from './stratus/v1/Keys.js';
import type { ListKeysRequest as _stratus_v1_ListKeysRequest, ListKeysRequest__Output as _stratus_v1_ListKeysRequest__Output } from './stratus/v1/ListKeysRequest.js';
import type { ListKeysResponse as _stratus_v1_ListKeysResponse, ListKeysResponse__Output as _stratus_v1_ListKeysResponse__Output } from './stratus/v1/ListKeysResponse.js';
import type { RevokeKeyRequest as _stratus_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _stratus_v1_RevokeKeyRequest__Output } from './stratus/v1/RevokeKeyRequest.js';
import type { RevokeKeyResponse as _stratus_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _stratus_v1_RevokeKeyResponse__Output } from './stratus/v1/RevokeKeyResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      ApiKey: MessageTypeDefinition<_stratus_v1_ApiKey, _stratus_v1_ApiKey__Output>
      CreateKeyRequest: MessageTypeDefinition<_stratus_v1_CreateKeyRequest, _stratus_v1_CreateKeyRequest__Output>
      CreateKeyResponse: MessageTypeDefinition<_stratus_v1_CreateKeyResponse, _stratus_v1_CreateKeyResponse__Output>
      /**
       * API keys: every call to the API carries one, as gRPC metadata
       * "authorization: Bearer <key_id>.<secret>". A key has scopes: "invoke",
       * "deploy" (create, update, delete functions), "read" (functions, logs,
       * usage, nodes, concurrency) and "admin" (concurrency settings and keys;
       * implies every other scope). Managing keys needs "admin".
       */
      Keys: SubtypeConstructor<typeof grpc.Client, _stratus_v1_KeysClient> & { service: _stratus_v1_KeysDefinition }
      ListKeysRequest: MessageTypeDefinition<_stratus_v1_ListKeysRequest, _stratus_v1_ListKeysRequest__Output>
      ListKeysResponse: MessageTypeDefinition<_stratus_v1_ListKeysResponse, _stratus_v1_ListKeysResponse__Output>
      RevokeKeyRequest: MessageTypeDefinition<_stratus_v1_RevokeKeyRequest, _stratus_v1_RevokeKeyRequest__Output>
      RevokeKeyResponse: MessageTypeDefinition<_stratus_v1_RevokeKeyResponse, _stratus_v1_RevokeKeyResponse__Output>
    }
  }
}

