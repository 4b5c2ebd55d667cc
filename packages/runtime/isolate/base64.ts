// atob and btoa over Latin-1 strings, as the Web platform has them. Pure, tested in Node (test/isolate-web.test.ts).
import { domException } from './dom-exception.js';
import { StringCtor, TypeErrorCtor } from './primordials.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function btoa(input: unknown): string {
  // arguments, not a default: btoa() throws where btoa(undefined) encodes 'undefined'.
  if (arguments.length === 0) throw new TypeErrorCtor('The "data" argument must be specified');
  const s = StringCtor(input);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i);
    const b = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    const c = i + 2 < s.length ? s.charCodeAt(i + 2) : 0;
    if (a > 255 || b > 255 || c > 255) throw domException('Invalid character', 'InvalidCharacterError');
    out +=
      B64.charAt(a >> 2) +
      B64.charAt(((a & 3) << 4) | (b >> 4)) +
      (i + 1 < s.length ? B64.charAt(((b & 15) << 2) | (c >> 6)) : '=') +
      (i + 2 < s.length ? B64.charAt(c & 63) : '=');
  }
  return out;
}

export function atob(input: unknown): string {
  if (arguments.length === 0) throw new TypeErrorCtor('The "data" argument must be specified');
  let s = StringCtor(input).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw domException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  let out = '';
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < s.length; i++) {
    acc = (acc << 6) | B64.indexOf(s.charAt(i));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += StringCtor.fromCharCode((acc >> bits) & 255);
    }
  }
  return out;
}
