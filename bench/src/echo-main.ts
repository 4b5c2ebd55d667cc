// Entry point of the echo baseline's process (see startEchoProcess).
import { serveEcho } from './echo-server.js';

const echo = await serveEcho('127.0.0.1:0');
process.send?.({ port: echo.port });
const stop = (): void => void echo.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
