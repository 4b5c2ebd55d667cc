import type { LogFormat } from './options.js';

/**
 * Console lines of one invocation (or of init), bounded so a chatty function
 * cannot grow the host process: the isolate's memory limit does not cover
 * what it sends out.
 */
export class LogBuffer {
  private readonly lines: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly limitBytes: number) {}

  /** Adds one line (without its trailing newline). */
  add(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.bytes + size > this.limitBytes) {
      this.dropped += 1;
      return;
    }
    this.lines.push(line);
    this.bytes += size;
  }

  /**
   * Adds lines the isolate formatted, counted and capped itself (each ending
   * in "\n"), and how many it dropped. The isolate is not trusted to count:
   * what does not fit is cut at a line end and counted here too.
   */
  addChunk(text: string, droppedLines: number): void {
    if (Number.isSafeInteger(droppedLines) && droppedLines > 0) this.dropped += droppedLines;
    if (text === '') return;
    const size = Buffer.byteLength(text);
    if (this.bytes + size <= this.limitBytes) {
      this.lines.push(text.endsWith('\n') ? text.slice(0, -1) : text);
      this.bytes += size;
      return;
    }
    const fits = Buffer.from(text).subarray(0, this.limitBytes - this.bytes).toString();
    const cut = fits.lastIndexOf('\n');
    const kept = cut < 0 ? '' : fits.slice(0, cut);
    if (kept !== '') {
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
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return text.endsWith('\n') || text === '' ? n : n + 1;
}

/** One console line in Lambda's text or JSON format. */
export function consoleLine(timeMs: number, requestId: string, level: string, message: string, format: LogFormat = 'Text'): string {
  const timestamp = new Date(timeMs).toISOString();
  if (format === 'JSON') {
    return JSON.stringify({ timestamp, level, ...(requestId === 'undefined' ? {} : { requestId }), message });
  }
  return `${timestamp}\t${requestId}\t${level}\t${message}`;
}

/** A platform event line (START, END, REPORT) in Lambda's JSON log format. */
export function platformJsonLine(timeMs: number, type: string, record: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date(timeMs).toISOString(), type, record });
}

/** Base64 of the last `maxBytes` bytes of the log, as Lambda's LogType Tail returns it. */
export function logTail(logs: string, maxBytes: number): string {
  const bytes = Buffer.from(logs, 'utf8');
  return (bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes) : bytes).toString('base64');
}
