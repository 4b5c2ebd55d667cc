// The function's identity and environment, given once by configure() as JSON text, so nothing of the host stays
// reachable from it.

export interface FunctionConfig {
  readonly handler: string;
  readonly exportPath: readonly string[];
  readonly env: Record<string, string>;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly invokedFunctionArn: string;
  readonly logFormat: 'Text' | 'JSON';
  /** With JSON only: console calls below it are dropped (Lambda's ApplicationLogLevel). */
  readonly applicationLogLevel?: string;
  readonly logLimitBytes: number;
}

/** Undefined until configure(): a spare shell has no function yet. */
export let config: FunctionConfig | undefined;

export function setConfig(value: FunctionConfig): void {
  config = value;
}
