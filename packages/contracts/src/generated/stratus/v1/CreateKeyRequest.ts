// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto


export interface CreateKeyRequest {
  /**
   * At least one of "invoke", "deploy", "read", "admin".
   */
  'scopes'?: (string)[];
  'description'?: (string);
}

export interface CreateKeyRequest__Output {
  /**
   * At least one of "invoke", "deploy", "read", "admin".
   */
  'scopes': (string)[];
  'description': (string);
}
