// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Bucket as _stratus_v1_Bucket, Bucket__Output as _stratus_v1_Bucket__Output } from '../../stratus/v1/Bucket.js';
import type { BucketNotificationConfiguration as _stratus_v1_BucketNotificationConfiguration, BucketNotificationConfiguration__Output as _stratus_v1_BucketNotificationConfiguration__Output } from '../../stratus/v1/BucketNotificationConfiguration.js';
import type { BucketRequest as _stratus_v1_BucketRequest, BucketRequest__Output as _stratus_v1_BucketRequest__Output } from '../../stratus/v1/BucketRequest.js';
import type { DeleteBucketResponse as _stratus_v1_DeleteBucketResponse, DeleteBucketResponse__Output as _stratus_v1_DeleteBucketResponse__Output } from '../../stratus/v1/DeleteBucketResponse.js';
import type { DeleteObjectResponse as _stratus_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _stratus_v1_DeleteObjectResponse__Output } from '../../stratus/v1/DeleteObjectResponse.js';
import type { GetObjectResponse as _stratus_v1_GetObjectResponse, GetObjectResponse__Output as _stratus_v1_GetObjectResponse__Output } from '../../stratus/v1/GetObjectResponse.js';
import type { ListBucketsRequest as _stratus_v1_ListBucketsRequest, ListBucketsRequest__Output as _stratus_v1_ListBucketsRequest__Output } from '../../stratus/v1/ListBucketsRequest.js';
import type { ListBucketsResponse as _stratus_v1_ListBucketsResponse, ListBucketsResponse__Output as _stratus_v1_ListBucketsResponse__Output } from '../../stratus/v1/ListBucketsResponse.js';
import type { ListObjectsRequest as _stratus_v1_ListObjectsRequest, ListObjectsRequest__Output as _stratus_v1_ListObjectsRequest__Output } from '../../stratus/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _stratus_v1_ListObjectsResponse, ListObjectsResponse__Output as _stratus_v1_ListObjectsResponse__Output } from '../../stratus/v1/ListObjectsResponse.js';
import type { ObjectInfo as _stratus_v1_ObjectInfo, ObjectInfo__Output as _stratus_v1_ObjectInfo__Output } from '../../stratus/v1/ObjectInfo.js';
import type { ObjectRequest as _stratus_v1_ObjectRequest, ObjectRequest__Output as _stratus_v1_ObjectRequest__Output } from '../../stratus/v1/ObjectRequest.js';
import type { PutBucketNotificationConfigurationRequest as _stratus_v1_PutBucketNotificationConfigurationRequest, PutBucketNotificationConfigurationRequest__Output as _stratus_v1_PutBucketNotificationConfigurationRequest__Output } from '../../stratus/v1/PutBucketNotificationConfigurationRequest.js';
import type { PutObjectRequest as _stratus_v1_PutObjectRequest, PutObjectRequest__Output as _stratus_v1_PutObjectRequest__Output } from '../../stratus/v1/PutObjectRequest.js';

/**
 * An object store on JetStream object store buckets, with S3's names and
 * rules where they apply, and per-bucket notifications that invoke functions
 * asynchronously with S3's event document.
 */
export interface ObjectsClient extends grpc.Client {
  /**
   * Creates a bucket. Names follow S3's rules (3-63 lowercase letters,
   * digits, '.' and '-', starting and ending with a letter or digit).
   */
  CreateBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  CreateBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  CreateBucket(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  CreateBucket(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a bucket. Names follow S3's rules (3-63 lowercase letters,
   * digits, '.' and '-', starting and ending with a letter or digit).
   */
  createBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  createBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  createBucket(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  createBucket(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_Bucket__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes an empty bucket (FAILED_PRECONDITION BUCKET_NOT_EMPTY otherwise) and its notification configuration.
   */
  DeleteBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  DeleteBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  DeleteBucket(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  DeleteBucket(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes an empty bucket (FAILED_PRECONDITION BUCKET_NOT_EMPTY otherwise) and its notification configuration.
   */
  deleteBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  deleteBucket(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  deleteBucket(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  deleteBucket(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_DeleteBucketResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes an object; deleting one that does not exist succeeds, as on S3.
   */
  DeleteObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _stratus_v1_ObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _stratus_v1_ObjectRequest, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes an object; deleting one that does not exist succeeds, as on S3.
   */
  deleteObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _stratus_v1_ObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _stratus_v1_ObjectRequest, callback: grpc.requestCallback<_stratus_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  
  GetBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  GetBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  GetBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  GetBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  getBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  getBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  getBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  getBucketNotificationConfiguration(argument: _stratus_v1_BucketRequest, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * The object's info first, then its body in chunks.
   */
  GetObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_GetObjectResponse__Output>;
  GetObject(argument: _stratus_v1_ObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_GetObjectResponse__Output>;
  /**
   * The object's info first, then its body in chunks.
   */
  getObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_GetObjectResponse__Output>;
  getObject(argument: _stratus_v1_ObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_GetObjectResponse__Output>;
  
  HeadObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  HeadObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  HeadObject(argument: _stratus_v1_ObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  HeadObject(argument: _stratus_v1_ObjectRequest, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  headObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  headObject(argument: _stratus_v1_ObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  headObject(argument: _stratus_v1_ObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  headObject(argument: _stratus_v1_ObjectRequest, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  
  ListBuckets(argument: _stratus_v1_ListBucketsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  ListBuckets(argument: _stratus_v1_ListBucketsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  ListBuckets(argument: _stratus_v1_ListBucketsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  ListBuckets(argument: _stratus_v1_ListBucketsRequest, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  listBuckets(argument: _stratus_v1_ListBucketsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  listBuckets(argument: _stratus_v1_ListBucketsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  listBuckets(argument: _stratus_v1_ListBucketsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  listBuckets(argument: _stratus_v1_ListBucketsRequest, callback: grpc.requestCallback<_stratus_v1_ListBucketsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Objects in key order (UTF-8 bytes), at most max_keys (default and most 1000) per page.
   */
  ListObjects(argument: _stratus_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _stratus_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _stratus_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _stratus_v1_ListObjectsRequest, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Objects in key order (UTF-8 bytes), at most max_keys (default and most 1000) per page.
   */
  listObjects(argument: _stratus_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _stratus_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _stratus_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _stratus_v1_ListObjectsRequest, callback: grpc.requestCallback<_stratus_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces the bucket's whole notification configuration (S3's PutBucketNotificationConfiguration).
   */
  PutBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  PutBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  PutBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  PutBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces the bucket's whole notification configuration (S3's PutBucketNotificationConfiguration).
   */
  putBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  putBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  putBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  putBucketNotificationConfiguration(argument: _stratus_v1_PutBucketNotificationConfigurationRequest, callback: grpc.requestCallback<_stratus_v1_BucketNotificationConfiguration__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stores an object: the first message is the header, every other one a chunk of the body, in order.
   */
  PutObject(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  PutObject(metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  PutObject(options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  PutObject(callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  /**
   * Stores an object: the first message is the header, every other one a chunk of the body, in order.
   */
  putObject(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  putObject(metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  putObject(options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  putObject(callback: grpc.requestCallback<_stratus_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_stratus_v1_PutObjectRequest>;
  
}

/**
 * An object store on JetStream object store buckets, with S3's names and
 * rules where they apply, and per-bucket notifications that invoke functions
 * asynchronously with S3's event document.
 */
export interface ObjectsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates a bucket. Names follow S3's rules (3-63 lowercase letters,
   * digits, '.' and '-', starting and ending with a letter or digit).
   */
  CreateBucket: grpc.handleUnaryCall<_stratus_v1_BucketRequest__Output, _stratus_v1_Bucket>;
  
  /**
   * Deletes an empty bucket (FAILED_PRECONDITION BUCKET_NOT_EMPTY otherwise) and its notification configuration.
   */
  DeleteBucket: grpc.handleUnaryCall<_stratus_v1_BucketRequest__Output, _stratus_v1_DeleteBucketResponse>;
  
  /**
   * Deletes an object; deleting one that does not exist succeeds, as on S3.
   */
  DeleteObject: grpc.handleUnaryCall<_stratus_v1_ObjectRequest__Output, _stratus_v1_DeleteObjectResponse>;
  
  GetBucketNotificationConfiguration: grpc.handleUnaryCall<_stratus_v1_BucketRequest__Output, _stratus_v1_BucketNotificationConfiguration>;
  
  /**
   * The object's info first, then its body in chunks.
   */
  GetObject: grpc.handleServerStreamingCall<_stratus_v1_ObjectRequest__Output, _stratus_v1_GetObjectResponse>;
  
  HeadObject: grpc.handleUnaryCall<_stratus_v1_ObjectRequest__Output, _stratus_v1_ObjectInfo>;
  
  ListBuckets: grpc.handleUnaryCall<_stratus_v1_ListBucketsRequest__Output, _stratus_v1_ListBucketsResponse>;
  
  /**
   * Objects in key order (UTF-8 bytes), at most max_keys (default and most 1000) per page.
   */
  ListObjects: grpc.handleUnaryCall<_stratus_v1_ListObjectsRequest__Output, _stratus_v1_ListObjectsResponse>;
  
  /**
   * Replaces the bucket's whole notification configuration (S3's PutBucketNotificationConfiguration).
   */
  PutBucketNotificationConfiguration: grpc.handleUnaryCall<_stratus_v1_PutBucketNotificationConfigurationRequest__Output, _stratus_v1_BucketNotificationConfiguration>;
  
  /**
   * Stores an object: the first message is the header, every other one a chunk of the body, in order.
   */
  PutObject: grpc.handleClientStreamingCall<_stratus_v1_PutObjectRequest__Output, _stratus_v1_ObjectInfo>;
  
}

export interface ObjectsDefinition extends grpc.ServiceDefinition {
  CreateBucket: MethodDefinition<_stratus_v1_BucketRequest, _stratus_v1_Bucket, _stratus_v1_BucketRequest__Output, _stratus_v1_Bucket__Output>
  DeleteBucket: MethodDefinition<_stratus_v1_BucketRequest, _stratus_v1_DeleteBucketResponse, _stratus_v1_BucketRequest__Output, _stratus_v1_DeleteBucketResponse__Output>
  DeleteObject: MethodDefinition<_stratus_v1_ObjectRequest, _stratus_v1_DeleteObjectResponse, _stratus_v1_ObjectRequest__Output, _stratus_v1_DeleteObjectResponse__Output>
  GetBucketNotificationConfiguration: MethodDefinition<_stratus_v1_BucketRequest, _stratus_v1_BucketNotificationConfiguration, _stratus_v1_BucketRequest__Output, _stratus_v1_BucketNotificationConfiguration__Output>
  GetObject: MethodDefinition<_stratus_v1_ObjectRequest, _stratus_v1_GetObjectResponse, _stratus_v1_ObjectRequest__Output, _stratus_v1_GetObjectResponse__Output>
  HeadObject: MethodDefinition<_stratus_v1_ObjectRequest, _stratus_v1_ObjectInfo, _stratus_v1_ObjectRequest__Output, _stratus_v1_ObjectInfo__Output>
  ListBuckets: MethodDefinition<_stratus_v1_ListBucketsRequest, _stratus_v1_ListBucketsResponse, _stratus_v1_ListBucketsRequest__Output, _stratus_v1_ListBucketsResponse__Output>
  ListObjects: MethodDefinition<_stratus_v1_ListObjectsRequest, _stratus_v1_ListObjectsResponse, _stratus_v1_ListObjectsRequest__Output, _stratus_v1_ListObjectsResponse__Output>
  PutBucketNotificationConfiguration: MethodDefinition<_stratus_v1_PutBucketNotificationConfigurationRequest, _stratus_v1_BucketNotificationConfiguration, _stratus_v1_PutBucketNotificationConfigurationRequest__Output, _stratus_v1_BucketNotificationConfiguration__Output>
  PutObject: MethodDefinition<_stratus_v1_PutObjectRequest, _stratus_v1_ObjectInfo, _stratus_v1_PutObjectRequest__Output, _stratus_v1_ObjectInfo__Output>
}
