import type * as protoLoader from '@grpc/proto-loader';
import { StratusError } from '@stratus/errors';

/** The range of each protobuf integer type as the loaded API carries it (64-bit ones as numbers). */
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  TYPE_INT32: [-(2 ** 31), 2 ** 31 - 1],
  TYPE_SINT32: [-(2 ** 31), 2 ** 31 - 1],
  TYPE_SFIXED32: [-(2 ** 31), 2 ** 31 - 1],
  TYPE_UINT32: [0, 2 ** 32 - 1],
  TYPE_FIXED32: [0, 2 ** 32 - 1],
  TYPE_INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  TYPE_SINT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  TYPE_SFIXED64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  TYPE_UINT64: [0, Number.MAX_SAFE_INTEGER],
  TYPE_FIXED64: [0, Number.MAX_SAFE_INTEGER],
};

interface FieldDescriptor {
  readonly name: string;
  readonly type: string;
  readonly typeName: string;
  readonly label: string;
}

function fieldsOf(definition: protoLoader.AnyDefinition | undefined): readonly FieldDescriptor[] {
  const type = (definition as { type?: { field?: unknown } } | undefined)?.type;
  return Array.isArray(type?.field) ? (type.field as FieldDescriptor[]) : [];
}

/**
 * Throws INVALID_ARGUMENT when a message about to be sent has an integer
 * field holding anything but a whole number within its protobuf type's range.
 * protobufjs would send it anyway, truncated (128.5 as 128, -1 in a uint32 as
 * 4294967295, 2.5 ms as 2), and the server could never tell; this is the only
 * place that sees the number the caller meant.
 */
export function checkIntegerFields(packageDefinition: protoLoader.PackageDefinition, typeName: string, message: unknown, prefix = ''): void {
  if (typeof message !== 'object' || message === null) return;
  const values = message as Record<string, unknown>;
  for (const field of fieldsOf(packageDefinition[typeName])) {
    const value = values[field.name];
    if (value === undefined || value === null) continue;
    const path = `${prefix}${field.name}`;
    const items = field.label === 'LABEL_REPEATED' && Array.isArray(value) ? value : [value];
    const range = INTEGER_RANGES[field.type];
    for (const item of items) {
      if (range !== undefined) checkInteger(path, item, range);
      else if (field.type === 'TYPE_MESSAGE') checkIntegerFields(packageDefinition, field.typeName.replace(/^\./, ''), item, `${path}.`);
    }
  }
}

function checkInteger(path: string, value: unknown, [min, max]: readonly [number, number]): void {
  // Longs and numeric strings are what protobufjs also accepts; only numbers can be fractional.
  if (typeof value !== 'number') return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StratusError('INVALID_ARGUMENT', `${path} must be a whole number from ${min} to ${max}, got ${value}`, { details: { field: path } });
  }
}

/**
 * Wraps every method's request serializer in the package definition with
 * checkIntegerFields, so every client made from the loaded API refuses a
 * fractional or out-of-range integer instead of sending it truncated.
 */
export function strictRequestSerializers(packageDefinition: protoLoader.PackageDefinition): void {
  for (const [serviceName, definition] of Object.entries(packageDefinition)) {
    if (!isServiceDefinition(definition)) continue;
    for (const method of Object.values(definition)) {
      const qualified = requestTypeName(serviceName, method);
      if (qualified === undefined || packageDefinition[qualified] === undefined) continue;
      const serialize = method.requestSerialize;
      method.requestSerialize = (message: object): Buffer => {
        checkIntegerFields(packageDefinition, qualified, message);
        return serialize(message);
      };
    }
  }
}

/**
 * The full name of a method's request type ('stratus.v1.CreateFunctionRequest'):
 * proto-loader gives each method a copy of the type, named without its package,
 * which is the service's.
 */
export function requestTypeName(serviceName: string, method: protoLoader.MethodDefinition<object, object>): string | undefined {
  const name = (method.requestType as { type?: { name?: unknown } }).type?.name;
  if (typeof name !== 'string') return undefined;
  return `${serviceName.slice(0, serviceName.lastIndexOf('.') + 1)}${name}`;
}

function isServiceDefinition(definition: protoLoader.AnyDefinition): definition is protoLoader.ServiceDefinition {
  return !('format' in definition);
}
