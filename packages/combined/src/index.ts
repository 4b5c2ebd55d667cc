export { Combined } from './combined.js';
export type { CombinedOptions } from './combined.js';
