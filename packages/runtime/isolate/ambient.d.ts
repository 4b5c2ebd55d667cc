// What V8 gives the isolate beyond ES2022 that the runtime uses: WebAssembly (lib.dom.d.ts has it, and the
// isolate has no DOM). Only the members the memory guards touch.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, importObject?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class CompileError extends Error {}
  interface WebAssemblyInstantiatedSource {
    module: Module;
    instance: Instance;
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  function instantiate(bytes: ArrayBufferView | ArrayBuffer, importObject?: object): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, importObject?: object): Promise<Instance>;
}
