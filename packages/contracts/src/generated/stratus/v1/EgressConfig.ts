// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto


/**
 * Outbound network access from the function (fetch, http, https, net),
 * performed by the node on its behalf. The check applies to the address a
 * name resolves to, when the node connects.
 */
export interface EgressConfig {
  /**
   * "public" (default when empty): public addresses, plus what allow names.
   * "none": only what allow names.
   */
  'mode'?: (string);
  /**
   * Destinations allowed beyond public addresses (loopback, link-local,
   * private ranges and the cluster's own services are refused otherwise):
   * "host", "*.domain", an IPv4 or IPv6 address or CIDR, each optionally
   * with ":port" (IPv6 in brackets then: "[fd00::/8]:443"). At most 64.
   */
  'allow'?: (string)[];
}

/**
 * Outbound network access from the function (fetch, http, https, net),
 * performed by the node on its behalf. The check applies to the address a
 * name resolves to, when the node connects.
 */
export interface EgressConfig__Output {
  /**
   * "public" (default when empty): public addresses, plus what allow names.
   * "none": only what allow names.
   */
  'mode': (string);
  /**
   * Destinations allowed beyond public addresses (loopback, link-local,
   * private ranges and the cluster's own services are refused otherwise):
   * "host", "*.domain", an IPv4 or IPv6 address or CIDR, each optionally
   * with ":port" (IPv6 in brackets then: "[fd00::/8]:443"). At most 64.
   */
  'allow': (string)[];
}
