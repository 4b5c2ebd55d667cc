export { Frontend } from './frontend.js';
export type { FrontendOptions } from './frontend.js';
export { splitQualifier, parsePayload } from './invoke.js';
