// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


export interface FunctionCode {
  /**
   * A zip archive of the function's files, as Lambda takes it.
   */
  'zipFile'?: (Buffer | Uint8Array | string);
}

export interface FunctionCode__Output {
  /**
   * A zip archive of the function's files, as Lambda takes it.
   */
  'zipFile': (Buffer);
}
