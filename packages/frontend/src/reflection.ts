import type * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import descriptor from 'protobufjs/ext/descriptor/index.js';

interface FieldDescriptor {
  name?: string;
  type?: string | number;
  typeName?: string;
}
interface MessageDescriptor {
  name?: string;
  field?: FieldDescriptor[];
  nestedType?: MessageDescriptor[];
  options?: { mapEntry?: boolean } | null;
}
interface FileDescriptor {
  package?: string;
  messageType?: MessageDescriptor[];
}

/**
 * Serves gRPC server reflection for the API, so generic clients (`buf curl`,
 * grpcurl) can list and call it without the .proto files.
 *
 * The descriptors proto-loader produces name a map field's entry type after
 * the field ("Environment") with a relative reference, where protobuf
 * requires "EnvironmentEntry" referenced by its full name; strict clients
 * then reject the whole file. They are corrected here, once at startup.
 */
export function addReflection(server: grpc.Server, packageDefinition: PackageDefinition): void {
  const corrected: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(packageDefinition)) {
    const protos = (definition as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
    corrected[name] = Array.isArray(protos)
      ? { ...definition, fileDescriptorProtos: protos.map((bytes) => correctFile(bytes as Uint8Array)) }
      : definition;
  }
  new ReflectionService(corrected as PackageDefinition).addToServer(server);
}

function correctFile(bytes: Uint8Array): Uint8Array {
  const file = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bytes)) as FileDescriptor;
  const scope = file.package ? `.${file.package}` : '';
  for (const message of file.messageType ?? []) correctMessage(message, scope);
  return descriptor.FileDescriptorProto.encode(descriptor.FileDescriptorProto.fromObject(file)).finish();
}

function correctMessage(message: MessageDescriptor, parentScope: string): void {
  const scope = `${parentScope}.${message.name ?? ''}`;
  for (const nested of message.nestedType ?? []) {
    if (!nested.options?.mapEntry) continue;
    const field = message.field?.find((f) => f.typeName === nested.name || f.typeName === `${scope}.${nested.name ?? ''}`);
    if (!field?.name) continue;
    nested.name = `${pascalCase(field.name)}Entry`;
    field.typeName = `${scope}.${nested.name}`;
  }
  for (const nested of message.nestedType ?? []) if (!nested.options?.mapEntry) correctMessage(nested, scope);
}

function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
}
