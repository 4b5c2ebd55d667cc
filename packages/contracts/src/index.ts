export { createNamespace, DEFAULT_NAMESPACE, NAMESPACE_PREFIX_PATTERN } from './namespace.js';
export type { Namespace } from './namespace.js';
export { natsPermissions, natsInboxPrefix } from './nats-permissions.js';
export type { NatsPermissions, NatsRole } from './nats-permissions.js';
export { LIMITS, DEFAULT_HANDLER, RUNTIME_NODEJS20, LATEST_VERSION } from './limits.js';
export { encodeJson, decodeJson } from './encoding.js';
export {
  parseEgressRule,
  formatEgressRule,
  egressSettingsSchema,
  splitEgressAllowList,
  describeEgress,
  DEFAULT_EGRESS,
  EGRESS_MODES,
  EGRESS_MAX_ALLOW_ENTRIES,
} from './egress.js';
export type { EgressMode, EgressRule, EgressSettings, EgressSettingsInput } from './egress.js';
export {
  LOG_FORMATS,
  APPLICATION_LOG_LEVELS,
  SYSTEM_LOG_LEVELS,
  TAGS_MAX,
  loggingSettingsSchema,
  tagsSchema,
  DEFAULT_LOGGING,
  defaultLogGroup,
} from './logging-config.js';
export type { LogFormat, ApplicationLogLevel, SystemLogLevel, LoggingSettings, LoggingSettingsInput } from './logging-config.js';
export {
  assertNoReservedEnvironment,
  RESERVED_ENV_KEYS,
  functionNameSchema,
  environmentSchema,
  functionSettingsSchema,
  storedFunctionSchema,
  parseOrThrow,
  parseFunctionName,
  functionArn,
  eventInvokeConfigFor,
} from './function-config.js';
export {
  FUNCTION_URL_ALIAS_MAX,
  FUNCTION_URL_HOST_LABEL,
  FUNCTION_URL_ID_PATTERN,
  FUNCTION_URL_PATH_PREFIX,
  functionUrlConfigSchema,
  functionUrlCorsSchema,
  functionUrlIdOfHost,
  newFunctionUrlId,
} from './function-url.js';
export type { FunctionUrlConfig, FunctionUrlCors } from './function-url.js';
export {
  POLICIES_MAX_BYTES_PER_FUNCTION,
  POLICY_MAX_BYTES,
  policyDocumentText,
  policyStatementDocument,
  policyStatementSchema,
  policyStatementsOf,
  qualifiedPolicySchema,
} from './resource-policy.js';
export type { PolicyStatement, QualifiedPolicy } from './resource-policy.js';
export { invocationTargetOf, invocationTargetFromWire, targetSettingsSchema, TARGET_MAX_BYTES } from './invocation-target.js';
export type { InvocationTarget, TargetSettings } from './invocation-target.js';
export {
  TARGET_WANTED_REPLY,
  decodeInvokeReply,
  decodeInvokeRequest,
  decodeStreamChunk,
  encodeErrorReply,
  encodeStreamChunk,
  encodeInvokeRequest,
  encodeResultReply,
  invokeRequestBytes,
  resultReplyBytes,
} from './node-invoke-wire.js';
export type { StreamChunk, WireInvokeReply, WireInvokeRequest } from './node-invoke-wire.js';
export type { FunctionSettings, FunctionSettingsInput, StoredFunction } from './function-config.js';
export {
  nodeRecordSchema,
  nodeHeartbeatSchema,
  nodeStateSchema,
  warmFunctionSchema,
  callStatusRequestSchema,
  callStatusSchema,
  callStatusReplySchema,
  CALL_STATUS_MAX_IDS,
  usageQuerySchema,
} from './messages.js';
export type {
  NodeRecord,
  NodeHeartbeat,
  NodeState,
  WarmFunction,
  NodeInvokeRequest,
  NodeInvokeReply,
  EnvironmentHeld,
  LocalInvoker,
  LocalOutlook,
  CallStatusRequest,
  CallStatus,
  CallStatusReply,
  InvocationResult,
  InvocationResultMetadata,
  StreamedResult,
  UsageQuery,
  UsageQueryReply,
  UsageReport,
  FunctionUsage,
} from './messages.js';
export { encodeCodePackage, decodeCodePackage, isPackagePath } from './code-package.js';
export type { CodePackage, PackageFile } from './code-package.js';
export { parseHandler } from './handler.js';
export type { ParsedHandler } from './handler.js';
export { isReadyMessage } from './service-ready.js';
export type { ServiceName, ReadyMessage } from './service-ready.js';
export {
  setting,
  integerSetting,
  numberSetting,
  addressSetting,
  pathSetting,
  defineServiceConfig,
  settingsTable,
  SHARED_SETTINGS,
  ETCD_AUTH_SETTINGS,
  ETCD_ENDPOINTS_SETTING,
  METRICS_ADDRESS_SETTING,
  drainGraceMsSetting,
} from './service-config.js';
export type {
  Setting,
  SettingSpec,
  OptionalSettingSpec,
  ComputedDefault,
  NoDefault,
  SettingsMap,
  ConfigOf,
  SharedConfig,
  ServiceConfig,
  LogLevel,
} from './service-config.js';
export { ETCD_TLS_SETTINGS, GRPC_TLS_SETTINGS } from './tls-settings.js';
export { rendezvousScore } from './rendezvous.js';
export { billedMsFor, gbSecondsFor, costUsd, DEFAULT_PRICES } from './billing-math.js';
export { readUsageRecord } from './usage-record.js';
export type { UsageOutcome, UsageRecord, UsageRecordRead } from './usage-record.js';
export type { PriceTable } from './billing-math.js';
export {
  API_KEY_SCOPES,
  API_KEY_ID_PATTERN,
  API_KEY_SECRET_PATTERN,
  API_KEY_METADATA,
  apiKeyScopeSchema,
  apiKeyRecordSchema,
  formatApiKey,
  parseApiKey,
  scopesAllow,
} from './api-key.js';
export type { ApiKeyScope, ApiKeyRecord, ApiKeyCredential } from './api-key.js';
export {
  VERSION_NUMBER_PATTERN,
  ALIAS_NAME_MAX_LENGTH,
  VERSION_DESCRIPTION_MAX_LENGTH,
  ALIAS_MAX_ADDITIONAL_VERSIONS,
  LIST_PAGE_DEFAULT,
  LIST_PAGE_MAX,
  versionNumberSchema,
  aliasNameSchema,
  aliasTargetVersionSchema,
  additionalVersionWeightsSchema,
  storedAliasSchema,
  parseQualifier,
  qualifierText,
  qualifiedFunctionArn,
  pickAliasVersion,
  versionSnapshotOf,
  sameCodeAndConfiguration,
  compareVersions,
  pageAfter,
} from './versions.js';
export type { StoredAlias, StoredAliasInput, Qualifier, Page } from './versions.js';
export {
  ASYNC_LIMITS,
  RECURSIVE_LOOP_MODES,
  DEFAULT_EVENT_INVOKE_CONFIG,
  eventInvokeConfigSchema,
  qualifiedEventInvokeConfigSchema,
  parseDestination,
  formatDestination,
} from './async-config.js';
export type { Destination, EventInvokeConfig, EventInvokeConfigInput, QualifiedEventInvokeConfig, RecursiveLoopMode } from './async-config.js';
export {
  SIGV4_ALGORITHM,
  canonicalRequest,
  canonicalUri,
  headerValues,
  parseQuery,
  parseSigV4,
  payloadSha256,
  signSigV4,
  sigV4Escape,
  verifySigV4,
} from './sigv4.js';
export type { SigV4Claim, SignedRequest } from './sigv4.js';
export {
  OBJECT_LIMITS,
  OBJECT_EVENT_TYPES,
  DEFAULT_CONTENT_TYPE,
  bucketNameProblem,
  natsObjectBucket,
  bucketOfNatsObjectBucket,
  bucketArn,
  objectKeyProblem,
  objectMetadataProblem,
  contentTypeProblem,
  eventTypeMatches,
  parseFunctionReference,
  notificationConfigurationSchema,
  bucketNotificationsSchema,
  notificationMatches,
  s3EventKey,
  s3Sequencer,
  s3EventDocument,
} from './object-store.js';
export type { ObjectEventType, ObjectChange, NotificationConfiguration, BucketNotifications, ObjectChangeRecord } from './object-store.js';
export {
  EVENT_SOURCE_MAPPING_LIMITS,
  EVENT_SOURCE_MAPPING_STATES,
  FUNCTION_RESPONSE_TYPES,
  STARTING_POSITIONS,
  eventSourceArn,
  eventSourceMappingSettingsSchema,
  formatEventSource,
  parseEventSource,
  storedEventSourceMappingSchema,
} from './event-source-mapping.js';
export type {
  EventSource,
  EventSourceMappingSettings,
  EventSourceMappingSettingsInput,
  EventSourceMappingState,
  StartingPosition,
  StoredEventSourceMapping,
} from './event-source-mapping.js';
