export { Frontend } from './frontend.js';
export type { FrontendOptions, FrontendSettings, GrpcServerTls } from './frontend.js';
export { splitQualifier, eventPayloadWithinLimit, assertEventJson } from './invoke.js';
export { frontendSettingsFrom } from './settings-from-config.js';
export { readApiKeySealingKeyFile } from '@stratus/registry';
export { FunctionVersions } from './function-versions.js';
export type { CreateAliasInput, FunctionVersionsOptions, ListAliasesInput, ListInput, PublishVersionInput, UpdateAliasInput } from './function-versions.js';
export { TriggerRegistry, toTriggerMessage } from './triggers.js';
export type { TriggerSource, TriggerStatus, TriggerOutcome } from './triggers.js';
