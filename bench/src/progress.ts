import cliProgress from 'cli-progress';

/** Shows which phase runs and how far along it is. */
export interface Progress {
  phase(name: string, total: number, unit: string): void;
  update(value: number, detail: string): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; elsewhere (CI, tests, a pipe) one line per
 * phase, since a redrawn bar would fill a log with control characters.
 */
export function createProgress(stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) {
    return {
      phase: (name) => void stream.write(`bench: ${name}\n`),
      update: () => undefined,
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total} {unit} | {detail}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    phase(name, total, unit) {
      if (running) bar.stop();
      bar.start(Math.max(total, 1), 0, { phase: name.padEnd(34), unit, detail: '' });
      running = true;
    },
    update(value, detail) {
      if (running) bar.update(value, { detail });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
