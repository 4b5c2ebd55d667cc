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
  'lastHeartbeatMs'?: (number | string | Long);
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
  'lastHeartbeatMs': (number);
  'state': (string);
}
