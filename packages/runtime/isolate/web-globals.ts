// The Web globals Node 20 gives every module (TextEncoder, atob, structuredClone, AbortController, performance,
// crypto, fetch). URL/URLSearchParams and Buffer are not here: the bundler injects spec-complete polyfills
// (whatwg-url, buffer) into bundles that use them.
import { atob, btoa } from './base64.js';
import { performanceObject } from './clock.js';
import { AbortController, AbortSignal, Event, EventTarget } from './events.js';
import { ObjectDefineProperty } from './primordials.js';
import { structuredClone } from './structured-clone.js';
import { TextDecoder, TextEncoder } from './text-encoding.js';
import { CryptoKey, createWebCrypto } from './web-crypto.js';
import { Blob, fetch, File, FormData, Headers, Request, Response } from './fetch.js';

export function defineGlobal(name: string, value: unknown, enumerable: boolean): void {
  ObjectDefineProperty(globalThis, name, { value: value, writable: true, configurable: true, enumerable: enumerable });
}

export function installWebGlobals(): void {
  defineGlobal('TextEncoder', TextEncoder, false);
  defineGlobal('TextDecoder', TextDecoder, false);
  defineGlobal('atob', atob, true);
  defineGlobal('btoa', btoa, true);
  defineGlobal('structuredClone', structuredClone, true);
  defineGlobal('Event', Event, false);
  defineGlobal('EventTarget', EventTarget, false);
  defineGlobal('AbortSignal', AbortSignal, false);
  defineGlobal('AbortController', AbortController, false);
  defineGlobal('performance', performanceObject, true);
  defineGlobal('crypto', createWebCrypto(), true);
  defineGlobal('CryptoKey', CryptoKey, false);
  defineGlobal('fetch', fetch, true);
  defineGlobal('Headers', Headers, false);
  defineGlobal('Request', Request, false);
  defineGlobal('Response', Response, false);
  defineGlobal('Blob', Blob, false);
  defineGlobal('File', File, false);
  defineGlobal('FormData', FormData, false);
}
