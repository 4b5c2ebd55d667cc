export { bundleFunction, UNZIPPED_MAX_BYTES } from './bundle-function.js';
export type { BundleOptions, BundleResult } from './bundle-function.js';
