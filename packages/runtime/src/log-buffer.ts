import type { LogFormat } from './options.js';

/**
 * Console lines of one invocation (or of init), bounded so a chatty function
 * cannot grow the host process: the isolate's memory limit does not cover
 * what it sends out. It also keeps which events cover several lines (a
 * console call whose message has newlines), so the stored log can tell them
 * from several calls; lines are counted only for a phase that has some.
 */
export class LogBuffer {
  /** Pieces of text without their final newline: a line, or a chunk of lines from the isolate. */
  private readonly lines: string[] = [];
  /** For pieces holding multi-line events: the piece's index and its spans, counted from its own first line. */
  private readonly pieceSpans: { readonly piece: number; readonly spans: readonly number[] }[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly limitBytes: number) {}

  /** Adds one event (without its trailing newline); a line with newlines in it stays one event. */
  add(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.bytes + size > this.limitBytes) {
      this.dropped += 1;
      return;
    }
    if (line.includes('\n')) this.pieceSpans.push({ piece: this.lines.length, spans: [0, pieceLines(line)] });
    this.lines.push(line);
    this.bytes += size;
  }

  /**
   * Adds lines the isolate formatted, counted and capped itself (each ending
   * in "\n"), how many it dropped, and its multi-line events as
   * "first,count,…". The isolate is not trusted to count: what does not fit
   * is cut at a line end and counted here too, and spans that do not fit its
   * lines are ignored when the text is read.
   */
  addChunk(text: string, droppedLines: number, eventSpans = ''): void {
    if (Number.isSafeInteger(droppedLines) && droppedLines > 0) this.dropped += droppedLines;
    if (text === '') return;
    const size = Buffer.byteLength(text);
    // Honest spans are a few characters per multi-line event, which takes two lines of text at least.
    const spans = eventSpans === '' || eventSpans.length > 8 * text.length ? undefined : parseSpans(eventSpans);
    if (this.bytes + size <= this.limitBytes) {
      if (spans !== undefined) this.pieceSpans.push({ piece: this.lines.length, spans });
      this.lines.push(text.endsWith('\n') ? text.slice(0, -1) : text);
      this.bytes += size;
      return;
    }
    const fits = Buffer.from(text).subarray(0, this.limitBytes - this.bytes).toString();
    const cut = fits.lastIndexOf('\n');
    const kept = cut < 0 ? '' : fits.slice(0, cut);
    if (kept !== '') {
      if (spans !== undefined) this.pieceSpans.push({ piece: this.lines.length, spans: spansWithin(spans, pieceLines(kept)) });
      this.lines.push(kept);
      this.bytes += Buffer.byteLength(kept) + 1;
    }
    this.dropped += countLines(text.slice(kept === '' ? 0 : kept.length + 1));
  }

  /** All lines, each ending in "\n", with a note when some were dropped. */
  text(): string {
    let text = this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
    if (this.dropped > 0) text += `[stratus] ${this.dropped} log lines dropped: more than ${this.limitBytes} bytes of logs\n`;
    return text;
  }

  /**
   * The events of `text()` that cover several lines, as flat pairs
   * `[firstLine, lineCount, …]` in order (empty when every line is an event).
   */
  eventSpans(): readonly number[] {
    if (this.pieceSpans.length === 0) return NO_SPANS;
    const out: number[] = [];
    let line = 0;
    let piece = 0;
    for (const { piece: index, spans } of this.pieceSpans) {
      for (; piece < index; piece++) line += pieceLines(this.lines[piece] as string);
      const lines = pieceLines(this.lines[index] as string);
      // Spans out of order or past the piece's lines come from an isolate that miscounted: its piece keeps one event per line.
      if (inOrderWithin(spans, lines)) {
        for (let i = 0; i < spans.length; i += 2) out.push(line + (spans[i] as number), spans[i + 1] as number);
      }
      line += lines;
      piece = index + 1;
    }
    return out;
  }
}

/** No multi-line events: one shared empty list. */
export const NO_SPANS: readonly number[] = Object.freeze([]);

function parseSpans(text: string): number[] | undefined {
  const spans = text.split(',').map(Number);
  return spans.length % 2 === 0 ? spans : undefined;
}

function inOrderWithin(spans: readonly number[], lines: number): boolean {
  let next = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const first = spans[i] as number;
    const count = spans[i + 1] as number;
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || first < next || count < 2) return false;
    next = first + count;
  }
  return next <= lines;
}

/** Spans cut to the first `lines` lines: a span the cut splits keeps its part above it (when two lines or more). */
function spansWithin(spans: readonly number[], lines: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < spans.length; i += 2) {
    const first = spans[i] as number;
    const count = Math.min(spans[i + 1] as number, lines - first);
    if (count >= 2) out.push(first, count);
  }
  return out;
}

/** Events after `lines` lines of other text: the same spans, moved down. */
export function shiftedSpans(spans: readonly number[], lines: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push((spans[i] as number) + lines, spans[i + 1] as number);
  return out;
}

/** Lines of a piece: a text without its final newline. */
function pieceLines(piece: string): number {
  return newlines(piece) + 1;
}

/** How many "\n" a text holds: the lines of a text that ends in one. */
export function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return text.endsWith('\n') || text === '' ? n : n + 1;
}

/** One console line in Lambda's text or JSON format. */
export function consoleLine(timeMs: number, requestId: string, level: string, message: string, format: LogFormat = 'Text'): string {
  const timestamp = isoTime(timeMs);
  if (format === 'JSON') {
    return JSON.stringify({ timestamp, level, ...(requestId === 'undefined' ? {} : { requestId }), message });
  }
  return `${timestamp}\t${requestId}\t${level}\t${message}`;
}

/**
 * A platform event line (START, END, REPORT) in Lambda's JSON log format,
 * from its record already as JSON text: the bytes `JSON.stringify({ time, type, record })` gives.
 */
export function platformJsonLine(timeMs: number, type: string, recordJson: string): string {
  return `{"time":"${isoTime(timeMs)}","type":${JSON.stringify(type)},"record":${recordJson}}`;
}

/** Up to this time (the year 9999's end) `toISOString` writes 24 characters, the last five the milliseconds and "Z". */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
let isoSecondMs = Number.NaN;
let isoSecondPrefix = '';

/**
 * `new Date(timeMs).toISOString()`, with the text up to the second kept from
 * the last call: building a Date and formatting it cost ~0.6 µs here, and a
 * call's log lines (START, REPORT, each console line) fall in the same second.
 */
export function isoTime(timeMs: number): string {
  // Date truncates a fractional time toward zero.
  const ms = Math.trunc(timeMs);
  if (!(ms >= 0 && ms < LAST_FOUR_DIGIT_YEAR_MS)) return new Date(timeMs).toISOString();
  const millis = ms % 1000;
  const secondMs = ms - millis;
  if (secondMs !== isoSecondMs) {
    isoSecondPrefix = new Date(secondMs).toISOString().slice(0, 20);
    isoSecondMs = secondMs;
  }
  return `${isoSecondPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Base64 of the last `maxBytes` bytes of the log, as Lambda's LogType Tail returns it. */
export function logTail(logs: string, maxBytes: number): string {
  const bytes = Buffer.from(logs, 'utf8');
  return (bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes) : bytes).toString('base64');
}
