// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type { NodeStatus as _stratus_v1_NodeStatus, NodeStatus__Output as _stratus_v1_NodeStatus__Output } from '../../stratus/v1/NodeStatus.js';

export interface ListNodesResponse {
  'nodes'?: (_stratus_v1_NodeStatus)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_stratus_v1_NodeStatus__Output)[];
}
