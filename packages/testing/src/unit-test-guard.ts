/**
 * A vitest setup file for the `unit` project (see the root vitest.config.ts):
 * it makes starting a child process or opening a network socket throw, so a
 * unit test that needs a server (or a library that quietly spawns one) fails
 * at once with a message saying where it belongs, instead of slowing the
 * unit run down and making it depend on the machine.
 *
 * Not exported from the package's index: importing it changes Node's
 * built-in modules for the whole process.
 */
import { ChildProcess } from 'node:child_process';
import { Socket as UdpSocket } from 'node:dgram';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { Server, Socket } from 'node:net';

// The CommonJS object behind the built-in: the ES namespace cannot be assigned to.
const childProcess = createRequire(import.meta.url)('node:child_process') as Record<string, unknown>;

const ADVICE = 'unit tests (*.test.ts) start no processes and open no sockets; move this test to a *.int.test.ts file';

function refuse(what: string): never {
  throw new Error(`${what}: ${ADVICE}`);
}

// spawn, fork, exec and execFile all end in ChildProcess.prototype.spawn (untyped: internal to Node).
Object.defineProperty(ChildProcess.prototype, 'spawn', { value: () => refuse('starting a child process'), writable: true, configurable: true });
// The synchronous forms call the binding directly.
const synchronous = ['spawnSync', 'execSync', 'execFileSync'] as const;
for (const name of synchronous) childProcess[name] = () => refuse(`child_process.${name}`);
// Listening and connecting (TCP, Unix sockets, and so HTTP, HTTP/2 and gRPC) go through these.
Server.prototype.listen = function listen(): never {
  return refuse('listening on a socket');
};
Socket.prototype.connect = function connect(): never {
  return refuse('connecting a socket');
};
UdpSocket.prototype.bind = function bind(): never {
  return refuse('binding a UDP socket');
};
// So that `import { spawnSync } from 'node:child_process'` sees the replacements too.
syncBuiltinESMExports();
