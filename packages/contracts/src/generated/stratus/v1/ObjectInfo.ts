// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface ObjectInfo {
  'bucket'?: (string);
  'key'?: (string);
  'size'?: (number | string | Long);
  /**
   * The MD5 of the body in hex, quoted, as S3 gives it for a single-part upload.
   */
  'etag'?: (string);
  /**
   * ISO 8601.
   */
  'lastModified'?: (string);
  'contentType'?: (string);
  'metadata'?: ({[key: string]: string});
  /**
   * Increases with every change of the bucket (S3's sequencer, in hex).
   */
  'sequencer'?: (string);
}

export interface ObjectInfo__Output {
  'bucket': (string);
  'key': (string);
  'size': (number);
  /**
   * The MD5 of the body in hex, quoted, as S3 gives it for a single-part upload.
   */
  'etag': (string);
  /**
   * ISO 8601.
   */
  'lastModified': (string);
  'contentType': (string);
  'metadata': ({[key: string]: string});
  /**
   * Increases with every change of the bucket (S3's sequencer, in hex).
   */
  'sequencer': (string);
}
