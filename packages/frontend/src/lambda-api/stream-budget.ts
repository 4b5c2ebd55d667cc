import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** What a streamed answer does when its reader is too slow for the budget: the bytes that end it, or undefined to cut the connection. */
export type StreamCutOff = () => Buffer | undefined;

/** A streamed answer's writes, counted against the frontend's budget. */
export interface BudgetedWriter {
  /** Writes `bytes`; false when they were dropped (the answer was cut off, ended or its client left). */
  write(bytes: Buffer): boolean;
}

/** Bytes an answer keeps before its head can leave, counted against the frontend's budget. */
export interface BudgetedHold {
  /** Counts `bytes` more; false, and nothing counted, when they would take the frontend past the budget (a cut-off, logged). */
  take(bytes: number): boolean;
  /** Gives back all it counted (the head left, the answer was cut off or ended, or its client left); safe to call twice. */
  release(): void;
}

/** How long a cut-off answer's last bytes may take to leave before the connection is closed under them. */
const CUT_OFF_GRACE_MS = 5_000;

/**
 * The frontend-wide bound on streamed bytes accepted from nodes and not yet handed to clients' sockets
 * (InvokeWithResponseStream, RESPONSE_STREAM function URLs).
 *
 * Nothing slows a handler down for a client that reads slowly: without a bound, each streaming call could hold its
 * whole 20 MB in the frontend, a thousand of them 20 GB. An answer's held bytes are what Node buffers for it
 * (`writableLength`: its socket's buffer refused them, and they wait for 'drain'); they are released as the socket
 * drains, when the answer finishes, and at once when the client disconnects. A write to an answer that is still
 * waiting for its socket, which would take the frontend past the budget, cuts that answer off the way Lambda cuts
 * a stream that fails: its `cutOff` bytes end it (InvokeComplete with the error), or the connection is closed (a
 * URL whose head has gone). Bytes an answer holds before its head can leave (a RESPONSE_STREAM URL whose prelude is
 * not whole yet, `hold`) are counted too: the frontend keeps them whatever the client does, so any that would take it
 * past the budget cut that answer off. The call itself runs on, and is billed, as any call whose client went away.
 */
export class StreamBudget {
  readonly limitBytes: number;
  readonly #log: Logger;
  #heldBytes = 0;
  #peakBytes = 0;
  #cutOffs = 0;

  constructor(limitBytes: number, log: Logger) {
    if (!Number.isSafeInteger(limitBytes) || limitBytes < 1) throw new RangeError(`the stream budget must be a whole number of bytes above 0, not ${limitBytes}`);
    this.limitBytes = limitBytes;
    this.#log = log;
  }

  /** Bytes held now across every streamed answer. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** The most held at once since the frontend started. */
  get peakBytes(): number {
    return this.#peakBytes;
  }

  /** Answers cut off for their readers' slowness. */
  get cutOffs(): number {
    return this.#cutOffs;
  }

  /**
   * The bytes one answer holds before its head can leave; `requestId` names it in the log. Unlike a writer's, these
   * do not wait for a slow client: the frontend keeps them until the answer's head is known, up to the 20 MB a
   * stream may have, so a take that would pass the budget is refused whatever the client does.
   */
  hold(requestId: string): BudgetedHold {
    let counted = 0;
    return {
      take: (bytes) => {
        if (this.#heldBytes + bytes > this.limitBytes) {
          this.#cutOffs += 1;
          this.#log.warn(
            { requestId, heldBytes: this.#heldBytes, answerHeldBytes: counted, budgetBytes: this.limitBytes },
            'a function URL answer was cut off: its handler wrote more before its HttpResponseStream.from prelude was whole than this frontend’s stream budget holds',
          );
          return false;
        }
        this.#heldBytes += bytes;
        counted += bytes;
        if (this.#heldBytes > this.#peakBytes) this.#peakBytes = this.#heldBytes;
        return true;
      },
      release: () => {
        this.#heldBytes -= counted;
        counted = 0;
      },
    };
  }

  /** A writer for one answer whose head has been sent; `requestId` names it in the log. */
  writer(res: ServerResponse, requestId: string, cutOff: StreamCutOff): BudgetedWriter {
    let counted = 0;
    let cut = false;
    const recount = (): void => {
      const now = res.destroyed || res.writableFinished ? 0 : res.writableLength;
      this.#heldBytes += now - counted;
      counted = now;
      if (this.#heldBytes > this.#peakBytes) this.#peakBytes = this.#heldBytes;
    };
    res.on('drain', recount);
    res.once('finish', recount);
    res.once('close', () => {
      // A client that left releases its bytes at once: Node drops them with the socket.
      this.#heldBytes -= counted;
      counted = 0;
      res.off('drain', recount);
    });
    return {
      write: (bytes) => {
        if (cut || res.destroyed || res.writableEnded) return false;
        // An answer whose socket keeps up is never cut: only one already waiting for 'drain' grows the total.
        if (res.writableNeedDrain && this.#heldBytes + bytes.byteLength > this.limitBytes) {
          cut = true;
          this.#cutOffs += 1;
          this.#log.warn(
            { requestId, heldBytes: this.#heldBytes, answerHeldBytes: counted, budgetBytes: this.limitBytes },
            'a streamed answer was cut off: its client reads too slowly for this frontend’s stream budget',
          );
          const last = cutOff();
          if (last === undefined) {
            res.destroy();
            return false;
          }
          res.end(last);
          recount();
          const timer = setTimeout(() => res.destroy(), CUT_OFF_GRACE_MS);
          timer.unref();
          res.once('close', () => clearTimeout(timer));
          return false;
        }
        res.write(bytes);
        recount();
        return true;
      },
    };
  }
}
