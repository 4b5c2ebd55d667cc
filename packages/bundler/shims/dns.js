// Node's `dns` for functions: loads (database drivers such as `pg` import it at module scope), answers an IP
// literal as Node does without asking a resolver, and refuses a name with ERR_NOT_SUPPORTED: a function never
// resolves names itself, so it learns nothing of the node's network; the node resolves the names of the requests
// it performs for the function (fetch, http, https) and checks the addresses against the egress policy.

import { isIP } from 'net';

function notAvailable(syscall, hostname) {
  const err = new Error(
    `${syscall} ${hostname}: DNS lookups are not available in Stratus: pass the host name to fetch, http or https, ` +
      "which the node resolves and checks against the function's egress policy",
  );
  err.code = 'ERR_NOT_SUPPORTED';
  err.syscall = syscall;
  err.hostname = hostname;
  return err;
}

function invalidArg(name, value) {
  const err = new TypeError(`The "${name}" argument must be of type string. Received ${value === null ? 'null' : typeof value}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function callbackOf(args) {
  const callback = args[args.length - 1];
  if (typeof callback !== 'function') {
    const err = new TypeError('The "callback" argument must be of type function');
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  return callback;
}

/** What `lookup` answers without a resolver: an IP literal as it is; a name, an error. */
function lookupAnswer(hostname, options) {
  if (typeof hostname !== 'string') throw invalidArg('hostname', hostname);
  const opts = typeof options === 'number' ? { family: options } : options || {};
  const family = isIP(hostname);
  if (family === 0) return { error: notAvailable('getaddrinfo', hostname) };
  const entry = { address: hostname, family };
  return { addresses: opts.all ? [entry] : undefined, entry };
}

export function lookup(hostname, ...rest) {
  const callback = callbackOf(rest);
  const options = rest.length > 1 ? rest[0] : undefined;
  const answer = lookupAnswer(hostname, options);
  process.nextTick(() => {
    if (answer.error) callback(answer.error);
    else if (answer.addresses) callback(null, answer.addresses);
    else callback(null, answer.entry.address, answer.entry.family);
  });
  return {};
}

function resolver(syscall) {
  return function (hostname, ...rest) {
    const callback = callbackOf(rest);
    if (typeof hostname !== 'string') throw invalidArg('hostname', hostname);
    process.nextTick(() => callback(notAvailable(syscall, hostname)));
    return {};
  };
}

export const resolve = resolver('queryA');
export const resolve4 = resolver('queryA');
export const resolve6 = resolver('queryAaaa');
export const resolveAny = resolver('queryAny');
export const resolveCaa = resolver('queryCaa');
export const resolveCname = resolver('queryCname');
export const resolveMx = resolver('queryMx');
export const resolveNaptr = resolver('queryNaptr');
export const resolveNs = resolver('queryNs');
export const resolvePtr = resolver('queryPtr');
export const resolveSoa = resolver('querySoa');
export const resolveSrv = resolver('querySrv');
export const resolveTxt = resolver('queryTxt');
export const reverse = resolver('getHostByAddr');
export const lookupService = resolver('getnameinfo');

let resultOrder = 'verbatim';
export function getServers() {
  return [];
}
export function setServers() {}
export function getDefaultResultOrder() {
  return resultOrder;
}
export function setDefaultResultOrder(order) {
  if (order !== 'verbatim' && order !== 'ipv4first') {
    const err = new TypeError(`The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first'. Received '${order}'`);
    err.code = 'ERR_INVALID_ARG_VALUE';
    throw err;
  }
  resultOrder = order;
}

export const ADDRCONFIG = 1024;
export const V4MAPPED = 2048;
export const ALL = 256;
export const NODATA = 'ENODATA';
export const FORMERR = 'EFORMERR';
export const SERVFAIL = 'ESERVFAIL';
export const NOTFOUND = 'ENOTFOUND';
export const NOTIMP = 'ENOTIMP';
export const REFUSED = 'EREFUSED';
export const BADQUERY = 'EBADQUERY';
export const BADNAME = 'EBADNAME';
export const BADFAMILY = 'EBADFAMILY';
export const BADRESP = 'EBADRESP';
export const CONNREFUSED = 'ECONNREFUSED';
export const TIMEOUT = 'ETIMEOUT';
export const EOF = 'EOF';
export const FILE = 'EFILE';
export const NOMEM = 'ENOMEM';
export const DESTRUCTION = 'EDESTRUCTION';
export const BADSTR = 'EBADSTR';
export const BADFLAGS = 'EBADFLAGS';
export const NONAME = 'ENONAME';
export const BADHINTS = 'EBADHINTS';
export const NOTINITIALIZED = 'ENOTINITIALIZED';
export const LOADIPHLPAPI = 'ELOADIPHLPAPI';
export const ADDRGETNETWORKPARAMS = 'EADDRGETNETWORKPARAMS';
export const CANCELLED = 'ECANCELLED';

const callbackApi = {
  resolve, resolve4, resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs, resolvePtr,
  resolveSoa, resolveSrv, resolveTxt, reverse,
};

export class Resolver {
  constructor() {
    Object.assign(this, callbackApi);
  }
  cancel() {}
  getServers() {
    return [];
  }
  setServers() {}
  setLocalAddress() {}
}

function promised(fn) {
  return (...args) => new Promise((resolvePromise, reject) => fn(...args, (err, ...values) => (err ? reject(err) : resolvePromise(values.length > 1 ? { address: values[0], family: values[1] } : values[0]))));
}

const promiseApi = Object.fromEntries(Object.entries(callbackApi).map(([name, fn]) => [name, promised(fn)]));

class PromiseResolver {
  constructor() {
    Object.assign(this, promiseApi);
  }
  cancel() {}
  getServers() {
    return [];
  }
  setServers() {}
  setLocalAddress() {}
}

export const promises = {
  ...promiseApi,
  lookup: promised(lookup),
  lookupService: promised(lookupService),
  Resolver: PromiseResolver,
  getServers, setServers, getDefaultResultOrder, setDefaultResultOrder,
};

export default {
  lookup, lookupService, Resolver, promises, getServers, setServers, getDefaultResultOrder, setDefaultResultOrder,
  ...callbackApi, ADDRCONFIG, V4MAPPED, ALL, NODATA, FORMERR, SERVFAIL, NOTFOUND, NOTIMP, REFUSED, BADQUERY, BADNAME,
  BADFAMILY, BADRESP, CONNREFUSED, TIMEOUT, EOF, FILE, NOMEM, DESTRUCTION, BADSTR, BADFLAGS, NONAME, BADHINTS,
  NOTINITIALIZED, LOADIPHLPAPI, ADDRGETNETWORKPARAMS, CANCELLED,
};
