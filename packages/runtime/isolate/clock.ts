// performance.now() and timeOrigin: millisecond resolution (an isolate has no high-resolution clock).
import { DateNow } from './primordials.js';

let timeOrigin = DateNow();

export function performanceNow(): number {
  return DateNow() - timeOrigin;
}

export const performanceObject = {
  now: performanceNow,
  timeOrigin: timeOrigin,
  mark(): void {},
  measure(): void {},
};

/** The clock starts when the function's init starts, not when a spare isolate was made. */
export function restartClock(): void {
  timeOrigin = DateNow();
  performanceObject.timeOrigin = timeOrigin;
}
