// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


/**
 * Lambda's LoggingConfig: how the function's logs are formatted and filtered.
 */
export interface LoggingConfig {
  /**
   * "Text" (default when empty) or "JSON".
   */
  'logFormat'?: (string);
  /**
   * With JSON only: TRACE, DEBUG, INFO, WARN, ERROR or FATAL; console calls
   * below it are dropped inside the isolate. Default INFO with JSON.
   */
  'applicationLogLevel'?: (string);
  /**
   * With JSON only: DEBUG, INFO or WARN; platform events (platform.*) below
   * it are left out. Default INFO with JSON.
   */
  'systemLogLevel'?: (string);
  /**
   * The log group name the function sees (context.logGroupName,
   * AWS_LAMBDA_LOG_GROUP_NAME). Default (when empty) /aws/lambda/<name>.
   */
  'logGroup'?: (string);
}

/**
 * Lambda's LoggingConfig: how the function's logs are formatted and filtered.
 */
export interface LoggingConfig__Output {
  /**
   * "Text" (default when empty) or "JSON".
   */
  'logFormat': (string);
  /**
   * With JSON only: TRACE, DEBUG, INFO, WARN, ERROR or FATAL; console calls
   * below it are dropped inside the isolate. Default INFO with JSON.
   */
  'applicationLogLevel': (string);
  /**
   * With JSON only: DEBUG, INFO or WARN; platform events (platform.*) below
   * it are left out. Default INFO with JSON.
   */
  'systemLogLevel': (string);
  /**
   * The log group name the function sees (context.logGroupName,
   * AWS_LAMBDA_LOG_GROUP_NAME). Default (when empty) /aws/lambda/<name>.
   */
  'logGroup': (string);
}
