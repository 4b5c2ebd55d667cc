// The gRPC messages under the names the code base uses, as thin aliases of the
// types generated from proto/ (`generated/`, `npm run gen:proto`). Each is the
// generator's `__Output` form: the object grpc-js hands over with
// PROTO_LOADER_OPTIONS (every field present thanks to `defaults`, except
// proto3 `optional` fields, which are absent when unset; 64-bit integers as
// numbers; enums as their names; bytes as Buffers). Code that builds a
// message uses the same strict form, so no field is left out by accident.

import type { FunctionCode__Output } from './generated/stratus/v1/FunctionCode.js';
import type { CreateFunctionRequest__Output } from './generated/stratus/v1/CreateFunctionRequest.js';
import type { UpdateFunctionRequest__Output } from './generated/stratus/v1/UpdateFunctionRequest.js';
import type { FunctionConfiguration__Output } from './generated/stratus/v1/FunctionConfiguration.js';
import type { GetFunctionRequest__Output } from './generated/stratus/v1/GetFunctionRequest.js';
import type { DeleteFunctionRequest__Output } from './generated/stratus/v1/DeleteFunctionRequest.js';
import type { ListFunctionsResponse__Output } from './generated/stratus/v1/ListFunctionsResponse.js';
import type { InvokeRequest__Output } from './generated/stratus/v1/InvokeRequest.js';
import type { InvokeResponse__Output } from './generated/stratus/v1/InvokeResponse.js';
import type { GetUsageRequest__Output } from './generated/stratus/v1/GetUsageRequest.js';
import type { FunctionUsage__Output } from './generated/stratus/v1/FunctionUsage.js';
import type { GetUsageResponse__Output } from './generated/stratus/v1/GetUsageResponse.js';
import type { WarmFunction__Output } from './generated/stratus/v1/WarmFunction.js';
import type { NodeStatus__Output } from './generated/stratus/v1/NodeStatus.js';
import type { ListNodesResponse__Output } from './generated/stratus/v1/ListNodesResponse.js';
import type { PutFunctionConcurrencyRequest__Output } from './generated/stratus/v1/PutFunctionConcurrencyRequest.js';
import type { GetFunctionConcurrencyRequest__Output } from './generated/stratus/v1/GetFunctionConcurrencyRequest.js';
import type { FunctionConcurrency__Output } from './generated/stratus/v1/FunctionConcurrency.js';
import type { AccountConcurrency__Output } from './generated/stratus/v1/AccountConcurrency.js';
import type { GetLogsRequest__Output } from './generated/stratus/v1/GetLogsRequest.js';
import type { LogEvent__Output } from './generated/stratus/v1/LogEvent.js';
import type { GetLogsResponse__Output } from './generated/stratus/v1/GetLogsResponse.js';
import type { TailLogsRequest__Output } from './generated/stratus/v1/TailLogsRequest.js';
import type { PutProvisionedConcurrencyConfigRequest__Output } from './generated/stratus/v1/PutProvisionedConcurrencyConfigRequest.js';
import type { GetProvisionedConcurrencyConfigRequest__Output } from './generated/stratus/v1/GetProvisionedConcurrencyConfigRequest.js';
import type { ProvisionedConcurrencyConfig__Output } from './generated/stratus/v1/ProvisionedConcurrencyConfig.js';
import type { InvocationType__Output } from './generated/stratus/v1/InvocationType.js';
import type { LogType__Output } from './generated/stratus/v1/LogType.js';
import type { CreateKeyRequest__Output } from './generated/stratus/v1/CreateKeyRequest.js';
import type { ApiKey__Output } from './generated/stratus/v1/ApiKey.js';
import type { CreateKeyResponse__Output } from './generated/stratus/v1/CreateKeyResponse.js';
import type { ListKeysResponse__Output } from './generated/stratus/v1/ListKeysResponse.js';
import type { RevokeKeyRequest__Output } from './generated/stratus/v1/RevokeKeyRequest.js';
import type { PublishVersionRequest__Output } from './generated/stratus/v1/PublishVersionRequest.js';
import type { ListVersionsByFunctionRequest__Output } from './generated/stratus/v1/ListVersionsByFunctionRequest.js';
import type { ListVersionsByFunctionResponse__Output } from './generated/stratus/v1/ListVersionsByFunctionResponse.js';
import type { AliasConfiguration__Output } from './generated/stratus/v1/AliasConfiguration.js';
import type { CreateAliasRequest__Output } from './generated/stratus/v1/CreateAliasRequest.js';
import type { GetAliasRequest__Output } from './generated/stratus/v1/GetAliasRequest.js';
import type { UpdateAliasRequest__Output } from './generated/stratus/v1/UpdateAliasRequest.js';
import type { ListAliasesRequest__Output } from './generated/stratus/v1/ListAliasesRequest.js';
import type { ListAliasesResponse__Output } from './generated/stratus/v1/ListAliasesResponse.js';
import type { FunctionEventInvokeConfig__Output } from './generated/stratus/v1/FunctionEventInvokeConfig.js';
import type { PutFunctionEventInvokeConfigRequest__Output } from './generated/stratus/v1/PutFunctionEventInvokeConfigRequest.js';
import type { GetFunctionEventInvokeConfigRequest__Output } from './generated/stratus/v1/GetFunctionEventInvokeConfigRequest.js';
import type { ListFunctionEventInvokeConfigsRequest__Output } from './generated/stratus/v1/ListFunctionEventInvokeConfigsRequest.js';
import type { ListFunctionEventInvokeConfigsResponse__Output } from './generated/stratus/v1/ListFunctionEventInvokeConfigsResponse.js';
import type { DestinationConfig__Output } from './generated/stratus/v1/DestinationConfig.js';
import type { AsyncInvocationRequest__Output } from './generated/stratus/v1/AsyncInvocationRequest.js';
import type { AsyncInvocation__Output } from './generated/stratus/v1/AsyncInvocation.js';
import type { RedriveAsyncInvocationsRequest__Output } from './generated/stratus/v1/RedriveAsyncInvocationsRequest.js';
import type { RedriveAsyncInvocationsResponse__Output } from './generated/stratus/v1/RedriveAsyncInvocationsResponse.js';
import type { ListTriggersRequest__Output } from './generated/stratus/v1/ListTriggersRequest.js';
import type { ListTriggersResponse__Output } from './generated/stratus/v1/ListTriggersResponse.js';
import type { Trigger__Output } from './generated/stratus/v1/Trigger.js';
import type { ScheduleInput__Output } from './generated/stratus/v1/ScheduleInput.js';
import type { Schedule__Output } from './generated/stratus/v1/Schedule.js';
import type { GetScheduleRequest__Output } from './generated/stratus/v1/GetScheduleRequest.js';
import type { ListSchedulesRequest__Output } from './generated/stratus/v1/ListSchedulesRequest.js';
import type { ListSchedulesResponse__Output } from './generated/stratus/v1/ListSchedulesResponse.js';
import type { CreateEventSourceMappingRequest__Output } from './generated/stratus/v1/CreateEventSourceMappingRequest.js';
import type { UpdateEventSourceMappingRequest__Output } from './generated/stratus/v1/UpdateEventSourceMappingRequest.js';
import type { EventSourceMappingRequest__Output } from './generated/stratus/v1/EventSourceMappingRequest.js';
import type { ListEventSourceMappingsRequest__Output } from './generated/stratus/v1/ListEventSourceMappingsRequest.js';
import type { ListEventSourceMappingsResponse__Output } from './generated/stratus/v1/ListEventSourceMappingsResponse.js';
import type { EventSourceMappingConfiguration__Output } from './generated/stratus/v1/EventSourceMappingConfiguration.js';

export type FunctionCodeMessage = FunctionCode__Output;
export type CreateFunctionRequestMessage = CreateFunctionRequest__Output;
export type UpdateFunctionRequestMessage = UpdateFunctionRequest__Output;
export type FunctionConfigurationMessage = FunctionConfiguration__Output;
export type GetFunctionRequestMessage = GetFunctionRequest__Output;
export type DeleteFunctionRequestMessage = DeleteFunctionRequest__Output;
export type ListFunctionsResponseMessage = ListFunctionsResponse__Output;
export type InvokeRequestMessage = InvokeRequest__Output;
export type InvokeResponseMessage = InvokeResponse__Output;
export type GetUsageRequestMessage = GetUsageRequest__Output;
export type FunctionUsageMessage = FunctionUsage__Output;
export type GetUsageResponseMessage = GetUsageResponse__Output;
export type WarmFunctionMessage = WarmFunction__Output;
export type NodeStatusMessage = NodeStatus__Output;
export type ListNodesResponseMessage = ListNodesResponse__Output;
export type PutFunctionConcurrencyRequestMessage = PutFunctionConcurrencyRequest__Output;
export type GetFunctionConcurrencyRequestMessage = GetFunctionConcurrencyRequest__Output;
export type FunctionConcurrencyMessage = FunctionConcurrency__Output;
export type AccountConcurrencyMessage = AccountConcurrency__Output;
export type GetLogsRequestMessage = GetLogsRequest__Output;
export type LogEventMessage = LogEvent__Output;
export type GetLogsResponseMessage = GetLogsResponse__Output;
export type TailLogsRequestMessage = TailLogsRequest__Output;
export type PutProvisionedConcurrencyConfigRequestMessage = PutProvisionedConcurrencyConfigRequest__Output;
export type GetProvisionedConcurrencyConfigRequestMessage = GetProvisionedConcurrencyConfigRequest__Output;

export type CreateKeyRequestMessage = CreateKeyRequest__Output;
export type ApiKeyMessage = ApiKey__Output;
export type CreateKeyResponseMessage = CreateKeyResponse__Output;
export type ListKeysResponseMessage = ListKeysResponse__Output;
export type RevokeKeyRequestMessage = RevokeKeyRequest__Output;

export type PublishVersionRequestMessage = PublishVersionRequest__Output;
export type ListVersionsByFunctionRequestMessage = ListVersionsByFunctionRequest__Output;
export type ListVersionsByFunctionResponseMessage = ListVersionsByFunctionResponse__Output;
export type AliasConfigurationMessage = AliasConfiguration__Output;
export type CreateAliasRequestMessage = CreateAliasRequest__Output;
export type GetAliasRequestMessage = GetAliasRequest__Output;
export type UpdateAliasRequestMessage = UpdateAliasRequest__Output;
export type ListAliasesRequestMessage = ListAliasesRequest__Output;
export type ListAliasesResponseMessage = ListAliasesResponse__Output;
export type FunctionEventInvokeConfigMessage = FunctionEventInvokeConfig__Output;
export type PutFunctionEventInvokeConfigRequestMessage = PutFunctionEventInvokeConfigRequest__Output;
export type GetFunctionEventInvokeConfigRequestMessage = GetFunctionEventInvokeConfigRequest__Output;
export type ListFunctionEventInvokeConfigsRequestMessage = ListFunctionEventInvokeConfigsRequest__Output;
export type ListFunctionEventInvokeConfigsResponseMessage = ListFunctionEventInvokeConfigsResponse__Output;
export type DestinationConfigMessage = DestinationConfig__Output;
export type AsyncInvocationRequestMessage = AsyncInvocationRequest__Output;
export type AsyncInvocationMessage = AsyncInvocation__Output;
export type RedriveAsyncInvocationsRequestMessage = RedriveAsyncInvocationsRequest__Output;
export type RedriveAsyncInvocationsResponseMessage = RedriveAsyncInvocationsResponse__Output;
export type ListTriggersRequestMessage = ListTriggersRequest__Output;
export type ListTriggersResponseMessage = ListTriggersResponse__Output;
export type TriggerMessage = Trigger__Output;
export type ScheduleInputMessage = ScheduleInput__Output;
export type ScheduleMessage = Schedule__Output;
export type GetScheduleRequestMessage = GetScheduleRequest__Output;
export type ListSchedulesRequestMessage = ListSchedulesRequest__Output;
export type ListSchedulesResponseMessage = ListSchedulesResponse__Output;
export type CreateEventSourceMappingRequestMessage = CreateEventSourceMappingRequest__Output;
export type UpdateEventSourceMappingRequestMessage = UpdateEventSourceMappingRequest__Output;
export type EventSourceMappingRequestMessage = EventSourceMappingRequest__Output;
export type ListEventSourceMappingsRequestMessage = ListEventSourceMappingsRequest__Output;
export type ListEventSourceMappingsResponseMessage = ListEventSourceMappingsResponse__Output;
export type EventSourceMappingConfigurationMessage = EventSourceMappingConfiguration__Output;

export type InvocationTypeName = InvocationType__Output;
export type LogTypeName = LogType__Output;

/** The values `ProvisionedConcurrencyConfig.status` takes (a string on the wire; see proto/stratus/v1/functions.proto). */
export type ProvisionedConcurrencyStatus = 'NONE' | 'IN_PROGRESS' | 'READY';

export interface ProvisionedConcurrencyConfigMessage extends ProvisionedConcurrencyConfig__Output {
  status: ProvisionedConcurrencyStatus;
}
