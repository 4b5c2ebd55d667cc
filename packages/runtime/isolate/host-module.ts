// The `stratus:host` module, what the bundler's `crypto` shim imports: host-computed hashes, HMACs and random
// bytes, and Node's other crypto (keys, signatures, key derivation, ciphers, subtle), each taking and returning copies;
// and what the http/https shims build on, one host-performed exchange.
export { hostCryptoOp as cryptoOp, hostDigest as digest, hostHmac as hmac, hostRandomFill as randomFill, httpExchange } from 'stratus:runtime';
