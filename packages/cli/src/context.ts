import { Option, type Command } from 'commander';
import { createStratusClient, type StratusClient } from '@stratus/client';

/** Where the CLI writes: stdout for results, stderr for everything else. */
export interface TextSink {
  write(text: string | Uint8Array): unknown;
}

/** What a command needs from its surroundings; `main.ts` fills it from the process. */
export interface CliContext {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly cwd: string;
  /** From STRATUS_ENDPOINT, else 127.0.0.1:50051. */
  readonly defaultEndpoint: string;
  /** The Lambda REST API, for `stratus url`: from STRATUS_HTTP_ENDPOINT, else http://127.0.0.1:9000. */
  readonly defaultHttpEndpoint?: string | undefined;
  /** pino level for `stratus up`, from STRATUS_LOG_LEVEL, else 'info'. */
  readonly logLevel: string;
  /** Whether stderr is a terminal, so `up` pretty-prints its logs. */
  readonly stderrIsTty: boolean;
  /**
   * The API key every call carries, `<keyId>.<secret>`: from STRATUS_API_KEY,
   * else `<cwd>/.stratus/admin.key`. Absent: none is sent, and the frontend
   * answers UNAUTHENTICATED.
   */
  readonly apiKey?: string | undefined;
  /** How commands that talk to etcd directly log in: STRATUS_ETCD_USER, STRATUS_ETCD_PASSWORD, STRATUS_ETCD_PASSWORD_FILE. */
  readonly etcdAuth?: {
    readonly etcdUser?: string | undefined;
    readonly etcdPassword?: string | undefined;
    readonly etcdPasswordFile?: string | undefined;
  };
  /** Defaults of the etcd TLS files of `keys bootstrap` and `etcd-auth --apply`: STRATUS_ETCD_TLS_CA, _CERT and _KEY. */
  readonly etcdTls?: { readonly ca?: string | undefined; readonly cert?: string | undefined; readonly key?: string | undefined };
}

export interface CommonOptions {
  readonly endpoint: string;
  readonly json?: boolean;
}

export function addCommonOptions(command: Command, ctx: CliContext): Command {
  return command
    .addOption(
      new Option('--endpoint <host:port>', 'address of a Stratus frontend; STRATUS_ENDPOINT sets the default').default(ctx.defaultEndpoint),
    )
    .option('--json', 'print machine-readable JSON on stdout');
}

/** Runs `fn` with a client that is closed afterwards, whatever happens. */
export async function withClient<T>(
  ctx: CliContext,
  options: CommonOptions,
  fn: (client: StratusClient) => Promise<T>,
  deadlineMs?: number,
): Promise<T> {
  const client = createStratusClient({
    endpoint: options.endpoint,
    ...(ctx.apiKey === undefined ? {} : { apiKey: ctx.apiKey }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
