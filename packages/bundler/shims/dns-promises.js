// Node's `dns/promises`: the promise half of the `dns` shim (see dns.js).
import dns from 'dns';

export const {
  lookup, lookupService, Resolver, resolve, resolve4, resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr,
  resolveNs, resolvePtr, resolveSoa, resolveSrv, resolveTxt, reverse, getServers, setServers, getDefaultResultOrder, setDefaultResultOrder,
} = dns.promises;
export default dns.promises;
