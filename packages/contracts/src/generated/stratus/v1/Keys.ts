// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateKeyRequest as _stratus_v1_CreateKeyRequest, CreateKeyRequest__Output as _stratus_v1_CreateKeyRequest__Output } from '../../stratus/v1/CreateKeyRequest.js';
import type { CreateKeyResponse as _stratus_v1_CreateKeyResponse, CreateKeyResponse__Output as _stratus_v1_CreateKeyResponse__Output } from '../../stratus/v1/CreateKeyResponse.js';
import type { ListKeysRequest as _stratus_v1_ListKeysRequest, ListKeysRequest__Output as _stratus_v1_ListKeysRequest__Output } from '../../stratus/v1/ListKeysRequest.js';
import type { ListKeysResponse as _stratus_v1_ListKeysResponse, ListKeysResponse__Output as _stratus_v1_ListKeysResponse__Output } from '../../stratus/v1/ListKeysResponse.js';
import type { RevokeKeyRequest as _stratus_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _stratus_v1_RevokeKeyRequest__Output } from '../../stratus/v1/RevokeKeyRequest.js';
import type { RevokeKeyResponse as _stratus_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _stratus_v1_RevokeKeyResponse__Output } from '../../stratus/v1/RevokeKeyResponse.js';

/**
 * API keys: every call to the API carries one, as gRPC metadata
 * "authorization: Bearer <key_id>.<secret>". A key has scopes: "invoke",
 * "deploy" (create, update, delete functions), "read" (functions, logs,
 * usage, nodes, concurrency) and "admin" (concurrency settings and keys;
 * implies every other scope). Managing keys needs "admin".
 */
export interface KeysClient extends grpc.Client {
  /**
   * Creates a key. Its secret is returned here once and stored only hashed.
   */
  CreateKey(argument: _stratus_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stratus_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stratus_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stratus_v1_CreateKeyRequest, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a key. Its secret is returned here once and stored only hashed.
   */
  createKey(argument: _stratus_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stratus_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stratus_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stratus_v1_CreateKeyRequest, callback: grpc.requestCallback<_stratus_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  
  ListKeys(argument: _stratus_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stratus_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stratus_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stratus_v1_ListKeysRequest, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stratus_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stratus_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stratus_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stratus_v1_ListKeysRequest, callback: grpc.requestCallback<_stratus_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Revokes a key: every frontend refuses it within about a second.
   * NOT_FOUND (KEY_NOT_FOUND) when there is no such key.
   */
  RevokeKey(argument: _stratus_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stratus_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stratus_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stratus_v1_RevokeKeyRequest, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Revokes a key: every frontend refuses it within about a second.
   * NOT_FOUND (KEY_NOT_FOUND) when there is no such key.
   */
  revokeKey(argument: _stratus_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stratus_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stratus_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stratus_v1_RevokeKeyRequest, callback: grpc.requestCallback<_stratus_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * API keys: every call to the API carries one, as gRPC metadata
 * "authorization: Bearer <key_id>.<secret>". A key has scopes: "invoke",
 * "deploy" (create, update, delete functions), "read" (functions, logs,
 * usage, nodes, concurrency) and "admin" (concurrency settings and keys;
 * implies every other scope). Managing keys needs "admin".
 */
export interface KeysHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates a key. Its secret is returned here once and stored only hashed.
   */
  CreateKey: grpc.handleUnaryCall<_stratus_v1_CreateKeyRequest__Output, _stratus_v1_CreateKeyResponse>;
  
  ListKeys: grpc.handleUnaryCall<_stratus_v1_ListKeysRequest__Output, _stratus_v1_ListKeysResponse>;
  
  /**
   * Revokes a key: every frontend refuses it within about a second.
   * NOT_FOUND (KEY_NOT_FOUND) when there is no such key.
   */
  RevokeKey: grpc.handleUnaryCall<_stratus_v1_RevokeKeyRequest__Output, _stratus_v1_RevokeKeyResponse>;
  
}

export interface KeysDefinition extends grpc.ServiceDefinition {
  CreateKey: MethodDefinition<_stratus_v1_CreateKeyRequest, _stratus_v1_CreateKeyResponse, _stratus_v1_CreateKeyRequest__Output, _stratus_v1_CreateKeyResponse__Output>
  ListKeys: MethodDefinition<_stratus_v1_ListKeysRequest, _stratus_v1_ListKeysResponse, _stratus_v1_ListKeysRequest__Output, _stratus_v1_ListKeysResponse__Output>
  RevokeKey: MethodDefinition<_stratus_v1_RevokeKeyRequest, _stratus_v1_RevokeKeyResponse, _stratus_v1_RevokeKeyRequest__Output, _stratus_v1_RevokeKeyResponse__Output>
}
