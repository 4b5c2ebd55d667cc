// The `stratus:host` module, what the bundler's `crypto` shim imports: host-computed hashes, HMACs and random
// bytes, each taking and returning copies.
export { hostDigest as digest, hostHmac as hmac, hostRandomFill as randomFill } from 'stratus:runtime';
