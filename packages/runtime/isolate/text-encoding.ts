// TextEncoder and TextDecoder: UTF-8 only, as Node's default. Pure, tested in Node (test/isolate-web.test.ts).
import { ArrayBufferCtor, ReflectApply, StringCtor, TypeErrorCtor, Uint8ArrayCtor } from './primordials.js';

/** The bytes of an ArrayBuffer or a view, without copying. */
export function bytesOf(view: unknown): Uint8Array {
  if (view instanceof ArrayBufferCtor) return new Uint8ArrayCtor(view);
  if (ArrayBuffer.isView(view)) return new Uint8ArrayCtor(view.buffer, view.byteOffset, view.byteLength);
  throw new TypeErrorCtor('The "data" argument must be an ArrayBuffer or an ArrayBufferView');
}

export function utf8Encode(input: unknown): Uint8Array {
  const s = StringCtor(input);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8ArrayCtor(out);
}

const fromCodePoint = StringCtor.fromCodePoint;

export function utf8Decode(bytes: Uint8Array, fatal: boolean, ignoreBOM: boolean): string {
  let out = '';
  let i = 0;
  if (!ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const bad = (): number => {
    if (fatal) throw new TypeErrorCtor('The encoded data was not valid for encoding utf-8');
    return 0xfffd;
  };
  const parts: number[] = [];
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let c: number;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      c = b;
    } else if (b >= 0xc2 && b < 0xe0) {
      c = b & 31;
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b < 0xf0) {
      c = b & 15;
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b < 0xf5) {
      c = b & 7;
      need = 3;
      min = 0x10000;
    } else {
      parts.push(bad());
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const n = bytes[i + j];
      if (n === undefined || (n & 0xc0) !== 0x80) break;
      c = (c << 6) | (n & 63);
    }
    if (j <= need || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      parts.push(bad());
      i += j > 1 ? j : 1;
      continue;
    }
    parts.push(c);
    i += need + 1;
    if (parts.length >= 8192) {
      out += ReflectApply(fromCodePoint, undefined, parts);
      parts.length = 0;
    }
  }
  if (parts.length > 0) out += ReflectApply(fromCodePoint, undefined, parts);
  return out;
}

export class TextEncoder {
  get encoding(): string {
    return 'utf-8';
  }
  encode(input?: unknown): Uint8Array {
    return utf8Encode(input === undefined ? '' : input);
  }
  encodeInto(input: unknown, dest: Uint8Array): { read: number; written: number } {
    const bytes = utf8Encode(input);
    const n = bytes.length <= dest.length ? bytes.length : dest.length;
    dest.set(bytes.subarray(0, n));
    return { read: StringCtor(input).length, written: n };
  }
}

export class TextDecoder {
  #fatal: boolean;
  #ignoreBOM: boolean;
  constructor(label?: unknown, options?: { fatal?: unknown; ignoreBOM?: unknown }) {
    const name = label === undefined ? 'utf-8' : StringCtor(label).trim().toLowerCase();
    if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
      throw new RangeError('The "' + name + '" encoding is not supported in Stratus (only utf-8)');
    }
    this.#fatal = !!(options && options.fatal);
    this.#ignoreBOM = !!(options && options.ignoreBOM);
  }
  get encoding(): string {
    return 'utf-8';
  }
  get fatal(): boolean {
    return this.#fatal;
  }
  get ignoreBOM(): boolean {
    return this.#ignoreBOM;
  }
  decode(input?: unknown): string {
    return input === undefined ? '' : utf8Decode(bytesOf(input), this.#fatal, this.#ignoreBOM);
  }
}
