import { describe, expect, it } from 'vitest';
import { SentReplies } from '../src/sent-replies.js';

const INBOX = '_INBOX.t.frontend.abc.1';

describe('SentReplies', () => {
  it('gives back the very bytes that were sent, not a copy, until they expire', () => {
    let clock = 1_000;
    const replies = new SentReplies({ now: () => clock });
    const data = new TextEncoder().encode('{"ok":true}');
    replies.remember('r1', INBOX, data, 5_000);
    expect(replies.get('r1')?.data).toBe(data);
    expect(replies.get('r1')?.replySubject).toBe(INBOX);
    clock = 5_000;
    expect(replies.get('r1')).toBeUndefined();
    expect(replies.size).toBe(0);
    expect(replies.bytes).toBe(0);
  });

  it('drops the oldest replies once over its byte bound, whatever their expiry', () => {
    const replies = new SentReplies({ maxBytes: 3 * (1_000 + 400), now: () => 0 });
    for (const id of ['a', 'b', 'c', 'd']) replies.remember(id, INBOX, new Uint8Array(1_000), 60_000);
    expect(replies.get('a')).toBeUndefined();
    expect(replies.get('b')).toBeDefined();
    expect(replies.get('d')).toBeDefined();
    expect(replies.bytes).toBeLessThanOrEqual(3 * 1_400);
  });

  it('drops the oldest entries once over its entry bound, so a flood of tiny replies is bounded too', () => {
    const replies = new SentReplies({ maxEntries: 2, now: () => 0 });
    replies.remember('a', INBOX, undefined, 60_000);
    replies.remember('b', INBOX, new Uint8Array(1), 60_000);
    replies.remember('c', INBOX, new Uint8Array(1), 60_000);
    expect(replies.size).toBe(2);
    expect(replies.get('a')).toBeUndefined();
    expect(replies.get('c')).toBeDefined();
  });

  it('keeps nothing larger than its whole budget, rather than pushing everything else out', () => {
    const replies = new SentReplies({ maxBytes: 10_000, now: () => 0 });
    replies.remember('small', INBOX, new Uint8Array(10), 60_000);
    replies.remember('huge', INBOX, new Uint8Array(20_000), 60_000);
    expect(replies.get('huge')).toBeUndefined();
    expect(replies.get('small')).toBeDefined();
  });

  it('sweeps expired replies from the oldest on when nothing new comes', () => {
    let clock = 0;
    const replies = new SentReplies({ now: () => clock });
    replies.remember('a', INBOX, new Uint8Array(100), 1_000);
    replies.remember('b', INBOX, new Uint8Array(100), 2_000);
    clock = 1_500;
    replies.sweep();
    expect(replies.size).toBe(1);
    clock = 2_000;
    replies.sweep();
    expect(replies.size).toBe(0);
    expect(replies.bytes).toBe(0);
  });

  it('counts a remembered id once when it is remembered again', () => {
    const replies = new SentReplies({ now: () => 0 });
    replies.remember('a', INBOX, undefined, 60_000);
    const before = replies.bytes;
    replies.remember('a', INBOX, undefined, 60_000);
    expect(replies.size).toBe(1);
    expect(replies.bytes).toBe(before);
  });
});
