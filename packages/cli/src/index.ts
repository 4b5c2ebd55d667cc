export { runCli, EXIT_FAILURE, EXIT_USAGE } from './main.js';
export type { CliContext, TextSink } from './context.js';
