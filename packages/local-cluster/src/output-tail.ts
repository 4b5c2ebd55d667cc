/**
 * Keeps the last part of a process's output, so a failure message can show
 * what the process said before it died without holding everything it ever wrote.
 */
export class OutputTail {
  readonly #maxChars: number;
  #text = '';

  constructor(maxChars = 64 * 1024) {
    this.#maxChars = maxChars;
  }

  append(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.#maxChars) this.#text = this.#text.slice(-this.#maxChars);
  }

  text(): string {
    return this.#text;
  }

  /** The last `count` non-empty lines. */
  lastLines(count: number): string {
    return this.#text
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .slice(-count)
      .join('\n');
  }
}
