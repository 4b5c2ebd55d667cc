// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


/**
 * S3's LambdaFunctionConfiguration: which changes of the bucket invoke which function.
 */
export interface LambdaFunctionConfiguration {
  /**
   * Default: generated.
   */
  'id'?: (string);
  /**
   * A function name, name:qualifier, or a Lambda function ARN.
   */
  'lambdaFunctionArn'?: (string);
  /**
   * s3:ObjectCreated:*, s3:ObjectCreated:Put, s3:ObjectRemoved:*, s3:ObjectRemoved:Delete.
   */
  'events'?: (string)[];
  /**
   * Filter: keys that start with prefix and end with suffix (each up to 1024 bytes; empty matches all).
   */
  'prefix'?: (string);
  'suffix'?: (string);
}

/**
 * S3's LambdaFunctionConfiguration: which changes of the bucket invoke which function.
 */
export interface LambdaFunctionConfiguration__Output {
  /**
   * Default: generated.
   */
  'id': (string);
  /**
   * A function name, name:qualifier, or a Lambda function ARN.
   */
  'lambdaFunctionArn': (string);
  /**
   * s3:ObjectCreated:*, s3:ObjectCreated:Put, s3:ObjectRemoved:*, s3:ObjectRemoved:Delete.
   */
  'events': (string)[];
  /**
   * Filter: keys that start with prefix and end with suffix (each up to 1024 bytes; empty matches all).
   */
  'prefix': (string);
  'suffix': (string);
}
