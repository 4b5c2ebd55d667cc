// The `stratus:host` module, what the bundler's `crypto` shim imports: host-computed hashes, HMACs and random
// bytes, each taking and returning copies; and what the http/https shims build on, one host-performed exchange.
export { hostDigest as digest, hostHmac as hmac, hostRandomFill as randomFill, httpExchange } from 'stratus:runtime';
