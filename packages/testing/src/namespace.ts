import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A namespace prefix no other test uses: 't' and 8 random lowercase letters
 * or digits, valid for createNamespace. Tests sharing one server isolate
 * their subjects, streams and keys with it.
 */
export function randomNamespacePrefix(): string {
  let prefix = 't';
  for (let i = 0; i < 8; i++) prefix += ALPHABET[randomInt(ALPHABET.length)];
  return prefix;
}
