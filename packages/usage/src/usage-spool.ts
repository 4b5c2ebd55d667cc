import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * A node's write-ahead spool of usage records: one file, to which the records
 * appended since the last {@link UsageSpool.commit} are written with one
 * synchronous write, and a call's reply is sent only after the commit that
 * wrote its record, so a node killed outright (SIGKILL, OOM kill, crash) still
 * has the usage of every call it answered. The node commits once per
 * event-loop turn for every call answered in it, not once per record: each
 * `write` costs ~15 µs of the node's CPU whatever it carries. The kernel keeps what was written even if the process dies
 * right after; there is no fsync per call, so a machine crash or power loss
 * can still lose what the page cache had not yet written out.
 *
 * Lines, in the order they happened:
 * - a record: its JSON (always starts with `{`), the same text the batch carries;
 * - `S <publisherId> <sequence> <count>`: the oldest `count` records not yet in
 *   a batch were sealed into this batch (the outbox seals in push order);
 * - `A <publisherId> <sequence>`: that batch is stored.
 *
 * On open, what the file says is not yet stored is recovered: sealed batches
 * must be sent again under their original id (billing applies each once), the
 * unsealed records go into new batches. The file is then rewritten to hold only
 * that, and rewritten again (compacted) whenever it has grown to twice what is
 * still unstored and past `compactBytes`, so it stays bounded by what the
 * outbox holds.
 */

/** A batch sealed by some incarnation of the node and not known to be stored. */
export interface SpooledBatch {
  readonly publisherId: string;
  readonly sequence: number;
  /** The records' JSON texts, in batch order. */
  readonly records: readonly string[];
}

/** What a spool file says is not yet stored. */
export interface SpoolContents {
  /** In the order they were sealed (per publisher, the order they must be stored in). */
  readonly batches: readonly SpooledBatch[];
  /** Records accepted and not yet in any batch, oldest first. */
  readonly unsealed: readonly string[];
  /** Bytes after the last newline: a write cut short by a kill, never a record whose reply was sent. */
  readonly partialTailBytes: number;
  /** Complete lines that could not be read (never written by a healthy spool). */
  readonly corruptLines: number;
}

/** Reads a spool file's text. Never throws: what cannot be read is counted and skipped. */
export function readSpool(text: string): SpoolContents {
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline === -1 ? '' : text.slice(0, lastNewline);
  const partialTailBytes = text.length - (lastNewline + 1);
  let unsealed: string[] = [];
  const batches = new Map<string, SpooledBatch>();
  let corruptLines = 0;
  if (complete.length > 0) {
    for (const line of complete.split('\n')) {
      if (line.startsWith('{')) {
        if (isJsonObject(line)) unsealed.push(line);
        else corruptLines++;
        continue;
      }
      const [kind, publisherId, sequenceText, countText, ...rest] = line.split(' ');
      const sequence = Number(sequenceText);
      if (publisherId === undefined || publisherId === '' || !Number.isSafeInteger(sequence) || sequence < 1 || rest.length > 0) {
        corruptLines++;
        continue;
      }
      const key = `${publisherId}.${sequence}`;
      if (kind === 'S') {
        const count = Number(countText);
        if (!Number.isSafeInteger(count) || count < 0 || count > unsealed.length) {
          corruptLines++;
          continue;
        }
        batches.set(key, { publisherId, sequence, records: unsealed.slice(0, count) });
        unsealed = unsealed.slice(count);
      } else if (kind === 'A' && countText === undefined) {
        batches.delete(key);
      } else {
        corruptLines++;
      }
    }
  }
  return { batches: [...batches.values()], unsealed, partialTailBytes, corruptLines };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Options of {@link UsageSpool.open}. */
export interface UsageSpoolOptions {
  /** The node's data directory; made if missing. */
  readonly dir: string;
  /** Part of the file's name (`usage-<nodeId>.spool`), so nodes sharing a directory never share a spool. */
  readonly nodeId: string;
  readonly log: Logger;
  /** The file is compacted once past this and twice what is unstored. Default 4 MiB. */
  readonly compactBytes?: number;
}

/** The spool of one node process. Nothing here throws after `open`: a failed write is logged and ends spooling. */
export class UsageSpool {
  /** What the previous process left unstored; the caller sends it (see {@link SpoolContents}). */
  readonly recovered: SpoolContents;
  readonly path: string;
  readonly #log: Logger;
  readonly #compactBytes: number;
  #fd: number | undefined;
  #fileBytes = 0;
  /** Records appended and not yet written: the next commit (or sealed, stored, close) writes them first. */
  #uncommitted = '';
  /** Mirror of what the file holds unstored, to rewrite it when compacting. */
  readonly #batches = new Map<string, SpooledBatch>();
  #unsealed: string[] = [];
  #liveBytes = 0;

  private constructor(options: UsageSpoolOptions, path: string, recovered: SpoolContents) {
    this.path = path;
    this.recovered = recovered;
    this.#log = options.log;
    this.#compactBytes = options.compactBytes ?? 4 * 1024 * 1024;
    for (const batch of recovered.batches) {
      this.#batches.set(`${batch.publisherId}.${batch.sequence}`, batch);
      for (const record of batch.records) this.#liveBytes += record.length + 1;
    }
    this.#unsealed = [...recovered.unsealed];
    for (const record of this.#unsealed) this.#liveBytes += record.length + 1;
  }

  /** Reads what an earlier process left, rewrites the file to hold only that, and opens it for appending. Throws if the directory cannot be used. */
  static open(options: UsageSpoolOptions): UsageSpool {
    mkdirSync(options.dir, { recursive: true });
    const path = join(options.dir, `usage-${options.nodeId}.spool`);
    const recovered = existsSync(path) ? readSpool(readFileSync(path, 'utf8')) : { batches: [], unsealed: [], partialTailBytes: 0, corruptLines: 0 };
    if (recovered.partialTailBytes > 0) {
      // Cut short by the kill: the process died inside that write, before the reply it preceded.
      options.log.warn({ path, bytes: recovered.partialTailBytes }, 'usage spool ends in a partial line; ignored');
    }
    if (recovered.corruptLines > 0) options.log.error({ path, lines: recovered.corruptLines }, 'usage spool has unreadable lines; skipped');
    const spool = new UsageSpool(options, path, recovered);
    spool.#rewrite();
    const records = recovered.unsealed.length + recovered.batches.reduce((sum, b) => sum + b.records.length, 0);
    if (records > 0) options.log.info({ path, batches: recovered.batches.length, unsealed: recovered.unsealed.length }, 'usage spool: sending what the previous process had not stored');
    return spool;
  }

  /**
   * Takes one record (its JSON), written by the next {@link commit}: that
   * commit must happen before the reply of its call is sent.
   */
  append(recordJson: string): void {
    this.#unsealed.push(recordJson);
    this.#liveBytes += recordJson.length + 1;
    this.#uncommitted += recordJson + '\n';
  }

  /** Writes every record appended since the last commit, in one write; nothing to write, no write. */
  commit(): void {
    if (this.#uncommitted.length === 0) return;
    this.#write('');
  }

  /**
   * The oldest `records.length` unsealed records became this batch. Written
   * at once, with any record not yet committed before it: the batch may be
   * sent as soon as this returns, and a spool that lost its `S` line would
   * send its records again under another batch id after a kill.
   */
  sealed(publisherId: string, sequence: number, records: readonly string[]): void {
    this.#unsealed.splice(0, records.length);
    this.#batches.set(`${publisherId}.${sequence}`, { publisherId, sequence, records });
    this.#write(`S ${publisherId} ${sequence} ${records.length}\n`);
  }

  /** The batch is stored: it is never sent again. */
  stored(publisherId: string, sequence: number): void {
    const key = `${publisherId}.${sequence}`;
    const batch = this.#batches.get(key);
    if (batch === undefined) return;
    this.#batches.delete(key);
    for (const record of batch.records) this.#liveBytes -= record.length + 1;
    if (this.#fd === undefined || this.#fileBytes < this.#compactBytes || this.#fileBytes < 2 * this.#liveBytes) {
      this.#write(`A ${publisherId} ${sequence}\n`);
      return;
    }
    try {
      this.#rewrite();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Commits, then closes the file; what it holds unstored is sent by the next process with this node id and directory. Idempotent. */
  close(): void {
    if (this.#fd === undefined) return;
    this.commit();
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Writes what is not yet committed, then `text`, in one write (records before the line that may name them). */
  #write(text: string): void {
    if (this.#fd === undefined) return;
    const data = this.#uncommitted + text;
    this.#uncommitted = '';
    try {
      this.#fileBytes += writeSync(this.#fd, data);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Replaces the file with one holding only what is unstored (renamed into place: a kill leaves the old or the new one). */
  #rewrite(): void {
    const lines: string[] = [];
    for (const batch of this.#batches.values()) {
      for (const record of batch.records) lines.push(record);
      lines.push(`S ${batch.publisherId} ${batch.sequence} ${batch.records.length}`);
    }
    for (const record of this.#unsealed) lines.push(record);
    const text = lines.length === 0 ? '' : lines.join('\n') + '\n';
    // Every record not yet committed is among the unsealed ones written here.
    this.#uncommitted = '';
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, this.path);
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#fd = openSync(this.path, 'a');
    this.#fileBytes = Buffer.byteLength(text);
  }

  #fail(err: unknown): void {
    this.#log.error({ err, path: this.path }, 'usage spool write failed: usage is no longer spooled by this process (a kill now loses what is not yet stored)');
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // Already failing; the write error above is the one that matters.
      }
    }
    this.#fd = undefined;
  }
}
