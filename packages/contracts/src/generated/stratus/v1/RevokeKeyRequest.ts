// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto


export interface RevokeKeyRequest {
  'keyId'?: (string);
}

export interface RevokeKeyRequest__Output {
  'keyId': (string);
}
