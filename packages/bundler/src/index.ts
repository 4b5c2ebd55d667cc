export { bundleFunction, UNZIPPED_MAX_BYTES, CODE_LIMITS } from './bundle-function.js';
export type { BundleOptions, BundleResult } from './bundle-function.js';
export type { ExtractLimits } from './extract-zip.js';
export { DeployBundler } from './deploy-bundler.js';
export type { DeployBundlerOptions } from './deploy-bundler.js';
