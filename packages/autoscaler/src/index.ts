export { Autoscaler } from './autoscaler.js';
export type { AutoscaleOptions, AutoscalerAction, AutoscalerOptions, AutoscalerState } from './autoscaler.js';
export type { NodeProvider } from './node-provider.js';
export { ScalingPolicy, resolveScalingPolicy } from './scaling-policy.js';
export type { LoadSample, ResolvedScalingPolicy, ScalingDecision, ScalingPolicyOptions } from './scaling-policy.js';
