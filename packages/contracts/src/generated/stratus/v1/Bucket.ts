// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


export interface Bucket {
  'name'?: (string);
  /**
   * ISO 8601.
   */
  'creationDate'?: (string);
  /**
   * arn:aws:s3:::NAME
   */
  'arn'?: (string);
}

export interface Bucket__Output {
  'name': (string);
  /**
   * ISO 8601.
   */
  'creationDate': (string);
  /**
   * arn:aws:s3:::NAME
   */
  'arn': (string);
}
