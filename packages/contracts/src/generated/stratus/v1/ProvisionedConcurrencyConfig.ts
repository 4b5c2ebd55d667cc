// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface ProvisionedConcurrencyConfig {
  'functionName'?: (string);
  'requestedProvisionedConcurrentExecutions'?: (number);
  /**
   * Initialised across the nodes, from their heartbeats.
   */
  'allocatedProvisionedConcurrentExecutions'?: (number);
  /**
   * Allocated and not running a call right now.
   */
  'availableProvisionedConcurrentExecutions'?: (number);
  /**
   * IN_PROGRESS until allocated reaches requested, then READY; NONE without a config.
   */
  'status'?: (string);
}

export interface ProvisionedConcurrencyConfig__Output {
  'functionName': (string);
  'requestedProvisionedConcurrentExecutions': (number);
  /**
   * Initialised across the nodes, from their heartbeats.
   */
  'allocatedProvisionedConcurrentExecutions': (number);
  /**
   * Allocated and not running a call right now.
   */
  'availableProvisionedConcurrentExecutions': (number);
  /**
   * IN_PROGRESS until allocated reaches requested, then READY; NONE without a config.
   */
  'status': (string);
}
