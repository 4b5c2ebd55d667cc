/**
 * The scripts an isolate evaluates, built from the TypeScript in `isolate/` (see isolate/bootstrap.ts and
 * scripts/build-isolate.mjs), and the specifiers the host links its modules by.
 */
export { BOOTSTRAP_SOURCE, HOST_MODULE_SOURCE, INIT_WRAPPER_SOURCE, RUNTIME_MODULE_SOURCE } from './generated/isolate-scripts.js';

export const RUNTIME_SPECIFIER = 'stratus:runtime';
export const FUNCTION_SPECIFIER = 'stratus:function';
/** What the bundler's `crypto` shim imports: host-computed hashes, HMACs and random bytes, each taking and returning copies. */
export const HOST_SPECIFIER = 'stratus:host';
