import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import type { Namespace } from '@stratus/contracts';
import type { ListSchedulesRequestMessage, ScheduleInputMessage, ScheduleMessage } from '@stratus/contracts/grpc';
import { PrefixMirror, etcdAccessError } from '@stratus/registry';
import type { TriggerRegistry } from '../triggers.js';
import { checkScheduleName, scheduleArn, scheduleRecordFrom, SCHEDULE_LIMITS, SCHEDULE_STATES, storedScheduleSchema, type StoredSchedule } from './schedule-record.js';
import { Scheduler, type ScheduledTick } from './scheduler.js';

export interface SchedulesApiOptions {
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Stores one tick as an asynchronous invocation of the schedule's target. */
  readonly fire: (tick: ScheduledTick) => Promise<void>;
  readonly triggers?: TriggerRegistry | undefined;
  /** Schedules the cluster may hold. Default SCHEDULE_LIMITS.defaultLimit. */
  readonly limit?: number | undefined;
  /** Default Date.now. */
  readonly now?: () => number;
  /** How late a tick may still fire. Default LATE_TICK_GRACE_MS. */
  readonly lateTickGraceMs?: number | undefined;
}

/**
 * EventBridge Scheduler's operations over schedules kept in etcd (one key
 * per schedule under `keys.schedulesPrefix()`), with the Scheduler that fires
 * them from this frontend. Reads come from a watched mirror of the prefix,
 * which also tells the scheduler of every change any frontend makes.
 */
export class SchedulesApi {
  readonly #options: SchedulesApiOptions;
  readonly #mirror: PrefixMirror<StoredSchedule>;
  readonly #scheduler: Scheduler;
  readonly #now: () => number;

  private constructor(options: SchedulesApiOptions, mirror: PrefixMirror<StoredSchedule>, scheduler: Scheduler) {
    this.#options = options;
    this.#mirror = mirror;
    this.#scheduler = scheduler;
    this.#now = options.now ?? Date.now;
  }

  static async start(options: SchedulesApiOptions): Promise<SchedulesApi> {
    const { etcd, ns, log } = options;
    let scheduler: Scheduler | undefined;
    const mirror = await PrefixMirror.start<StoredSchedule>({
      etcd,
      prefix: ns.keys.schedulesPrefix(),
      decode: (value) => storedScheduleSchema.parse(JSON.parse(value.toString('utf8'))),
      log,
      onChange: (name, record) => scheduler?.changed(name, record),
    });
    let api: SchedulesApi | undefined;
    scheduler = Scheduler.start({
      schedules: () => mirror.values(),
      fire: options.fire,
      completed: async (name) => {
        await api?.delete(name).catch((err: unknown) => {
          if ((err as { code?: unknown }).code !== 'SCHEDULE_NOT_FOUND') throw err;
        });
      },
      idScope: ns.prefix,
      triggers: options.triggers,
      log: log.child({ component: 'scheduler' }),
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.lateTickGraceMs !== undefined ? { lateTickGraceMs: options.lateTickGraceMs } : {}),
    });
    api = new SchedulesApi(options, mirror, scheduler);
    return api;
  }

  async create(input: ScheduleInputMessage): Promise<ScheduleMessage> {
    const record = scheduleRecordFrom(fromMessage(input), this.#now());
    const limit = this.#options.limit ?? SCHEDULE_LIMITS.defaultLimit;
    // Counted from this frontend's mirror: creates racing on several frontends can pass the limit by as many.
    if (this.#mirror.size >= limit) {
      throw new StratusError('SCHEDULE_LIMIT_EXCEEDED', `the cluster holds ${this.#mirror.size} schedules, its limit (STRATUS_SCHEDULE_LIMIT=${limit}); delete some first`);
    }
    const key = this.#options.ns.keys.schedule(record.name);
    const etcd = this.#options.etcd;
    const result = await this.#write(key, () => etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value(JSON.stringify(record))).commit());
    if (!result.succeeded) throw new StratusError('SCHEDULE_ALREADY_EXISTS', `Schedule ${record.name} already exists.`);
    this.#mirror.observe(record.name, record, Number(result.header.revision));
    return this.#toMessage(record);
  }

  /** Replaces the whole schedule, as EventBridge Scheduler's UpdateSchedule does; its creation date stays. */
  async update(input: ScheduleInputMessage): Promise<ScheduleMessage> {
    checkScheduleName(input.name);
    const key = this.#options.ns.keys.schedule(input.name);
    const etcd = this.#options.etcd;
    const current = await this.#read(key);
    if (current === undefined) throw notFound(input.name);
    const record = scheduleRecordFrom(fromMessage(input), this.#now(), current.record);
    const result = await this.#write(key, () => etcd.if(key, 'Mod', '==', current.modRevision).then(etcd.put(key).value(JSON.stringify(record))).commit());
    if (!result.succeeded) throw new StratusError('CONFLICT', `Schedule ${input.name} was changed concurrently; retry the update`);
    this.#mirror.observe(record.name, record, Number(result.header.revision));
    return this.#toMessage(record);
  }

  get(name: string): ScheduleMessage {
    checkScheduleName(name);
    const record = this.#mirror.get(name);
    if (record === undefined) throw notFound(name);
    return this.#toMessage(record);
  }

  async delete(name: string): Promise<void> {
    checkScheduleName(name);
    const key = this.#options.ns.keys.schedule(name);
    const response = await this.#write(key, () => this.#options.etcd.delete().key(key).exec());
    if (Number(response.deleted) === 0) throw notFound(name);
    this.#mirror.observe(name, undefined, Number(response.header.revision));
  }

  /** By name, paged by `nextToken` (the last name of the previous page). */
  list(request: ListSchedulesRequestMessage): { schedules: ScheduleMessage[]; nextToken: string } {
    if (request.state !== '' && !(SCHEDULE_STATES as readonly string[]).includes(request.state)) {
      throw new StratusError('INVALID_ARGUMENT', `state: ${JSON.stringify(request.state)} must be ENABLED, DISABLED or empty`, { details: { field: 'state' } });
    }
    const pageSize = request.maxResults === 0 ? SCHEDULE_LIMITS.listPageDefault : request.maxResults;
    const matching = [...this.#mirror.values()]
      .filter((s) => s.name.startsWith(request.namePrefix) && (request.state === '' || s.state === request.state) && (request.nextToken === '' || s.name > request.nextToken))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = matching.slice(0, pageSize);
    const last = page[page.length - 1];
    return { schedules: page.map((s) => this.#toMessage(s)), nextToken: matching.length > pageSize && last !== undefined ? last.name : '' };
  }

  async close(): Promise<void> {
    await this.#scheduler.close();
    await this.#mirror.close();
  }

  async #read(key: string): Promise<{ record: StoredSchedule; modRevision: number } | undefined> {
    let response;
    try {
      response = await this.#options.etcd.get(key).exec();
    } catch (err) {
      throw etcdAccessError(err, 'read', key);
    }
    const kv = response.kvs[0];
    if (kv === undefined) return undefined;
    return { record: storedScheduleSchema.parse(JSON.parse(kv.value.toString('utf8'))), modRevision: Number(kv.mod_revision) };
  }

  async #write<T>(key: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      throw etcdAccessError(err, 'write', key);
    }
  }

  #toMessage(record: StoredSchedule): ScheduleMessage {
    return {
      name: record.name,
      arn: scheduleArn(record.name),
      scheduleExpression: record.scheduleExpression,
      scheduleExpressionTimezone: record.timezone,
      startDateMs: record.startDateMs ?? 0,
      endDateMs: record.endDateMs ?? 0,
      state: record.state,
      description: record.description,
      flexibleTimeWindow: {
        mode: record.flexibleWindowMinutes === 0 ? 'OFF' : 'FLEXIBLE',
        maximumWindowInMinutes: record.flexibleWindowMinutes,
      },
      target: { functionName: record.target.functionName, qualifier: record.target.qualifier, input: record.target.input ?? '' },
      actionAfterCompletion: record.actionAfterCompletion,
      creationDateMs: record.creationDateMs,
      lastModificationDateMs: record.lastModificationDateMs,
      nextFireMs: record.state === 'ENABLED' ? (this.#scheduler.nextFireMs(record.name) ?? 0) : 0,
    };
  }
}

function notFound(name: string): StratusError {
  return new StratusError('SCHEDULE_NOT_FOUND', `Schedule ${name} does not exist.`);
}

function fromMessage(input: ScheduleInputMessage): Parameters<typeof scheduleRecordFrom>[0] {
  return {
    name: input.name,
    scheduleExpression: input.scheduleExpression,
    timezone: input.scheduleExpressionTimezone,
    startDateMs: input.startDateMs,
    endDateMs: input.endDateMs,
    state: input.state,
    description: input.description,
    flexibleTimeWindow: input.flexibleTimeWindow ?? undefined,
    target: input.target ?? undefined,
    actionAfterCompletion: input.actionAfterCompletion,
  };
}
