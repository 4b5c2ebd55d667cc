// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { Long } from '@grpc/proto-loader';

export interface PublishVersionRequest {
  'functionName'?: (string);
  /**
   * The version's own description. Empty: the function's.
   */
  'description'?: (string);
  /**
   * Publish only if $LATEST's code has this hash (hex SHA-256, as
   * FunctionConfiguration.code_sha256); empty: any.
   */
  'codeSha256'?: (string);
  /**
   * Publish only if $LATEST is still at this revision (FunctionConfiguration.revision); 0: any.
   */
  'revision'?: (number | string | Long);
}

export interface PublishVersionRequest__Output {
  'functionName': (string);
  /**
   * The version's own description. Empty: the function's.
   */
  'description': (string);
  /**
   * Publish only if $LATEST's code has this hash (hex SHA-256, as
   * FunctionConfiguration.code_sha256); empty: any.
   */
  'codeSha256': (string);
  /**
   * Publish only if $LATEST is still at this revision (FunctionConfiguration.revision); 0: any.
   */
  'revision': (number);
}
