import { randomBytes } from 'node:crypto';
// prom-client's metrics registry, not @stratus/registry (etcd and the object store).
import { Registry as MetricsRegistry } from 'prom-client';
import * as grpc from '@grpc/grpc-js';
import type { Etcd3 } from 'etcd3';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { LIMITS, type LocalInvoker, type Namespace } from '@stratus/contracts';
import {
  loadStratusApi,
  type CreateFunctionRequestMessage,
  type DeleteFunctionRequestMessage,
  type GetFunctionRequestMessage,
  type GetUsageRequestMessage,
  type InvokeRequestMessage,
  type UpdateFunctionRequestMessage,
  type PutFunctionConcurrencyRequestMessage,
  type GetFunctionConcurrencyRequestMessage,
  type PutProvisionedConcurrencyConfigRequestMessage,
  type GetProvisionedConcurrencyConfigRequestMessage,
} from '@stratus/contracts/grpc';
import { ApiKeyStore, CodeStore, LeaseRegistration, PrefixMirror, type ApiKeySealingKey } from '@stratus/registry';
import { Dispatcher, NatsLink, NodeView } from '@stratus/placement';
import { DeployBundler, type DeployBundlerOptions } from '@stratus/bundler';
import { FunctionCatalog } from './function-catalog.js';
import { SERVER_RECEIVE_MAX_BYTES, messageLimitInterceptor } from './message-limits.js';
import { requestNumbersCheck, requestTypesOf } from './request-numbers.js';
import { Invoker, splitQualifier } from './invoke.js';
import { unary } from './grpc-errors.js';
import { settingsFromCreate, settingsFromUpdate, toAliasConfiguration, toConfiguration } from './messages.js';
import { listNodes, queryUsage } from './cluster-queries.js';
import { addReflection } from './reflection.js';
import { ConcurrencyGovernor } from './concurrency.js';
import { ConcurrencyApi } from './concurrency-api.js';
import { FrontendMetrics } from './metrics.js';
import type {
  CreateAliasRequestMessage,
  CreateKeyRequestMessage,
  GetAliasRequestMessage,
  GetLogsRequestMessage,
  ListAliasesRequestMessage,
  ListVersionsByFunctionRequestMessage,
  PublishVersionRequestMessage,
  RevokeKeyRequestMessage,
  UpdateAliasRequestMessage,
} from '@stratus/contracts/grpc';
import { LogsService } from './logs-service.js';
import type { FrontendConfig } from './config.js';
import { ApiKeyAuthenticator, addAuthorizedService } from './auth.js';
import { KeysApi } from './keys-api.js';
import { ClientTokens } from './client-tokens.js';
import { LambdaHttpListener } from './lambda-api/http-listener.js';
import { AsyncEvents } from './async-events.js';
import { AsyncDispatcher, DEFAULT_ASYNC_DISPATCH, type AsyncDispatchSettings } from './async-dispatcher.js';
import { AsyncApi } from './async-api.js';
import { ResponseStreams } from './response-streams.js';
import { TriggerRegistry, toTriggerMessage } from './triggers.js';
import { SchedulesApi } from './schedules/schedules-api.js';
import { ObjectStore } from './objects/object-store.js';
import { ObjectNotifier } from './objects/object-notifier.js';
import { objectsService } from './objects/objects-api.js';
import { EventSourceMappings } from './event-source-mappings/mappings.js';
import { DEFAULT_MAPPING_RUN, type MappingRunSettings } from './event-source-mappings/mapping-runner.js';
import type {
  AsyncInvocationRequestMessage,
  GetFunctionEventInvokeConfigRequestMessage,
  ListFunctionEventInvokeConfigsRequestMessage,
  PutFunctionEventInvokeConfigRequestMessage,
  RedriveAsyncInvocationsRequestMessage,
  ListTriggersRequestMessage,
  GetScheduleRequestMessage,
  ListSchedulesRequestMessage,
  ScheduleInputMessage,
  CreateEventSourceMappingRequestMessage,
  EventSourceMappingRequestMessage,
  ListEventSourceMappingsRequestMessage,
  UpdateEventSourceMappingRequestMessage,
} from '@stratus/contracts/grpc';

/** The frontend's settings, resolved: what each means and its default is in `./config.ts`, their one home. */
export type FrontendSettings = Pick<FrontendConfig, 'grpcAddress' | 'drainGraceMs' | 'accountConcurrencyLimit'>;

export interface FrontendOptions extends FrontendSettings {
  readonly nc: NatsConnection;
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Deadline for usage queries to the billing aggregator. Default 5000 ms. */
  readonly usageQueryTimeoutMs?: number;
  /** This frontend's id in etcd. Default a random one. */
  readonly frontendId?: string;
  /** TTL of this frontend's lease in etcd. Default 5 s. */
  readonly leaseTtlSec?: number;
  /** Where the frontend's Prometheus metrics are registered. Default: a registry of its own. */
  readonly metricsRegistry?: MetricsRegistry;
  /** How many deploys unzip and bundle at once, how many wait, and how long one may take: the frontend's deploy settings. */
  readonly deploy: DeployBundlerOptions;
  /** Replicas of the code bucket and the client-token bucket when this frontend creates them. Default 1. */
  readonly jetStreamReplicas?: number;
  /** Serve gRPC over TLS (PEM text); with `clientCa`, only to clients whose certificate it signed. Default: plaintext. */
  readonly tls?: GrpcServerTls | undefined;
  /**
   * The worker node in this same process (the combined role): an admitted
   * call it can start at once on an idle warm environment runs there without
   * crossing NATS; any other goes through placement. Default: none.
   */
  readonly localInvoker?: LocalInvoker | undefined;
  /**
   * With `localInvoker`: how long a call may be expected to wait for a busy
   * environment on this process's node before placement decides
   * (`maxLocalWaitMs`), and how long while every node's queue is long
   * (`maxQueuedWaitMs`); placement's `chooseLocal`. Default 20 and 500 ms.
   * And how much of the machine's CPU, in millicores, must be idle for such a
   * call to go to another node on this same machine
   * (`spreadMinIdleMillicores`, placement's `DispatcherOptions`). Default 500.
   */
  readonly localChoice?: { readonly maxLocalWaitMs: number; readonly maxQueuedWaitMs: number; readonly spreadMinIdleMillicores?: number } | undefined;
  /**
   * Where Lambda's REST API (SigV4-signed HTTP, for the AWS CLI and SDKs)
   * listens, `host:port` (port 0: a free one). Default: not served.
   */
  readonly httpAddress?: string | undefined;
  /** Streamed response bytes held at once for slow readers across the HTTP listener. Default HTTP_STREAM_BUDGET_BYTES (64 MB). */
  readonly httpStreamBudgetBytes?: number | undefined;
  /** The DNS domain function URLs are given under (`<url-id>.<domain>`). Default none: path-based URLs. */
  readonly functionUrlDomain?: string | undefined;
  /**
   * The cluster's API key sealing key: new keys' secrets are sealed with it
   * into their records, and SigV4 requests are verified by opening them.
   * Default: none; keys made here then cannot sign SigV4 requests.
   */
  readonly apiKeySealingKey?: ApiKeySealingKey | undefined;
  /**
   * How this frontend's dispatcher runs asynchronous invocations (backoff,
   * ack wait, events per function at once), or false for a frontend that
   * only accepts them and leaves running them to others. Default
   * DEFAULT_ASYNC_DISPATCH.
   */
  readonly asyncDispatch?: AsyncDispatchSettings | false;
  /** Schedules the cluster may hold (STRATUS_SCHEDULE_LIMIT). Default 10,000. */
  readonly scheduleLimit?: number | undefined;
  /** How this frontend runs event source mappings, or false for one that serves their API only. Default DEFAULT_MAPPING_RUN. */
  readonly eventSourceMappings?: MappingRunSettings | false;
}

export interface GrpcServerTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string | undefined;
}

function serverCredentials(tls: GrpcServerTls | undefined): grpc.ServerCredentials {
  if (tls === undefined) return grpc.ServerCredentials.createInsecure();
  const clientCa = tls.clientCa === undefined ? null : Buffer.from(tls.clientCa);
  return grpc.ServerCredentials.createSsl(clientCa, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }], clientCa !== null);
}

type State = 'running' | 'draining' | 'closed';

/**
 * The gRPC frontend: the control API (functions, usage, nodes, keys) and
 * Invoke. Every call needs an API key with the scope its method needs
 * (`METHOD_SCOPES` in auth.ts). Created by {@link Frontend.create}, which
 * resolves once it is listening.
 */
export class Frontend {
  readonly address: string;
  /** Where Lambda's REST API listens (the port bound when asked for 0); undefined when it is not served. */
  readonly httpAddress: string | undefined;
  /** Where this frontend's event sources register, for `ListTriggers` and `/metrics`. */
  readonly triggers: TriggerRegistry;
  readonly #server: grpc.Server;
  readonly #http: LambdaHttpListener | undefined;
  readonly #catalog: FunctionCatalog;
  readonly #view: NodeView;
  readonly #frontends: PrefixMirror<unknown>;
  readonly #deploys: DeployBundler;
  readonly #auth: ApiKeyAuthenticator;
  readonly #link: NatsLink;
  readonly #dispatcher: Dispatcher;
  readonly #asyncDispatcher: AsyncDispatcher | undefined;
  readonly #schedules: SchedulesApi;
  readonly #objectNotifier: ObjectNotifier;
  readonly #mappings: EventSourceMappings;
  readonly #responseStreams: ResponseStreams;
  readonly #log: Logger;
  readonly #drainGraceMs: number;
  #registration: LeaseRegistration | undefined;
  #logs: LogsService | undefined;
  #state: State = 'running';
  #drained: Promise<void> | undefined;

  private constructor(
    address: string,
    server: grpc.Server,
    http: LambdaHttpListener | undefined,
    parts: {
      catalog: FunctionCatalog;
      view: NodeView;
      frontends: PrefixMirror<unknown>;
      deploys: DeployBundler;
      auth: ApiKeyAuthenticator;
      link: NatsLink;
      dispatcher: Dispatcher;
      asyncDispatcher: AsyncDispatcher | undefined;
      triggers: TriggerRegistry;
      schedules: SchedulesApi;
      objectNotifier: ObjectNotifier;
      mappings: EventSourceMappings;
      responseStreams: ResponseStreams;
    },
    log: Logger,
    drainGraceMs: number,
  ) {
    this.address = address;
    this.#server = server;
    this.#http = http;
    this.httpAddress = http?.address;
    this.#catalog = parts.catalog;
    this.#view = parts.view;
    this.#frontends = parts.frontends;
    this.#deploys = parts.deploys;
    this.#auth = parts.auth;
    this.#link = parts.link;
    this.#dispatcher = parts.dispatcher;
    this.#asyncDispatcher = parts.asyncDispatcher;
    this.triggers = parts.triggers;
    this.#schedules = parts.schedules;
    this.#objectNotifier = parts.objectNotifier;
    this.#mappings = parts.mappings;
    this.#responseStreams = parts.responseStreams;
    this.#log = log;
    this.#drainGraceMs = drainGraceMs;
  }

  static async create(options: FrontendOptions): Promise<Frontend> {
    const { nc, etcd, ns } = options;
    const log = options.log.child({ component: 'frontend' });
    const codeStore = await CodeStore.open({ nc, ns, replicas: options.jetStreamReplicas ?? 1 });
    const deploys = DeployBundler.create(options.deploy);
    const catalog = await FunctionCatalog.open({ etcd, codeStore, ns, log, bundler: deploys });
    const view = await NodeView.start({ etcd, nc, ns, log });
    const link = NatsLink.watch(nc, log);
    const dispatcher = new Dispatcher({ nc, ns, view, link, log, local: options.localInvoker, ...options.localChoice });
    const frontendId = options.frontendId ?? `frontend-${randomBytes(4).toString('hex')}`;
    const frontends = await PrefixMirror.start({ etcd, prefix: ns.keys.frontendsPrefix(), decode: (value) => JSON.parse(value.toString('utf8')) as unknown, log });
    const auth = await ApiKeyAuthenticator.start({ etcd, ns, log, sealingKey: options.apiKeySealingKey });
    const keysApi = new KeysApi({ store: new ApiKeyStore({ etcd, ns, sealingKey: options.apiKeySealingKey }), auth });
    const governor = new ConcurrencyGovernor({
      accountLimit: options.accountConcurrencyLimit,
      reservedTotal: () => catalog.reservations.total,
      frontendSlot: () => slotOf(frontendId, [...frontends.keys()]),
    });
    const metricsRegistry = options.metricsRegistry ?? new MetricsRegistry();
    const metrics = new FrontendMetrics(metricsRegistry, () => governor.inFlight);
    // Event sources register here as they start, so one listing and one set of metrics covers them all.
    const triggers = new TriggerRegistry(metricsRegistry, log);
    const tokens = await ClientTokens.open({
      nc,
      ns,
      link,
      frontendId,
      isFrontendLive: (id) => id === frontendId || frontends.get(id) !== undefined,
      log,
      replicas: options.jetStreamReplicas ?? 1,
    });
    const asyncEvents = await AsyncEvents.open({ nc, ns, replicas: options.jetStreamReplicas ?? 1 });
    const responseStreams = await ResponseStreams.open({ nc, ns, log, onDropped: () => metrics.streamChunkDropped() });
    let asyncDispatcher: AsyncDispatcher | undefined;
    const invoker = new Invoker({
      catalog,
      dispatcher,
      governor,
      metrics,
      tokens,
      asyncEvents,
      onEventAccepted: (fn) => asyncDispatcher?.nudge(fn),
      responseStreams,
      log,
    });
    const asyncDispatch = options.asyncDispatch ?? DEFAULT_ASYNC_DISPATCH;
    if (asyncDispatch !== false) {
      asyncDispatcher = AsyncDispatcher.start({
        nc,
        events: asyncEvents,
        catalog,
        governor,
        dispatcher,
        metrics,
        targetOf: (fn) => invoker.targetOf(fn),
        settings: asyncDispatch,
        log,
        metricsRegistry,
        dispatcherId: frontendId,
        isDispatcherLive: (id) => frontends.get(id) !== undefined,
      });
    }
    const asyncApi = new AsyncApi({ catalog, events: asyncEvents, dispatcher: asyncDispatcher });
    // Every frontend fires every tick; the async stream keeps one copy of each (see schedules/scheduler.ts).
    const schedules = await SchedulesApi.start({
      etcd,
      ns,
      log,
      triggers,
      limit: options.scheduleLimit,
      fire: async (tick) => {
        const { functionName, qualifier } = tick.schedule.target;
        // A deleted target (or qualifier) fails here, before anything is stored for it.
        const fn = await catalog.resolve(functionName, qualifier);
        await asyncEvents.enqueue({ requestId: tick.requestId, functionName: fn.name, qualifier, acceptedAtMs: Date.now(), traceDepth: 0, payload: tick.payload });
        asyncDispatcher?.nudge(fn.name);
      },
    });
    const objectStore = await ObjectStore.open({ nc, ns, replicas: options.jetStreamReplicas ?? 1 });
    const objectNotifier = ObjectNotifier.start({ store: objectStore, events: asyncEvents, js: asyncEvents.js, jsm: asyncEvents.jsm, log, triggers, onEnqueued: (fn) => asyncDispatcher?.nudge(fn) });
    const mappingRun = options.eventSourceMappings ?? DEFAULT_MAPPING_RUN;
    const mappings = await EventSourceMappings.open({
      nc,
      etcd,
      ns,
      catalog,
      log,
      metricsRegistry,
      triggers,
      replicas: options.jetStreamReplicas ?? 1,
      run:
        mappingRun === false
          ? undefined
          : { governor, dispatcher, metrics, asyncEvents, targetOf: (fn) => invoker.targetOf(fn), settings: mappingRun },
    });
    const concurrencyApi = new ConcurrencyApi({ catalog, governor, view, frontendCount: () => frontends.size });
    const usageQueryTimeoutMs = options.usageQueryTimeoutMs ?? 5000;

    let warnedLimits = false;
    const server = new grpc.Server({
      // The largest request any method takes (a deploy's zip); each call is
      // narrowed to its own method's limit by the first interceptor.
      'grpc.max_receive_message_length': SERVER_RECEIVE_MAX_BYTES,
      'grpc.max_send_message_length': LIMITS.syncPayloadMaxBytes * 2,
      // Nothing here serves channelz, and with it on grpc-js keeps per-call trackers (five closures and clock reads a call).
      'grpc.enable_channelz': 0,
      interceptors: [
        messageLimitInterceptor(() => {
          if (warnedLimits) return;
          warnedLimits = true;
          log.warn('this grpc-js does not let per-method message limits be set; every method accepts the largest message');
        }),
      ],
    });
    const api = loadStratusApi();
    let frontend: Frontend | undefined;
    const guard = <Req, Res>(handler: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
      unary(log, (request: Req) => {
        if (frontend && frontend.#state !== 'running') {
          return Promise.reject(new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry on another'));
        }
        return handler(request);
      });

    const checkNumbers = requestNumbersCheck({ requestTypes: requestTypesOf(api), accountConcurrencyLimit: options.accountConcurrencyLimit });
    const addService = (service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void =>
      addAuthorizedService(server, service, implementation, auth, log, checkNumbers);

    addService(api.services.Functions.service, {
      createFunction: guard(async (req: CreateFunctionRequestMessage) => {
        const created = await catalog.create({ name: req.functionName, settings: settingsFromCreate(req), zip: req.code?.zipFile });
        return toConfiguration(created, created.warnings);
      }),
      updateFunction: guard(async (req: UpdateFunctionRequestMessage) => {
        const updated = await catalog.update({
          name: req.functionName,
          settings: settingsFromUpdate(req),
          replaceEnvironment: req.replaceEnvironment,
          replaceTags: req.replaceTags,
          zip: req.code?.zipFile,
        });
        return toConfiguration(updated, updated.warnings);
      }),
      getFunction: guard(async (req: GetFunctionRequestMessage) => {
        const { name, qualifier } = splitQualifier(req.functionName, req.qualifier);
        return toConfiguration(await catalog.get(name, qualifier), [], qualifier !== '');
      }),
      listFunctions: guard(async () => ({ functions: (await catalog.list()).map((fn) => toConfiguration(fn)) })),
      deleteFunction: guard(async (req: DeleteFunctionRequestMessage) => {
        const { name, qualifier } = splitQualifier(req.functionName, req.qualifier);
        await catalog.delete(name, qualifier);
        return {};
      }),
    });
    const versions = catalog.versions;
    addService(api.services.Versions.service, {
      publishVersion: guard(async (req: PublishVersionRequestMessage) =>
        toConfiguration(await versions.publish({ functionName: req.functionName, description: req.description, codeSha256: req.codeSha256, revision: req.revision })),
      ),
      listVersionsByFunction: guard(async (req: ListVersionsByFunctionRequestMessage) => {
        const page = await versions.listVersions(req, await catalog.get(req.functionName));
        return { versions: page.items.map((v) => toConfiguration(v, [], true)), nextMarker: page.nextMarker ?? '' };
      }),
      createAlias: guard(async (req: CreateAliasRequestMessage) =>
        toAliasConfiguration(
          await versions.createAlias({
            functionName: req.functionName,
            name: req.name,
            functionVersion: req.functionVersion,
            description: req.description,
            additionalVersionWeights: req.routingConfig?.additionalVersionWeights ?? {},
          }),
        ),
      ),
      getAlias: guard(async (req: GetAliasRequestMessage) => toAliasConfiguration(await versions.getAlias(req.functionName, req.name))),
      updateAlias: guard(async (req: UpdateAliasRequestMessage) =>
        toAliasConfiguration(
          await versions.updateAlias({
            functionName: req.functionName,
            name: req.name,
            functionVersion: req.functionVersion,
            description: req.description,
            additionalVersionWeights: req.routingConfig?.additionalVersionWeights,
            revisionId: req.revisionId,
          }),
        ),
      ),
      deleteAlias: guard(async (req: GetAliasRequestMessage) => {
        await catalog.deleteAlias(req.functionName, req.name);
        return {};
      }),
      listAliases: guard(async (req: ListAliasesRequestMessage) => {
        const page = await versions.listAliases(req);
        return { aliases: page.items.map(toAliasConfiguration), nextMarker: page.nextMarker ?? '' };
      }),
    });
    addService(api.services.Invoker.service, {
      invoke: guard((req: InvokeRequestMessage) => invoker.invoke(req)),
    });
    addService(api.services.Usage.service, {
      getUsage: guard((req: GetUsageRequestMessage) => queryUsage(nc, ns, req, usageQueryTimeoutMs)),
    });
    addService(api.services.Concurrency.service, {
      putFunctionConcurrency: guard((req: PutFunctionConcurrencyRequestMessage) => concurrencyApi.put(req.functionName, req.reservedConcurrentExecutions)),
      getFunctionConcurrency: guard((req: GetFunctionConcurrencyRequestMessage) => concurrencyApi.get(req.functionName)),
      deleteFunctionConcurrency: guard((req: GetFunctionConcurrencyRequestMessage) => concurrencyApi.delete(req.functionName)),
      getAccountConcurrency: guard(() => Promise.resolve(concurrencyApi.account())),
    });
    addService(api.services.ProvisionedConcurrency.service, {
      putProvisionedConcurrencyConfig: guard((req: PutProvisionedConcurrencyConfigRequestMessage) =>
        concurrencyApi.putProvisioned(req.functionName, req.qualifier, req.provisionedConcurrentExecutions),
      ),
      getProvisionedConcurrencyConfig: guard((req: GetProvisionedConcurrencyConfigRequestMessage) => concurrencyApi.getProvisioned(req.functionName, req.qualifier)),
      deleteProvisionedConcurrencyConfig: guard((req: GetProvisionedConcurrencyConfigRequestMessage) =>
        concurrencyApi.deleteProvisioned(req.functionName, req.qualifier),
      ),
    });
    addService(api.services.Nodes.service, {
      listNodes: guard(() => Promise.resolve(listNodes(view))),
    });
    const logs = new LogsService({ nc, ns, log });
    addService(api.services.Logs.service, {
      getLogs: guard((req: GetLogsRequestMessage) => logs.getLogs(req)),
      tailLogs: logs.tailLogs,
    });
    addService(api.services.Keys.service, {
      createKey: guard((req: CreateKeyRequestMessage) => keysApi.create(req)),
      listKeys: guard(() => keysApi.list()),
      revokeKey: guard((req: RevokeKeyRequestMessage) => keysApi.revoke(req.keyId)),
    });
    addService(api.services.AsyncInvocations.service, {
      putFunctionEventInvokeConfig: guard((req: PutFunctionEventInvokeConfigRequestMessage) => asyncApi.putConfig(req, false)),
      updateFunctionEventInvokeConfig: guard((req: PutFunctionEventInvokeConfigRequestMessage) => asyncApi.putConfig(req, true)),
      getFunctionEventInvokeConfig: guard((req: GetFunctionEventInvokeConfigRequestMessage) => asyncApi.getConfig(req.functionName, req.qualifier)),
      deleteFunctionEventInvokeConfig: guard((req: GetFunctionEventInvokeConfigRequestMessage) => asyncApi.deleteConfig(req.functionName, req.qualifier)),
      listFunctionEventInvokeConfigs: guard((req: ListFunctionEventInvokeConfigsRequestMessage) => asyncApi.listConfigs(req.functionName)),
      getAsyncInvocation: guard((req: AsyncInvocationRequestMessage) => asyncApi.status(req.requestId)),
      cancelAsyncInvocation: guard((req: AsyncInvocationRequestMessage) => asyncApi.cancel(req.requestId)),
      redriveAsyncInvocations: guard((req: RedriveAsyncInvocationsRequestMessage) => asyncApi.redrive(req.requestId, req.functionName)),
    });
    addService(api.services.Triggers.service, {
      listTriggers: guard(async (req: ListTriggersRequestMessage) => ({
        triggers: (await triggers.list({ kind: req.kind, functionName: req.functionName })).map(toTriggerMessage),
      })),
    });
    addService(api.services.Schedules.service, {
      createSchedule: guard((req: ScheduleInputMessage) => schedules.create(req)),
      updateSchedule: guard((req: ScheduleInputMessage) => schedules.update(req)),
      // Through then(), so a refusal thrown while checking is a rejection the guard maps, not a synchronous throw.
      getSchedule: guard((req: GetScheduleRequestMessage) => Promise.resolve().then(() => schedules.get(req.name))),
      deleteSchedule: guard(async (req: GetScheduleRequestMessage) => {
        await schedules.delete(req.name);
        return {};
      }),
      listSchedules: guard((req: ListSchedulesRequestMessage) => Promise.resolve().then(() => schedules.list(req))),
    });
    addService(
      api.services.Objects.service,
      objectsService({
        store: objectStore,
        notifier: objectNotifier,
        requireFunction: async (name, qualifier) => {
          await catalog.get(name, qualifier);
        },
        assertAccepting: () => {
          if (frontend && frontend.#state !== 'running') throw new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry on another');
        },
        log,
      }),
    );
    addService(api.services.EventSourceMappings.service, {
      createEventSourceMapping: guard((req: CreateEventSourceMappingRequestMessage) => mappings.create(req)),
      getEventSourceMapping: guard((req: EventSourceMappingRequestMessage) => mappings.get(req.uuid)),
      updateEventSourceMapping: guard((req: UpdateEventSourceMappingRequestMessage) => mappings.update(req)),
      deleteEventSourceMapping: guard((req: EventSourceMappingRequestMessage) => mappings.delete(req.uuid)),
      listEventSourceMappings: guard((req: ListEventSourceMappingsRequestMessage) => mappings.list(req)),
    });
    addReflection(server, api.packageDefinition);

    // What is started so far, stopped in order (past failures) when the frontend cannot listen after all.
    const stopParts = async (): Promise<void> => {
      const closers = [view, catalog, frontends, deploys, auth, schedules, asyncDispatcher, objectNotifier, mappings];
      for (const part of closers) await part?.close().catch((err: unknown) => log.warn({ err }, 'a part of a frontend that failed to start did not stop cleanly'));
      dispatcher.close();
      responseStreams.close();
      link.close();
    };
    const requested = options.grpcAddress;
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(requested, serverCredentials(options.tls), (err, boundPort) => (err ? reject(err) : resolve(boundPort)));
      });
    } catch (err) {
      await stopParts();
      throw new StratusError('UNAVAILABLE', `cannot listen on ${requested}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const host = requested.slice(0, requested.lastIndexOf(':'));
    let http: LambdaHttpListener | undefined;
    if (options.httpAddress !== undefined) {
      try {
        http = await LambdaHttpListener.create({
          address: options.httpAddress,
          services: { catalog, invoker, concurrency: concurrencyApi, asyncApi, mappings, functionUrlDomain: options.functionUrlDomain },
          auth,
          log,
          accepting: () => frontend === undefined || frontend.#state === 'running',
          ...(options.httpStreamBudgetBytes !== undefined ? { streamBudgetBytes: options.httpStreamBudgetBytes } : {}),
        });
        const listener = http;
        metrics.watchStreamBudget(metricsRegistry, () => listener.streamBudget);
      } catch (err) {
        server.forceShutdown();
        await stopParts();
        throw err;
      }
    }
    frontend = new Frontend(`${host}:${port}`, server, http, { catalog, view, frontends, deploys, auth, link, dispatcher, asyncDispatcher, triggers, schedules, objectNotifier, mappings, responseStreams }, log, options.drainGraceMs);
    frontend.#logs = logs;
    // Registered once listening, so the share of the limits it takes is one it can serve.
    try {
      frontend.#registration = await LeaseRegistration.register({
        etcd,
        key: ns.keys.frontend(frontendId),
        value: { frontendId, address: frontend.address, pid: process.pid },
        log,
        ...(options.leaseTtlSec !== undefined ? { leaseTtlSec: options.leaseTtlSec } : {}),
      });
    } catch (err) {
      server.forceShutdown();
      await frontend.close().catch(() => {});
      throw err;
    }
    log.info({ address: frontend.address, httpAddress: frontend.httpAddress }, 'frontend listening');
    return frontend;
  }

  /**
   * Stops taking calls and waits for those in flight, up to the grace
   * period, then cuts the rest off. Idempotent.
   */
  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<void> {
    if (this.#state === 'running') this.#state = 'draining';
    // Tails never finish by themselves: end them so the server can shut down.
    this.#logs?.close();
    this.#http?.stopAccepting();
    await this.#registration?.revoke();
    // Other frontends keep firing the schedules; ticks being stored finish first.
    await this.#schedules.close();
    // Async attempts running here finish within the grace period like calls; events not pulled yet stay for other dispatchers.
    // Changes not yet notified stay with the bucket's durable consumer for the other frontends.
    const asyncDrained = Promise.all([this.#asyncDispatcher?.close(), this.#objectNotifier.close(), this.#mappings.close()]);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#log.warn({ graceMs: this.#drainGraceMs }, 'calls still in flight after the grace period; cutting them off');
        this.#server.forceShutdown();
        resolve();
      }, this.#drainGraceMs);
      const http = this.#http;
      let grpcDone = false;
      let httpDone = http === undefined;
      const settle = (): void => {
        if (!grpcDone || !httpDone) return;
        clearTimeout(timer);
        resolve();
      };
      this.#server.tryShutdown(() => {
        void Promise.resolve(asyncDrained).finally(() => {
          grpcDone = true;
          settle();
        });
      });
      void http?.idle().then(() => {
        httpDone = true;
        settle();
      });
    });
    // What is still open over HTTP after the grace period is cut off.
    await this.#http?.close();
  }

  /** Drains, then releases watches and subscriptions. The caller owns the NATS and etcd connections. */
  async close(): Promise<void> {
    await this.drain();
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    // Deploys still bundling after the grace period were cut off with their calls.
    await this.#deploys.close();
    this.#dispatcher.close();
    await this.#view.close();
    await this.#catalog.close();
    await this.#frontends.close();
    await this.#auth.close();
    await this.#schedules.close();
    // After the HTTP listener closed: no call is left to stream to.
    this.#responseStreams.close();
    this.#link.close();
  }
}

/** This frontend's place among the live ones, counting itself even before its lease shows in the mirror. */
function slotOf(self: string, live: string[]): { index: number; count: number } {
  const ids = live.includes(self) ? live : [...live, self];
  ids.sort();
  return { index: ids.indexOf(self), count: ids.length };
}
