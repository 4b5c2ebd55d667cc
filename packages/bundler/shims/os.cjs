// Node's `os` for functions: what a Lambda execution environment answers, never the node's own machine (its
// hostname, CPUs, network interfaces and load would tell a function where it runs). The AWS SDK reads homedir()
// for its shared config files and platform()/release() for its user agent when a client is made.
const memoryBytes = () => {
  const mb = Number(globalThis.process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return (Number.isFinite(mb) && mb > 0 ? mb : 128) * 1024 * 1024;
};
const cpu = () => ({ model: 'Stratus isolate', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } });

const signals = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};

module.exports = {
  EOL: '\n',
  devNull: '/dev/null',
  constants: Object.freeze({ signals: Object.freeze(signals), priority: Object.freeze({ PRIORITY_LOW: 19, PRIORITY_NORMAL: 0, PRIORITY_HIGH: -14 }) }),
  arch: () => 'x64',
  machine: () => 'x86_64',
  platform: () => 'linux',
  type: () => 'Linux',
  release: () => '5.10.0',
  version: () => '#1 SMP',
  endianness: () => 'LE',
  hostname: () => 'localhost',
  homedir: () => '/home/sbx_user1051',
  tmpdir: () => '/tmp',
  userInfo: () => ({ uid: 993, gid: 990, username: 'sbx_user1051', homedir: '/home/sbx_user1051', shell: null }),
  cpus: () => [cpu(), cpu()],
  availableParallelism: () => 2,
  totalmem: memoryBytes,
  freemem: memoryBytes,
  loadavg: () => [0, 0, 0],
  uptime: () => Math.floor(globalThis.performance.now() / 1000),
  networkInterfaces: () => ({}),
  getPriority: () => 0,
  setPriority: () => undefined,
};
