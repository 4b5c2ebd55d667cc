// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface FunctionConcurrency {
  'functionName'?: (string);
  'hasReservation'?: (boolean);
  'reservedConcurrentExecutions'?: (number);
  /**
   * Executions running now across the cluster, from the nodes' heartbeats.
   */
  'inFlight'?: (number);
}

export interface FunctionConcurrency__Output {
  'functionName': (string);
  'hasReservation': (boolean);
  'reservedConcurrentExecutions': (number);
  /**
   * Executions running now across the cluster, from the nodes' heartbeats.
   */
  'inFlight': (number);
}
