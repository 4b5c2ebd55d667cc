// Message types of the object store service (proto/stratus/v1/objects.proto), as grpc-js hands them over.
import type { Bucket__Output } from './generated/stratus/v1/Bucket.js';
import type { BucketRequest__Output } from './generated/stratus/v1/BucketRequest.js';
import type { BucketNotificationConfiguration__Output } from './generated/stratus/v1/BucketNotificationConfiguration.js';
import type { GetObjectResponse } from './generated/stratus/v1/GetObjectResponse.js';
import type { GetObjectResponse__Output } from './generated/stratus/v1/GetObjectResponse.js';
import type { LambdaFunctionConfiguration__Output } from './generated/stratus/v1/LambdaFunctionConfiguration.js';
import type { ListBucketsResponse__Output } from './generated/stratus/v1/ListBucketsResponse.js';
import type { ListObjectsRequest__Output } from './generated/stratus/v1/ListObjectsRequest.js';
import type { ListObjectsResponse__Output } from './generated/stratus/v1/ListObjectsResponse.js';
import type { ObjectInfo__Output } from './generated/stratus/v1/ObjectInfo.js';
import type { ObjectRequest__Output } from './generated/stratus/v1/ObjectRequest.js';
import type { PutBucketNotificationConfigurationRequest__Output } from './generated/stratus/v1/PutBucketNotificationConfigurationRequest.js';
import type { PutObjectHeader__Output } from './generated/stratus/v1/PutObjectHeader.js';
import type { PutObjectRequest } from './generated/stratus/v1/PutObjectRequest.js';
import type { PutObjectRequest__Output } from './generated/stratus/v1/PutObjectRequest.js';

export type BucketMessage = Bucket__Output;
export type BucketRequestMessage = BucketRequest__Output;
export type BucketNotificationConfigurationMessage = BucketNotificationConfiguration__Output;
export type LambdaFunctionConfigurationMessage = LambdaFunctionConfiguration__Output;
export type ListBucketsResponseMessage = ListBucketsResponse__Output;
export type ListObjectsRequestMessage = ListObjectsRequest__Output;
export type ListObjectsResponseMessage = ListObjectsResponse__Output;
export type ObjectInfoMessage = ObjectInfo__Output;
export type ObjectRequestMessage = ObjectRequest__Output;
export type PutBucketNotificationConfigurationRequestMessage = PutBucketNotificationConfigurationRequest__Output;
export type PutObjectHeaderMessage = PutObjectHeader__Output;
export type PutObjectRequestMessage = PutObjectRequest__Output;
/** What a client sends on a PutObject stream. */
export type PutObjectRequestInput = PutObjectRequest;
export type GetObjectResponseMessage = GetObjectResponse__Output;
/** What the server writes on a GetObject stream. */
export type GetObjectResponseInput = GetObjectResponse;
