// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { FunctionUsage as _stratus_v1_FunctionUsage, FunctionUsage__Output as _stratus_v1_FunctionUsage__Output } from './stratus/v1/FunctionUsage.js';
import type { GetUsageRequest as _stratus_v1_GetUsageRequest, GetUsageRequest__Output as _stratus_v1_GetUsageRequest__Output } from './stratus/v1/GetUsageRequest.js';
import type { GetUsageResponse as _stratus_v1_GetUsageResponse, GetUsageResponse__Output as _stratus_v1_GetUsageResponse__Output } from './stratus/v1/GetUsageResponse.js';
import type { ListNodesRequest as _stratus_v1_ListNodesRequest, ListNodesRequest__Output as _stratus_v1_ListNodesRequest__Output } from './stratus/v1/ListNodesRequest.js';
import type { ListNodesResponse as _stratus_v1_ListNodesResponse, ListNodesResponse__Output as _stratus_v1_ListNodesResponse__Output } from './stratus/v1/ListNodesResponse.js';
import type { NodeStatus as _stratus_v1_NodeStatus, NodeStatus__Output as _stratus_v1_NodeStatus__Output } from './stratus/v1/NodeStatus.js';
import type { NodesClient as _stratus_v1_NodesClient, NodesDefinition as _stratus_v1_NodesDefinition } from './stratus/v1/Nodes.js';
import type { UsageClient as _stratus_v1_UsageClient, UsageDefinition as _stratus_v1_UsageDefinition } from './stratus/v1/Usage.js';
import type { WarmFunction as _stratus_v1_WarmFunction, WarmFunction__Output as _stratus_v1_WarmFunction__Output } from './stratus/v1/WarmFunction.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      FunctionUsage: MessageTypeDefinition<_stratus_v1_FunctionUsage, _stratus_v1_FunctionUsage__Output>
      GetUsageRequest: MessageTypeDefinition<_stratus_v1_GetUsageRequest, _stratus_v1_GetUsageRequest__Output>
      GetUsageResponse: MessageTypeDefinition<_stratus_v1_GetUsageResponse, _stratus_v1_GetUsageResponse__Output>
      ListNodesRequest: MessageTypeDefinition<_stratus_v1_ListNodesRequest, _stratus_v1_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_stratus_v1_ListNodesResponse, _stratus_v1_ListNodesResponse__Output>
      NodeStatus: MessageTypeDefinition<_stratus_v1_NodeStatus, _stratus_v1_NodeStatus__Output>
      /**
       * The cluster's worker nodes, as the registry in etcd and their heartbeats show them.
       */
      Nodes: SubtypeConstructor<typeof grpc.Client, _stratus_v1_NodesClient> & { service: _stratus_v1_NodesDefinition }
      /**
       * Billing: what the aggregator has counted.
       */
      Usage: SubtypeConstructor<typeof grpc.Client, _stratus_v1_UsageClient> & { service: _stratus_v1_UsageDefinition }
      WarmFunction: MessageTypeDefinition<_stratus_v1_WarmFunction, _stratus_v1_WarmFunction__Output>
    }
  }
}

