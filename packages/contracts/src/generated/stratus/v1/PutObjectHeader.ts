// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


export interface PutObjectHeader {
  'bucket'?: (string);
  /**
   * 1 to 1024 bytes of UTF-8.
   */
  'key'?: (string);
  /**
   * Default application/octet-stream.
   */
  'contentType'?: (string);
  /**
   * User metadata (S3's x-amz-meta-*): lowercase names of letters, digits and '-', 2 KB of names and values in all.
   */
  'metadata'?: ({[key: string]: string});
  /**
   * How many invocations deep the writer is: a function invoked by a notification at depth N that writes passes N + 1.
   * The notifications this write causes are invoked at this depth, and one deeper than 16 is stopped as a recursive loop.
   */
  'traceDepth'?: (number);
}

export interface PutObjectHeader__Output {
  'bucket': (string);
  /**
   * 1 to 1024 bytes of UTF-8.
   */
  'key': (string);
  /**
   * Default application/octet-stream.
   */
  'contentType': (string);
  /**
   * User metadata (S3's x-amz-meta-*): lowercase names of letters, digits and '-', 2 KB of names and values in all.
   */
  'metadata': ({[key: string]: string});
  /**
   * How many invocations deep the writer is: a function invoked by a notification at depth N that writes passes N + 1.
   * The notifications this write causes are invoked at this depth, and one deeper than 16 is stopped as a recursive loop.
   */
  'traceDepth': (number);
}
