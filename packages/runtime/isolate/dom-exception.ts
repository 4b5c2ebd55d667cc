import { ErrorCtor } from './primordials.js';

/** An Error named as the Web platform's DOMException of that name (there is no DOMException class here). */
export function domException(message: string, name: string): Error {
  const err = new ErrorCtor(message);
  err.name = name;
  return err;
}
