// Node's util.format and util.inspect, as far as console lines need them (inspect depth 2, as Node's console).
// Pure: no host, no state, so it is tested in Node directly (test/isolate-format.test.ts).
import {
  ArrayIsArray,
  ErrorCtor,
  FunctionPrototypeToString,
  JSONStringify,
  NumberCtor,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototype,
  PromiseCtor,
  ReflectApply,
  StringCtor,
} from './primordials.js';

export function quote(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + "'";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any callable, as Node's inspect takes it
export function describeFunction(fn: Function): string {
  let source = '';
  try {
    source = ReflectApply(FunctionPrototypeToString, fn, []);
  } catch {
    // A revoked proxy or the like: described by its name alone.
  }
  const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : '';
  if (source.startsWith('class')) return '[class ' + (name || '(anonymous)') + ']';
  return '[Function: ' + (name || '(anonymous)') + ']';
}

type Indexable = Record<string, unknown>;

function listItems(values: ArrayLike<unknown>, depth: number, seen: unknown[]): string[] {
  const shown = values.length > 100 ? 100 : values.length;
  const items: string[] = [];
  for (let i = 0; i < shown; i++) items.push(inspect(values[i], depth + 1, seen));
  if (values.length > shown) items.push('... ' + (values.length - shown) + ' more items');
  return items;
}

/** Node's util.inspect of `value` as console.log shows it, `depth` levels already in. */
export function inspect(value: unknown, depth: number, seen: unknown[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return ObjectIs(value, -0) ? '-0' : '' + value;
    case 'bigint':
      return StringCtor(value) + 'n';
    case 'boolean':
    case 'undefined':
      return '' + StringCtor(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return describeFunction(value);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (seen.includes(value)) return '[Circular]';
  if (value instanceof ErrorCtor) return typeof value.stack === 'string' ? value.stack : StringCtor(value);
  if (value instanceof Date) return NumberCtor.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return StringCtor(value);
  if (value instanceof PromiseCtor) return 'Promise {}';
  if (depth > 2) return ArrayIsArray(value) ? '[Array]' : '[Object]';
  seen.push(value);
  try {
    if (ArrayIsArray(value)) {
      const items = listItems(value, depth, seen);
      return items.length === 0 ? '[]' : '[ ' + items.join(', ') + ' ]';
    }
    if (value instanceof Map) {
      const items: string[] = [];
      value.forEach((v, k) => {
        items.push(inspect(k, depth + 1, seen) + ' => ' + inspect(v, depth + 1, seen));
      });
      return 'Map(' + value.size + ') ' + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
    }
    if (value instanceof Set) {
      const items: string[] = [];
      value.forEach((v) => {
        items.push(inspect(v, depth + 1, seen));
      });
      return 'Set(' + value.size + ') ' + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const view = value as unknown as ArrayLike<unknown> & { constructor: { name: string } };
      const items = listItems(view, depth, seen);
      return view.constructor.name + '(' + view.length + ') ' + (items.length === 0 ? '[]' : '[ ' + items.join(', ') + ' ]');
    }
    const proto = ObjectGetPrototypeOf(value) as { constructor?: unknown } | null;
    let prefix = '';
    if (proto === null) prefix = '[Object: null prototype] ';
    else if (proto !== ObjectPrototype) {
      const ctor = proto.constructor;
      const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
      if (name !== '' && name !== 'Object') prefix = name + ' ';
    }
    const items: string[] = [];
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const shownKey = IDENTIFIER.test(key) ? key : quote(key);
      const desc = ObjectGetOwnPropertyDescriptor(value, key);
      let shownValue: string;
      if (desc !== undefined && (desc.get !== undefined || desc.set !== undefined)) {
        shownValue = desc.get !== undefined && desc.set !== undefined ? '[Getter/Setter]' : desc.get !== undefined ? '[Getter]' : '[Setter]';
      } else {
        shownValue = inspect((value as Indexable)[key], depth + 1, seen);
      }
      items.push(shownKey + ': ' + shownValue);
    }
    return prefix + (items.length === 0 ? '{}' : '{ ' + items.join(', ') + ' }');
  } finally {
    seen.pop();
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, 0, []);
}

function formatSpecifier(spec: string | undefined, arg: unknown): string | undefined {
  switch (spec) {
    case 's':
      if (typeof arg === 'bigint') return StringCtor(arg) + 'n';
      if (typeof arg === 'symbol') return arg.toString();
      if (typeof arg === 'object' && arg !== null) return inspect(arg, 1, []);
      return ObjectIs(arg, -0) ? '-0' : StringCtor(arg);
    case 'd':
    case 'i': {
      if (typeof arg === 'bigint') return StringCtor(arg) + 'n';
      if (typeof arg === 'symbol') return 'NaN';
      const n = NumberCtor(arg);
      return spec === 'i' ? StringCtor(NumberCtor.parseInt(StringCtor(n), 10)) : StringCtor(n);
    }
    case 'f':
      return typeof arg === 'symbol' ? 'NaN' : StringCtor(NumberCtor.parseFloat(StringCtor(arg)));
    case 'j':
      try {
        return JSONStringify(arg);
      } catch {
        return '[Circular]';
      }
    case 'o':
    case 'O':
      return inspect(arg, 0, []);
    case 'c':
      return '';
    default:
      return undefined;
  }
}

/** Node's util.format of console arguments: `%s %d %i %f %j %o %O %c %%`, then the rest inspected. */
export function format(args: ArrayLike<unknown>): string {
  if (args.length === 0) return '';
  const first = args[0];
  if (typeof first !== 'string' || args.length === 1) {
    let out = formatValue(first);
    for (let i = 1; i < args.length; i++) out += ' ' + formatValue(args[i]);
    return out;
  }
  let out = '';
  let last = 0;
  let next = 1;
  for (let i = 0; i < first.length - 1; i++) {
    if (first.charCodeAt(i) !== 37) continue;
    const spec = first[i + 1];
    if (spec === '%') {
      out += first.slice(last, i) + '%';
      last = i + 2;
      i++;
      continue;
    }
    if (next >= args.length) continue;
    const replacement = formatSpecifier(spec, args[next]);
    if (replacement === undefined) continue;
    out += first.slice(last, i) + replacement;
    last = i + 2;
    i++;
    next++;
  }
  out += first.slice(last);
  for (let i = next; i < args.length; i++) out += ' ' + formatValue(args[i]);
  return out;
}
