// Reads the .cpuprofile files `node --cpu-prof` writes and reduces each to the functions and packages that took the time.

/** The parts of V8's CPU profile format (what `--cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      /** 0-based; -1 when unknown. */
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly children?: readonly number[];
  }>;
  /** µs, on the monotonic clock that process.hrtime reads too. */
  readonly startTime: number;
  readonly endTime: number;
  /** The node id on top of the stack at each sample. */
  readonly samples: readonly number[];
  /** µs since the previous sample (the first: since startTime). */
  readonly timeDeltas: readonly number[];
}

export interface ProfileFunction {
  readonly functionName: string;
  /** file:line, the file shortened to its package (e.g. `nats/lib/nats-base-client/protocol.js:412`); '' for native frames. */
  readonly location: string;
  readonly group: string;
  /** Time with this function on top of the stack, % of the sampled time. */
  readonly selfPct: number;
  /** Time with this function anywhere on the stack, % of the sampled time. */
  readonly totalPct: number;
}

export interface ProfileGroup {
  readonly group: string;
  /** % of the sampled time with a function of this group on top of the stack. */
  readonly selfPct: number;
}

export interface ProfileSummary {
  /** The process's role in the cluster (frontend, node-1, …). */
  readonly process: string;
  /** The profile file, relative to the run's folder. */
  readonly file: string;
  /** Sampled time the summary covers, ms, and how many samples. */
  readonly sampledMs: number;
  readonly samples: number;
  /** Whether only the measured run's samples were counted (false: the whole life of the process). */
  readonly windowed: boolean;
  /** % of the sampled time the thread was idle (waiting in the event loop). */
  readonly idlePct: number;
  readonly groups: readonly ProfileGroup[];
  readonly top: readonly ProfileFunction[];
}

/** The time window of the measured run, µs on the profile's clock. */
export interface SampleWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

const SPECIAL_GROUPS: Readonly<Record<string, string>> = {
  '(garbage collector)': 'GC',
  '(idle)': 'idle',
  '(program)': 'native, no JS on the stack',
  '(root)': 'native, no JS on the stack',
};

/**
 * Which package a frame belongs to: `@stratus/<name>` for the workspace's
 * packages, the npm package under node_modules, `node internals` for
 * `node:` modules, GC and idle for V8's pseudo-frames.
 */
export function groupOf(functionName: string, url: string): string {
  // Functions without a script are V8 builtins and Node's C++ bindings, called from JavaScript.
  if (url === '') return SPECIAL_GROUPS[functionName] ?? 'native (builtins, C++ bindings)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = path.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second ?? ''}` : (first ?? 'other');
  }
  const workspace = /\/packages\/([^/]+)\//.exec(path);
  if (workspace) return `@stratus/${workspace[1]}`;
  if (/\/bench\/(dist|src)\//.test(path)) return '@stratus/bench';
  return 'other';
}

/** The file of a frame, from its package on: short enough for a table, enough to find it. */
export function shortLocation(url: string, lineNumber: number): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  const workspace = /\/(packages\/[^/]+\/.*)$/.exec(path);
  const short = modules >= 0 ? path.slice(modules + '/node_modules/'.length) : (workspace?.[1] ?? path);
  return lineNumber >= 0 ? `${short}:${lineNumber + 1}` : short;
}

/**
 * Self and total time per function and self time per package, as shares of
 * the sampled time, optionally counting only the samples inside `window`.
 * Each sample weighs the time until the next one (the last: the mean
 * interval). A function that recurses counts once per sample in its total.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  options: { readonly process: string; readonly file: string; readonly window?: SampleWindow; readonly top?: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const keyOf = (id: number): string => {
    const f = byId.get(id)?.callFrame;
    return f === undefined ? '?' : `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
  };

  const n = profile.samples.length;
  const meanIntervalUs = n > 1 ? (profile.endTime - profile.startTime) / n : 0;
  const timestamps: number[] = [];
  let t = profile.startTime;
  for (let i = 0; i < n; i += 1) {
    t += profile.timeDeltas[i] ?? 0;
    timestamps.push(t);
  }
  const inWindow = (i: number): boolean =>
    options.window === undefined || ((timestamps[i] ?? 0) >= options.window.fromUs && (timestamps[i] ?? 0) <= options.window.toUs);
  let windowed = options.window !== undefined;
  // A window that catches no sample means the clocks did not line up: summarise the whole profile and say so.
  if (windowed && !profile.samples.some((_, i) => inWindow(i))) windowed = false;

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const frames = new Map<string, number>();
  let sampledUs = 0;
  let counted = 0;
  for (let i = 0; i < n; i += 1) {
    if (windowed && !inWindow(i)) continue;
    const weight = i + 1 < n ? (profile.timeDeltas[i + 1] ?? 0) : meanIntervalUs;
    const id = profile.samples[i] as number;
    sampledUs += weight;
    counted += 1;
    const top = keyOf(id);
    self.set(top, (self.get(top) ?? 0) + weight);
    frames.set(top, id);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const key = keyOf(at);
      if (seen.has(key)) continue;
      seen.add(key);
      frames.set(key, at);
      total.set(key, (total.get(key) ?? 0) + weight);
    }
  }

  const pct = (us: number): number => (sampledUs > 0 ? (us / sampledUs) * 100 : 0);
  const groups = new Map<string, number>();
  const functions: ProfileFunction[] = [];
  for (const [key, us] of self) {
    const frame = byId.get(frames.get(key) ?? -1)?.callFrame;
    if (frame === undefined) continue;
    const group = groupOf(frame.functionName, frame.url);
    groups.set(group, (groups.get(group) ?? 0) + us);
    if (group === 'idle') continue;
    functions.push({
      functionName: frame.functionName === '' ? '(anonymous)' : frame.functionName,
      location: shortLocation(frame.url, frame.lineNumber),
      group,
      selfPct: pct(us),
      totalPct: pct(total.get(key) ?? us),
    });
  }
  functions.sort((a, b) => b.selfPct - a.selfPct);
  return {
    process: options.process,
    file: options.file,
    sampledMs: sampledUs / 1000,
    samples: counted,
    windowed,
    idlePct: pct(groups.get('idle') ?? 0),
    groups: [...groups].map(([group, us]) => ({ group, selfPct: pct(us) })).sort((a, b) => b.selfPct - a.selfPct),
    top: functions.slice(0, options.top ?? 15),
  };
}

/**
 * The main thread's profile of a process among the files `--cpu-prof`
 * wrote: they are named CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile,
 * and the main thread is thread 0 (worker threads write their own).
 */
export function mainThreadProfileOf(files: readonly string[], pid: number): string | undefined {
  return files.find((file) => {
    const parts = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
    return parts !== null && Number(parts[1]) === pid && parts[2] === '0';
  });
}
