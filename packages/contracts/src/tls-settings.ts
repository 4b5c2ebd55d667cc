import { pathSetting } from './service-config.js';

/**
 * TLS is configured by file paths (PEM): a CA turns TLS on for a connection
 * and is what the other side's certificate must be signed by; a certificate
 * and its key go together. `stratus certs` makes all of them.
 */

/** The etcd client's TLS (frontend, node, billing): with a CA set, the endpoints must be `https://`. */
export const ETCD_TLS_SETTINGS = {
  etcdTlsCa: pathSetting({
    env: 'STRATUS_ETCD_TLS_CA',
    doc: "CA certificate (PEM file) the etcd members' certificates must be signed by; with it the client speaks TLS (use `https://` endpoints).",
    default: { none: 'none: plaintext etcd' },
  }),
  etcdTlsCert: pathSetting({
    env: 'STRATUS_ETCD_TLS_CERT',
    doc: "This service's client certificate (PEM file) for etcd members that verify clients (`--client-cert-auth`); needs `STRATUS_ETCD_TLS_KEY` and `STRATUS_ETCD_TLS_CA`.",
    default: { none: 'none' },
  }),
  etcdTlsKey: pathSetting({
    env: 'STRATUS_ETCD_TLS_KEY',
    doc: 'The private key (PEM file) of `STRATUS_ETCD_TLS_CERT`.',
    default: { none: 'none' },
  }),
} as const;

/** The gRPC API's TLS (frontend). */
export const GRPC_TLS_SETTINGS = {
  grpcTlsCert: pathSetting({
    env: 'STRATUS_GRPC_TLS_CERT',
    doc: "The frontend's server certificate (PEM file, its chain after it); with `STRATUS_GRPC_TLS_KEY`, the gRPC API is served over TLS only.",
    default: { none: 'none: plaintext gRPC' },
  }),
  grpcTlsKey: pathSetting({
    env: 'STRATUS_GRPC_TLS_KEY',
    doc: 'The private key (PEM file) of `STRATUS_GRPC_TLS_CERT`.',
    default: { none: 'none' },
  }),
  grpcTlsClientCa: pathSetting({
    env: 'STRATUS_GRPC_TLS_CLIENT_CA',
    doc: 'A CA certificate (PEM file): when set, every client must present a certificate signed by it (mutual TLS), besides its API key.',
    default: { none: 'none: clients need no certificate' },
  }),
} as const;
