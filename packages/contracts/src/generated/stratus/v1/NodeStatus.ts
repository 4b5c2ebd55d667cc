// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type { WarmFunction as _stratus_v1_WarmFunction, WarmFunction__Output as _stratus_v1_WarmFunction__Output } from '../../stratus/v1/WarmFunction.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeStatus {
  'nodeId'?: (string);
  'host'?: (string);
  'pid'?: (number);
  'memoryBudgetMb'?: (number);
  'memoryUsedMb'?: (number);
  'maxInFlight'?: (number);
  'inFlight'?: (number);
  'warmIsolates'?: (number);
  'functions'?: (_stratus_v1_WarmFunction)[];
  'registeredAtMs'?: (number | string | Long);
  /**
   * When the frontend answering received the node's latest heartbeat, by the frontend's clock.
   */
  'lastHeartbeatMs'?: (number | string | Long);
  /**
   * "starting", "running" or "draining" as the node reports it; "registering"
   * while a node that still heartbeats is restoring its registration in etcd
   * (placement keeps using it meanwhile).
   */
  'state'?: (string);
}

export interface NodeStatus__Output {
  'nodeId': (string);
  'host': (string);
  'pid': (number);
  'memoryBudgetMb': (number);
  'memoryUsedMb': (number);
  'maxInFlight': (number);
  'inFlight': (number);
  'warmIsolates': (number);
  'functions': (_stratus_v1_WarmFunction__Output)[];
  'registeredAtMs': (number);
  /**
   * When the frontend answering received the node's latest heartbeat, by the frontend's clock.
   */
  'lastHeartbeatMs': (number);
  /**
   * "starting", "running" or "draining" as the node reports it; "registering"
   * while a node that still heartbeats is restoring its registration in etcd
   * (placement keeps using it meanwhile).
   */
  'state': (string);
}
