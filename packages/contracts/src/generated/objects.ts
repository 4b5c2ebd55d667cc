// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Bucket as _stratus_v1_Bucket, Bucket__Output as _stratus_v1_Bucket__Output } from './stratus/v1/Bucket.js';
import type { BucketNotificationConfiguration as _stratus_v1_BucketNotificationConfiguration, BucketNotificationConfiguration__Output as _stratus_v1_BucketNotificationConfiguration__Output } from './stratus/v1/BucketNotificationConfiguration.js';
import type { BucketRequest as _stratus_v1_BucketRequest, BucketRequest__Output as _stratus_v1_BucketRequest__Output } from './stratus/v1/BucketRequest.js';
import type { DeleteBucketResponse as _stratus_v1_DeleteBucketResponse, DeleteBucketResponse__Output as _stratus_v1_DeleteBucketResponse__Output } from './stratus/v1/DeleteBucketResponse.js';
import type { DeleteObjectResponse as _stratus_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _stratus_v1_DeleteObjectResponse__Output } from './stratus/v1/DeleteObjectResponse.js';
import type { GetObjectResponse as _stratus_v1_GetObjectResponse, GetObjectResponse__Output as _stratus_v1_GetObjectResponse__Output } from './stratus/v1/GetObjectResponse.js';
import type { LambdaFunctionConfiguration as _stratus_v1_LambdaFunctionConfiguration, LambdaFunctionConfiguration__Output as _stratus_v1_LambdaFunctionConfiguration__Output } from './stratus/v1/LambdaFunctionConfiguration.js';
import type { ListBucketsRequest as _stratus_v1_ListBucketsRequest, ListBucketsRequest__Output as _stratus_v1_ListBucketsRequest__Output } from './stratus/v1/ListBucketsRequest.js';
import type { ListBucketsResponse as _stratus_v1_ListBucketsResponse, ListBucketsResponse__Output as _stratus_v1_ListBucketsResponse__Output } from './stratus/v1/ListBucketsResponse.js';
import type { ListObjectsRequest as _stratus_v1_ListObjectsRequest, ListObjectsRequest__Output as _stratus_v1_ListObjectsRequest__Output } from './stratus/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _stratus_v1_ListObjectsResponse, ListObjectsResponse__Output as _stratus_v1_ListObjectsResponse__Output } from './stratus/v1/ListObjectsResponse.js';
import type { ObjectInfo as _stratus_v1_ObjectInfo, ObjectInfo__Output as _stratus_v1_ObjectInfo__Output } from './stratus/v1/ObjectInfo.js';
import type { ObjectRequest as _stratus_v1_ObjectRequest, ObjectRequest__Output as _stratus_v1_ObjectRequest__Output } from './stratus/v1/ObjectRequest.js';
import type { ObjectsClient as _stratus_v1_ObjectsClient, ObjectsDefinition as _stratus_v1_ObjectsDefinition } from './stratus/v1/Objects.js';
import type { PutBucketNotificationConfigurationRequest as _stratus_v1_PutBucketNotificationConfigurationRequest, PutBucketNotificationConfigurationRequest__Output as _stratus_v1_PutBucketNotificationConfigurationRequest__Output } from './stratus/v1/PutBucketNotificationConfigurationRequest.js';
import type { PutObjectHeader as _stratus_v1_PutObjectHeader, PutObjectHeader__Output as _stratus_v1_PutObjectHeader__Output } from './stratus/v1/PutObjectHeader.js';
import type { PutObjectRequest as _stratus_v1_PutObjectRequest, PutObjectRequest__Output as _stratus_v1_PutObjectRequest__Output } from './stratus/v1/PutObjectRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      Bucket: MessageTypeDefinition<_stratus_v1_Bucket, _stratus_v1_Bucket__Output>
      BucketNotificationConfiguration: MessageTypeDefinition<_stratus_v1_BucketNotificationConfiguration, _stratus_v1_BucketNotificationConfiguration__Output>
      BucketRequest: MessageTypeDefinition<_stratus_v1_BucketRequest, _stratus_v1_BucketRequest__Output>
      DeleteBucketResponse: MessageTypeDefinition<_stratus_v1_DeleteBucketResponse, _stratus_v1_DeleteBucketResponse__Output>
      DeleteObjectResponse: MessageTypeDefinition<_stratus_v1_DeleteObjectResponse, _stratus_v1_DeleteObjectResponse__Output>
      GetObjectResponse: MessageTypeDefinition<_stratus_v1_GetObjectResponse, _stratus_v1_GetObjectResponse__Output>
      LambdaFunctionConfiguration: MessageTypeDefinition<_stratus_v1_LambdaFunctionConfiguration, _stratus_v1_LambdaFunctionConfiguration__Output>
      ListBucketsRequest: MessageTypeDefinition<_stratus_v1_ListBucketsRequest, _stratus_v1_ListBucketsRequest__Output>
      ListBucketsResponse: MessageTypeDefinition<_stratus_v1_ListBucketsResponse, _stratus_v1_ListBucketsResponse__Output>
      ListObjectsRequest: MessageTypeDefinition<_stratus_v1_ListObjectsRequest, _stratus_v1_ListObjectsRequest__Output>
      ListObjectsResponse: MessageTypeDefinition<_stratus_v1_ListObjectsResponse, _stratus_v1_ListObjectsResponse__Output>
      ObjectInfo: MessageTypeDefinition<_stratus_v1_ObjectInfo, _stratus_v1_ObjectInfo__Output>
      ObjectRequest: MessageTypeDefinition<_stratus_v1_ObjectRequest, _stratus_v1_ObjectRequest__Output>
      /**
       * An object store on JetStream object store buckets, with S3's names and
       * rules where they apply, and per-bucket notifications that invoke functions
       * asynchronously with S3's event document.
       */
      Objects: SubtypeConstructor<typeof grpc.Client, _stratus_v1_ObjectsClient> & { service: _stratus_v1_ObjectsDefinition }
      PutBucketNotificationConfigurationRequest: MessageTypeDefinition<_stratus_v1_PutBucketNotificationConfigurationRequest, _stratus_v1_PutBucketNotificationConfigurationRequest__Output>
      PutObjectHeader: MessageTypeDefinition<_stratus_v1_PutObjectHeader, _stratus_v1_PutObjectHeader__Output>
      PutObjectRequest: MessageTypeDefinition<_stratus_v1_PutObjectRequest, _stratus_v1_PutObjectRequest__Output>
    }
  }
}

