/**
 * An invocation's log is stored as Lambda writes it, one text with its lines
 * ending in "\n"; what tells its events apart is the entry's event spans: the
 * events that cover several lines (a console call whose message has newlines,
 * such as an error's stack), as flat pairs `[firstLine, lineCount, …]` with
 * 0-based line numbers in order and `lineCount >= 2`. Every other line is an
 * event of its own (START, END, REPORT, INIT_*, each single-line console call
 * and each line written to process.stdout), which is how entries stored
 * before spans existed read too. Spans count lines, not bytes, so rewriting
 * stack positions in place (source maps) or cutting a log at line ends keeps
 * them true, and a log without multi-line events costs nothing.
 */
export type EventSpans = readonly number[];

/** One log event as readers see it (CloudWatch's): when it was written and its text, without the final newline. */
export interface LogEvent {
  /** ms since the epoch: the event's own timestamp when its line begins with one, else the last one before it (the invocation's start at first). */
  readonly timestampMs: number;
  readonly message: string;
}

const TEXT_TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)[\t ]/;
const JSON_TIMESTAMP = /^\{"(?:timestamp|time)":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/;

function ownTimestampMs(line: string): number | undefined {
  const match = TEXT_TIMESTAMP.exec(line) ?? JSON_TIMESTAMP.exec(line);
  if (match === null) return undefined;
  const ms = Date.parse(match[1] as string);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The spans if they are well formed pairs of integers in order, undefined otherwise (a reader then sees one event per line). */
export function validEventSpans(value: unknown): EventSpans | undefined {
  if (!Array.isArray(value) || value.length % 2 !== 0) return undefined;
  let next = 0;
  for (let i = 0; i < value.length; i += 2) {
    const first: unknown = value[i];
    const count: unknown = value[i + 1];
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count)) return undefined;
    if ((first as number) < next || (count as number) < 2) return undefined;
    next = (first as number) + (count as number);
  }
  return value as number[];
}

/**
 * The events of one invocation's log text: its lines, those a span covers
 * joined into one event. Spans past the text's end are cut to it.
 */
export function splitLogEvents(text: string, spans: EventSpans | undefined, startTimeMs: number): LogEvent[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const events: LogEvent[] = [];
  let timestampMs = startTimeMs;
  let span = 0;
  for (let line = 0; line < lines.length; ) {
    let count = 1;
    if (spans !== undefined) {
      while (span + 1 < spans.length && (spans[span] as number) < line) span += 2;
      if (spans[span] === line) count = Math.min(spans[span + 1] as number, lines.length - line);
    }
    const first = lines[line] as string;
    const message = count === 1 ? first : lines.slice(line, line + count).join('\n');
    timestampMs = ownTimestampMs(first) ?? timestampMs;
    events.push({ timestampMs, message });
    line += count;
  }
  return events;
}

/** Spans moved down by `lines` lines (a text placed after `lines` lines of others). */
export function shiftEventSpans(spans: EventSpans, lines: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push((spans[i] as number) + lines, spans[i + 1] as number);
  return out;
}

/**
 * The spans of a text whose lines `[cutFirst, cutFirst + cutCount)` were
 * replaced by `insertedLines` lines: spans inside the cut go, a span the cut
 * splits keeps what is left on each side (when two lines or more).
 */
export function cutEventSpans(spans: EventSpans, cutFirst: number, cutCount: number, insertedLines: number): number[] {
  const cutEnd = cutFirst + cutCount;
  const out: number[] = [];
  const keep = (first: number, count: number): void => {
    if (count >= 2) out.push(first, count);
  };
  for (let i = 0; i < spans.length; i += 2) {
    const first = spans[i] as number;
    const end = first + (spans[i + 1] as number);
    if (end <= cutFirst) keep(first, end - first);
    else if (first >= cutEnd) keep(first - cutCount + insertedLines, end - first);
    else {
      keep(first, cutFirst - first);
      if (end > cutEnd) keep(cutEnd - cutCount + insertedLines, end - cutEnd);
    }
  }
  return out;
}
